/**
 * MS8's data access: one interface, `AnalyticsStore`, over the SQL functions of
 * supabase/migrations. Adapters differ only in how they call a function (see `StoreCall`): SQL
 * through postgres.js or PGlite (sql.ts) and supabase-js over PostgREST's /rpc (supabase.ts).
 */

import type { RiskLevel, Role } from "../contract.ts";
import type { AtRiskRow, Page } from "../deps.ts";
import type { LearnerProgress } from "../gamification/progress.ts";
import type { GamificationState } from "../gamification/read-model.ts";
import type { Award, LearningEvent } from "../gamification/rules.ts";

export type { AtRiskRow, Page };

/** Who a call runs as: the service role (the BFF after authorizing) or a user under RLS. */
export type StoreActor = { kind: "service" } | { kind: "user"; userId: string; orgId: string; roles: Role[] };

/** Calls one of the SQL functions by name with named arguments; answers its JSON result. */
export type StoreCall = (fn: StoreFunction, args: Record<string, unknown>, actor: StoreActor) => Promise<unknown>;

/** The SQL functions and their argument types (as declared in the migrations). */
export const STORE_FUNCTIONS = {
  upsert_directory_users: { p_users: "jsonb" },
  ingest_event: { p_event: "jsonb", p_awards: "jsonb", p_rules_version: "text" },
  ingest_events: { p_items: "jsonb", p_rules_version: "text" },
  learner_history: { p_learner_id: "text" },
  record_learner_progress: { p_learner_id: "text", p_history_version: "bigint", p_progress: "jsonb" },
  gamification_state: { p_learner_id: "text" },
  write_snapshot: { p_snapshot: "jsonb" },
  read_snapshot: { p_learner_id: "text", p_kind: "text" },
  list_learners: {
    p_org_id: "text",
    p_after_name: "text",
    p_after_id: "text",
    p_limit: "integer",
    p_trainer_id: "text",
  },
  list_at_risk: {
    p_org_id: "text",
    p_levels: "text[]",
    p_after_score: "double precision",
    p_after_id: "text",
    p_limit: "integer",
    p_trainer_id: "text",
    p_after_rank: "smallint",
  },
  org_summary: { p_org_id: "text", p_now: "timestamptz", p_trainer_id: "text" },
  write_ai_result: { p_result: "jsonb" },
  read_ai_result: { p_learner_id: "text", p_kind: "text", p_input_hash: "text" },
  record_ai_usage: { p_usage: "jsonb" },
  ai_usage_by_day: { p_org_id: "text", p_from: "date", p_to: "date" },
  mark_learner_departed: { p_learner_id: "text" },
  claim_due_risk_snapshots: {
    p_now: "timestamptz",
    p_version: "text",
    p_retired_versions: "text[]",
    p_limit: "integer",
    p_lease_seconds: "integer",
  },
  claim_due_roster_check: {
    p_now: "timestamptz",
    p_every_seconds: "integer",
    p_lease_seconds: "integer",
    p_org_ids: "text[]",
  },
  finish_roster_check: { p_org_id: "text", p_now: "timestamptz", p_outcome: "text" },
  learners_without_risk_snapshot: { p_learner_ids: "text[]" },
  store_health: {},
} as const satisfies Record<string, Record<string, SqlArgType>>;
export type SqlArgType =
  | "jsonb"
  | "text"
  | "smallint"
  | "integer"
  | "bigint"
  | "double precision"
  | "timestamptz"
  | "date"
  | "text[]";
export type StoreFunction = keyof typeof STORE_FUNCTIONS;

export type RosterCheckOutcome = "complete" | "more" | "failed";

/** A learner whose stored drop-off risk is due for recomputation (see claimDueRiskSnapshots). */
export interface DueSnapshot {
  learnerId: string;
  orgId: string;
  expiresAt: Date;
  /** False when the snapshot was computed by other formulas than the running ones. */
  currentVersion: boolean;
}

/** A Directory user as MS8 mirrors it. */
export interface DirectoryUser {
  userId: string;
  orgId: string;
  orgName?: string;
  displayName: string;
  roles: Role[];
  timeZone: string;
  /**
   * A learner's trainers: those assigned to any of the learner's courses (the profile's
   * trainerIds). Empty: no trainer is listed, so every trainer of the organization may read them.
   * Absent on a new learner: not known yet, and no trainer may read them until it is written.
   * Absent: this writer does not know the courses, and the stored list is kept.
   */
  trainerIds?: string[];
}

