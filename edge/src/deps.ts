/**
 * The ports of the BFF: only what really differs between runtimes (Node / workerd) or between
 * production and the embedded defaults (simulator, PGlite, local AI fallback). Everything else is
 * plain functions. `node.ts` and `worker.ts` assemble an AppDeps; handlers read it from `c.var.deps`.
 *
 * Ownership while the first version is built (see edge/README.md): each port's implementation
 * lives in the folder named beside it.
 */
import type { Context } from "hono";
import type { AiServices } from "./ai/ports.ts";
import type {
  DataSource,
  DropoffRisk,
  EmbedWidget,
  Forecast,
  Gamification,
  RiskLevel,
  Role,
  Velocity,
} from "./contract.ts";
import type { IngestionDeps } from "./events/ingest.ts";
import type { DueRefreshSummary } from "./insights/org-refresh.ts";
import type { WidgetAssetSource } from "./routes/widget-assets.ts";
import type { ListScope, OrgSummary } from "./store/types.ts";

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** Lets work outlive the response: `ctx.waitUntil` on Workers, fire-and-forget on Node. */
export type WaitUntil = (work: Promise<unknown>) => void;

/** An analytics answer with its provenance, before HTTP turns it into `{data, meta}`. */
export interface Insight<T> {
  data: T;
  dataSource: DataSource;
  calculatedAt: Date;
  expiresAt: Date;
}

/** What authorization needs to know about a learner (from the Directory service). */
export interface LearnerProfile {
  learnerId: string;
  orgId: string;
  displayName: string;
  timeZone: string;
  courseIds: string[];
  /** Trainers assigned to any of this learner's courses (Directory's course assignments). */
  trainerIds: string[];
}

/** Upstream-backed learner analytics with caching and the fallback chain. Implemented in src/insights/. */
export interface LearnerInsights {
  /** `warmSnapshot: false` skips starting the snapshot's upstream calls (callers that read no analytics). */
  profile(learnerId: string, opts?: { requestId?: string; warmSnapshot?: boolean }): Promise<LearnerProfile | null>;
  velocity(learnerId: string, opts?: InsightOptions): Promise<Insight<Velocity>>;
  dropoffRisk(learnerId: string, opts?: InsightOptions): Promise<Insight<DropoffRisk>>;
  forecast(learnerId: string, opts?: InsightOptions): Promise<Insight<Forecast>>;
  gamification(learnerId: string, opts?: InsightOptions): Promise<Insight<Gamification>>;
  /** Drop cached answers of these learners (after events change their ledger). */
  invalidate(learnerIds: string[], kinds?: string[]): Promise<void>;
  /** Per upstream service: closed / open / half_open breaker and last error, for /health. */
  upstreamHealth(): Record<string, { state: "healthy" | "degraded" | "down"; breaker: string; lastError?: string }>;
}
export interface InsightOptions {
  requestId?: string;
  waitUntil?: WaitUntil;
  /** Deadline for the whole answer; upstream timeouts fit inside it. */
  signal?: AbortSignal;
}

/** Authenticated principal extracted from a verified user token. */
export interface Principal {
  userId: string;
  orgId: string;
  roles: Role[];
  /** Present on embed tokens: the only learner and widgets this token may read. */
  embed?: { learnerId: string; widgets: EmbedWidget[] };
  /** The token's exp (seconds since the epoch). */
  exp?: number;
}

export interface AtRiskRow {
  learnerId: string;
  displayName: string;
  riskScore: number;
  riskLevel: RiskLevel;
  topFactor: string | null;
  calculatedAt: Date;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** One learner of an organization list (keyset-paginated by learnerId). */
export interface LearnerRow {
  learnerId: string;
  displayName: string;
  /** Latest risk snapshot, null when the learner was never scored. */
  riskLevel: RiskLevel | null;
  riskScore: number | null;
  calculatedAt: Date | null;
}

/** The organization dashboard's figures: the store defines them, the HTTP layer serves them. */
export type { ListScope, OrgSummary };

/** Thrown by a store when a pagination cursor does not decode; the HTTP layer answers 400. */
export class InvalidCursorError extends Error {
  readonly code = "invalid_cursor";
  constructor(message = "the cursor is not one this API issued") {
    super(message);
    this.name = "InvalidCursorError";
  }
}

/**
 * Thrown by insights when the fallback chain is exhausted (upstreams down, no snapshot, mock off):
 * the HTTP layer answers 503 with Retry-After.
 */
export class UpstreamUnavailableError extends Error {
  readonly code = "upstream_unavailable";
  readonly retryAfterSeconds: number;
  constructor(message = "the services this answer needs are unavailable", retryAfterSeconds = 30) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
    this.name = "UpstreamUnavailableError";
  }
}

