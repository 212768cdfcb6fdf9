/**
 * The ports of the BFF: only what really differs between runtimes (Node / workerd) or between
 * production and the embedded defaults (simulator, PGlite, local AI fallback). Everything else is
 * plain functions. `node.ts` and `worker.ts` assemble an AppDeps; handlers read it from `c.var.deps`.
 *
 * Ownership while the first version is built (see edge/README.md): each port's implementation
 * lives in the folder named beside it.
 */
import type { DataSource, DropoffRisk, Forecast, Gamification, RiskLevel, Role, Velocity } from "./contract.ts";

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
  profile(learnerId: string, opts?: { requestId?: string }): Promise<LearnerProfile | null>;
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
  embed?: { learnerId: string; widgets: string[] };
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

/**
 * Everything a request may use. Grows as the ports land: config, logger, insights
 * (src/insights/), store (src/store/), ai (src/ai/), rate limiter (src/http/).
 */
export interface AppDeps {
  clock: Clock;
  runtime: "node" | "workerd";
}