/**
 * Whose learners an organization read covers: everyone (org admins, and the default), or the
 * learners one trainer may open (trainer_ids contains them or is empty, as learnerAccess decides).
 */
export type ListScope = { kind: "organization" } | { kind: "trainer"; trainerId: string };

export interface Snapshot<T = unknown> {
  learnerId: string;
  orgId: string;
  /** velocity, dropoff_risk, forecast, gamification, ... */
  kind: string;
  computationVersion: string;
  payload: T;
  calculatedAt: Date;
  expiresAt: Date;
}

/** A learner of an organization list (a superset of deps.ts's LearnerRow). */
export interface LearnerListing {
  learnerId: string;
  displayName: string;
  timeZone: string;
  /** Points as of the learner's last progress refresh (ingestion refreshes right after writing). */
  points: number;
  riskScore: number | null;
  riskLevel: RiskLevel | null;
  /** When the risk snapshot was calculated; null when the learner was never scored. */
  calculatedAt: Date | null;
}

/** The organization dashboard's figures (GET /orgs/{orgId}/summary). */
export interface OrgSummary {
  orgId: string;
  learnerCount: number;
  /** Learners whose latest risk level is high or critical. */
  atRiskCount: number;
  byRiskLevel: Record<RiskLevel, number>;
  averageRiskScore: number | null;
  /** The oldest risk snapshot the figures were built from; null when there is none. */
  calculatedAt: Date | null;
  activeLearners7d: number;
  events7d: number;
  totalPoints: number;
  badgesAwarded: number;
}

export interface AiResult<T = unknown> {
  learnerId: string;
  orgId: string;
  kind: string;
  inputHash: string;
  model: string;
  aiSource: "gemini" | "fallback";
  payload: T;
  createdAt: Date;
  expiresAt: Date;
}

export interface AiUsage {
  orgId: string;
  learnerId?: string | null;
  kind: string;
  model: string;
  inputTokens?: number;
  outputTokens?: number;
  latencyMs?: number | null;
  estimatedCostUsd?: number;
  outcome: "ok" | "error" | "timeout" | "invalid_output" | "rate_limited" | "budget_exceeded";
  createdAt?: Date;
}

/** One UTC day of an organization's AI use. */
export interface AiUsageDay {
  day: string;
  calls: number;
  failedCalls: number;
  tokensIn: number;
  tokensOut: number;
  estimatedCostUsd: number;
}

export interface LearnerHistory {
  learnerId: string;
  orgId: string;
  timeZone: string;
  /** The learner's event count when read; record_learner_progress refuses an outdated one. */
  version: number;
  events: Pick<LearningEvent, "eventId" | "type" | "occurredAt" | "data">[];
}

export interface IngestOutcome {
  eventId: string;
  status: "accepted" | "duplicate";
  points: number;
}

/** An event of a chunk the database refused (its learner unknown or in another organization). */
export interface IngestRefusal {
  eventId: string;
  status: "rejected";
  code: "unknown_learner" | "wrong_org";
  message: string;
}

/** What every caller may read; rows are filtered by RLS when the actor is a user. */
export interface AnalyticsReader {
  gamificationState(learnerId: string): Promise<GamificationState | null>;
  readSnapshot<T = unknown>(learnerId: string, kind: string): Promise<Snapshot<T> | null>;
  listLearners(
    orgId: string,
    opts?: { cursor?: string | null; limit?: number; scope?: ListScope },
  ): Promise<Page<LearnerListing>>;
  listAtRisk(
    orgId: string,
    opts?: { minLevel?: RiskLevel; cursor?: string | null; limit?: number; scope?: ListScope },
  ): Promise<Page<AtRiskRow & { expiresAt: Date }>>;
  /** A trainer's summary is counted over their learners; the organization's comes from its rollup. */
  orgSummary(orgId: string, opts?: { now?: Date; scope?: ListScope }): Promise<OrgSummary>;
  readAiResult<T = unknown>(learnerId: string, kind: string, inputHash: string): Promise<AiResult<T> | null>;
  /** Days with any use from `from` to `to` (UTC, YYYY-MM-DD, inclusive), ascending. */
  aiUsageByDay(orgId: string, from: string, to: string): Promise<AiUsageDay[]>;
}