/**
 * Organization-wide reads over the analytics snapshots. Implemented in src/store/ (postgres.js or
 * PGlite). Cursors are opaque strings the store issues; a foreign one throws InvalidCursorError.
 * `scope` is required: the caller says whose learners it may show (a trainer: those they may
 * open, see learnerAccess), so no route can forget to narrow a trainer's list.
 */
export interface AnalyticsStore {
  listLearners(orgId: string, page: { cursor?: string; limit: number; scope: ListScope }): Promise<Page<LearnerRow>>;
  listAtRisk(
    orgId: string,
    page: { minLevel: RiskLevel; cursor?: string; limit: number; scope: ListScope },
  ): Promise<Page<AtRiskRow>>;
  orgSummary(orgId: string, opts: { scope: ListScope }): Promise<OrgSummary>;
}

/** A user the Auth service vouched for. */
export interface IdentityUser {
  id: string;
  orgId: string;
  roles: Role[];
  displayName: string;
}

/** Password check against the Auth service (`POST {AUTH_MS_URL}/api/v1/auth/verify`). */
export interface Identity {
  /** null when the credentials are wrong; throws when the Auth service cannot answer. */
  verifyPassword(email: string, password: string, opts?: { requestId?: string }): Promise<IdentityUser | null>;
}

/** One rate-limit decision for a key in the current window. */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** Unknown on Workers (the binding only answers allowed or not). */
  remaining?: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}
/** Counts one request for a key: in-process on Node, the rate-limiting binding on Workers. */
export interface RateLimiter {
  /** The in-process limiter answers at once (no promise on every request); the Workers binding awaits. */
  hit(key: string): RateDecision | Promise<RateDecision>;
}

export type HealthState = "healthy" | "degraded" | "down";
export interface ComponentHealth {
  state: HealthState;
  detail?: string;
}

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
/** Structured log sink: one JSON object per line. Never hand it a token, a password or an email. */
export interface Logger {
  log(level: Exclude<LogLevel, "silent">, fields: Record<string, unknown>): void;
}

/** What the HTTP layer needs from configuration (parsed once in src/config.ts). */
export interface HttpSettings {
  /** HS256 secret of user and embed tokens. */
  jwtSecret: string;
  /** HS256 secret of service tokens; never equal to jwtSecret. */
  serviceSecret: string;
  jwtIssuer?: string;
  jwtAudience?: string;
  /** Exact origins allowed by CORS; empty means no CORS headers at all. */
  corsOrigins: string[];
  production: boolean;
}

/**
 * Everything a request may use. `node.ts` and `worker.ts` assemble it; handlers read `c.var.deps`.
 */
export interface AppDeps {
  clock: Clock;
  runtime: "node" | "workerd";
  http: HttpSettings;
  logger: Logger;
  /** Learner analytics with caching and the fallback chain (src/insights/). */
  insights: LearnerInsights;
  /** Organization lists and summaries (src/store/). */
  store: AnalyticsStore;
  /** Password checks for POST /auth/login (the Auth service client). */
  identity: Identity;
  /** Absent limiter = that limit is off (RATE_LIMIT_*_PER_MIN=0). */
  rateLimits: { user?: RateLimiter; ip?: RateLimiter };
  /** Probes for GET /health; each resolves, never throws. */
  health: {
    database(): Promise<ComponentHealth>;
    cache(): Promise<ComponentHealth>;
    /**
     * Each upstream service's own GET /health, probed now (cached briefly): the breaker alone
     * says "closed" about a service nobody has called since it went down. See routes/health.ts.
     */
    upstreams?(): Promise<Record<string, ComponentHealth>>;
  };
  /** The caller's address for the per-IP limit: socket or proxy header on Node, CF-Connecting-IP on Workers. */
  clientIp(c: Context): string | undefined;
  /** Gemini advisor with its local fallback (src/ai/); routes/ai.ts answers 503 while it is not wired. */
  ai?: AiServices;
  /** The event ledger's writes for POST /events (src/store/); the route answers 503 while it is not wired. */
  ledger?: IngestionDeps["store"];
  /** The built widgets served at /widgets/ (routes/widget-assets.ts); absent = not served here. */
  widgetAssets?: WidgetAssetSource;
  /**
   * One run of the refresh job (src/insights/org-refresh.ts): recomputes the learners whose stored
   * snapshots are due, so the org lists stay current. Absent without a database.
   */
  refreshSnapshots?: () => Promise<DueRefreshSummary>;
}