export interface AnalyticsStore extends AnalyticsReader {
  /** The same reads under this user's claims, so row-level security applies too. */
  forUser(user: { userId: string; orgId: string; roles: Role[] }): AnalyticsReader;
  upsertDirectoryUsers(users: DirectoryUser[]): Promise<void>;
  ingestEvent(
    event: LearningEvent & { source?: "api" | "xapi" },
    awards: Award[],
    rulesVersion: string,
  ): Promise<IngestOutcome>;
  /** Many events in one round trip, each all or nothing; answers in event-id order. */
  ingestEvents(
    items: { event: LearningEvent & { source?: "api" | "xapi" }; awards: Award[] }[],
    rulesVersion: string,
  ): Promise<(IngestOutcome | IngestRefusal)[]>;
  learnerHistory(learnerId: string): Promise<LearnerHistory | null>;
  recordLearnerProgress(
    learnerId: string,
    historyVersion: number,
    progress: LearnerProgress,
  ): Promise<{ status: "recorded" | "stale"; newBadges: string[] }>;
  /** False when a fresher snapshot was already there (it is kept). */
  writeSnapshot(snapshot: Snapshot): Promise<boolean>;
  writeAiResult(result: Omit<AiResult, "createdAt"> & { createdAt?: Date }): Promise<void>;
  recordAiUsage(usage: AiUsage): Promise<void>;
  /**
   * Claims the learners whose drop-off snapshot the refresh job should recompute: computed by
   * `retiredVersions` first (before they expire), then expired by `now` (any formulas), least
   * recently tried first, then oldest; at most `limit` (1-1000). Each comes with a lease of
   * `leaseSeconds`: until it ends no other claim gets them. `currentVersion` compares with `version`.
   */
  claimDueRiskSnapshots(opts: {
    now: Date;
    version: string;
    retiredVersions: string[];
    limit: number;
    leaseSeconds: number;
  }): Promise<DueSnapshot[]>;
  /**
   * The Directory no longer knows this learner: their snapshots and lease go and the mirror stops
   * listing them as a learner, so no organization view shows them; the ledger stays.
   */
  markLearnerDeparted(learnerId: string): Promise<{ snapshots: number; wasLearner: boolean }>;
  /**
   * Claims the organization whose roster the refresh job should check next (every learner the
   * Directory lists, stored?): never finished first, then the one finished longest ago, if that was
   * at least `everySeconds` before `now`; with a lease of `leaseSeconds`. `orgIds`: the ones the
   * Directory lists (the store's own organizations are always candidates). Null when none is due.
   */
  claimDueRosterCheck(opts: {
    now: Date;
    everySeconds: number;
    leaseSeconds: number;
    orgIds: string[];
  }): Promise<string | null>;
  /**
   * Ends a roster check: `complete` (every listed learner stored; due again after the interval),
   * `more` (a batch taken, more waiting: the next run goes on), `failed` (retried after the lease).
   */
  finishRosterCheck(orgId: string, now: Date, outcome: RosterCheckOutcome): Promise<void>;
  /** Of these learners, the ones with no stored drop-off snapshot, in the order given. */
  learnersWithoutRiskSnapshot(learnerIds: string[]): Promise<string[]>;
  /** One round trip through the same path as every call, for /health. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type StoreErrorCode =
  | "unknown_learner"
  | "wrong_org"
  | "permission_denied"
  | "invalid_cursor"
  | "invalid_input"
  | "unavailable";

/** Every adapter throws these, so callers never see driver-specific errors. */
export class StoreError extends Error {
  readonly code: StoreErrorCode;
  readonly sqlState: string | undefined;
  constructor(code: StoreErrorCode, message: string, sqlState?: string) {
    super(message);
    this.name = "StoreError";
    this.code = code;
    this.sqlState = sqlState;
  }
}

/** SQLSTATE to StoreError: ours (MS801, MS802), privileges, bad input; anything else is unavailable. */
export function storeErrorFrom(sqlState: string | undefined, message: string): StoreError {
  if (sqlState === "MS801") return new StoreError("unknown_learner", message, sqlState);
  if (sqlState === "MS802") return new StoreError("wrong_org", message, sqlState);
  if (sqlState === "42501") return new StoreError("permission_denied", message, sqlState);
  if (sqlState?.startsWith("22") || sqlState?.startsWith("23"))
    return new StoreError("invalid_input", message, sqlState);
  return new StoreError("unavailable", message, sqlState);
}
