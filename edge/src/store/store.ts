/**
 * The AnalyticsStore over any `StoreCall`: argument shaping, keyset cursors and answer parsing live
 * here once, so the SQL and supabase-js adapters cannot drift apart.
 */
import type { RiskLevel } from "../contract.ts";
import type { GamificationState } from "../gamification/read-model.ts";
import { isStorableText } from "./storable-text.ts";
import {
  type AiResult,
  type AiUsageDay,
  type AnalyticsReader,
  type AnalyticsStore,
  type AtRiskRow,
  type DueSnapshot,
  type LearnerHistory,
  type LearnerListing,
  type ListScope,
  type OrgSummary,
  type Page,
  type Snapshot,
  type StoreActor,
  type StoreCall,
  StoreError,
} from "./types.ts";

const RISK_ORDER: readonly RiskLevel[] = ["low", "medium", "high", "critical"];
export const MAX_PAGE = 200;

/** Opaque keyset cursor: the last row's sort key, base64url JSON. */
export function encodeCursor(key: readonly (string | number)[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify(key));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function decodeCursor(cursor: string, shape: readonly ("string" | "number")[]): (string | number)[] {
  try {
    const binary = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    const key: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    // Strings go to PostgreSQL, which refuses NUL and lone surrogates: such a cursor is not ours either.
    const storable = (v: unknown) => typeof v !== "string" || isStorableText(v);
    if (
      Array.isArray(key) &&
      key.length === shape.length &&
      key.every((v, i) => typeof v === shape[i] && storable(v))
    ) {
      return key;
    }
  } catch {}
  throw new StoreError("invalid_cursor", "the cursor is not one this API issued");
}

/**
 * The at-risk list's cursor: the level's rank (low 0 ... critical 3, as the `risk_rank` column),
 * score and learner id. A cursor from before ranks were in it ([score, id]) is not one to resume.
 */
function atRiskCursor(cursor: string): [number, number, string] {
  const [rank, score, learnerId] = decodeCursor(cursor, ["number", "number", "string"]) as [number, number, string];
  if (!Number.isInteger(rank) || rank < 0 || rank >= RISK_ORDER.length) {
    throw new StoreError("invalid_cursor", "the cursor is not one this API issued");
  }
  return [rank, score, learnerId];
}

/** The trainer a read is narrowed to; null for the whole organization. */
const trainerOf = (scope: ListScope | undefined) => (scope?.kind === "trainer" ? scope.trainerId : null);
const pageLimit = (limit: number | undefined) => Math.min(Math.max(Math.trunc(limit ?? 50), 1), MAX_PAGE);
const dateOrNull = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
const numberOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function page<Row, Out>(rows: Row[], limit: number, toOut: (r: Row) => Out, key: (r: Row) => (string | number)[]) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(toOut),
    nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null,
  } satisfies Page<Out>;
}

type Row = Record<string, unknown>;

function reader(call: StoreCall, actor: StoreActor): AnalyticsReader {
  const rpc = (fn: Parameters<StoreCall>[0], args: Record<string, unknown> = {}) => call(fn, args, actor);
  return {
    async gamificationState(learnerId) {
      const s = (await rpc("gamification_state", { p_learner_id: learnerId })) as GamificationState | null;
      return s ? { ...s, points: Number(s.points) } : null;
    },

    async readSnapshot<T>(learnerId: string, kind: string) {
      const s = (await rpc("read_snapshot", { p_learner_id: learnerId, p_kind: kind })) as Row | null;
      if (!s) return null;
      return {
        ...(s as unknown as Snapshot<T>),
        calculatedAt: new Date(s.calculatedAt as string),
        expiresAt: new Date(s.expiresAt as string),
      };
    },

    async listLearners(orgId, opts = {}) {
      const limit = pageLimit(opts.limit);
      const [afterName, afterId] = opts.cursor ? decodeCursor(opts.cursor, ["string", "string"]) : [null, null];
      const rows = (await rpc("list_learners", {
        p_org_id: orgId,
        p_after_name: afterName,
        p_after_id: afterId,
        p_limit: limit + 1,
        p_trainer_id: trainerOf(opts.scope),
      })) as Row[];
      return page(
        rows,
        limit,
        (r): LearnerListing => ({
          learnerId: r.learnerId as string,
          displayName: r.displayName as string,
          timeZone: r.timeZone as string,
          points: Number(r.points),
          riskScore: numberOrNull(r.riskScore),
          riskLevel: (r.riskLevel as RiskLevel | null) ?? null,
          calculatedAt: dateOrNull(r.riskCalculatedAt),
        }),
        (r) => [r.displayName as string, r.learnerId as string],
      );
    },

    async listAtRisk(orgId, opts = {}) {
      const limit = pageLimit(opts.limit);
      const levels = RISK_ORDER.slice(RISK_ORDER.indexOf(opts.minLevel ?? "high"));
      // Ordered by level, then chance of leaving (levels are relative to the course week, so a
      // critical learner may score below a high one): the cursor is [rank, score, learner id].
      const [afterRank, afterScore, afterId] = opts.cursor ? atRiskCursor(opts.cursor) : [null, null, null];
      const rows = (await rpc("list_at_risk", {
        p_org_id: orgId,
        p_levels: levels,
        p_after_score: afterScore,
        p_after_id: afterId,
        p_limit: limit + 1,
        p_trainer_id: trainerOf(opts.scope),
        p_after_rank: afterRank,
      })) as Row[];
      return page(
        rows,
        limit,
        (r): AtRiskRow & { expiresAt: Date } => ({
          learnerId: r.learnerId as string,
          displayName: r.displayName as string,
          riskScore: Number(r.riskScore),
          riskLevel: r.riskLevel as RiskLevel,
          topFactor: (r.topFactor as string | null) ?? null,
          calculatedAt: new Date(r.calculatedAt as string),
          expiresAt: new Date(r.expiresAt as string),
        }),
        (r) => [RISK_ORDER.indexOf(r.riskLevel as RiskLevel), Number(r.riskScore), r.learnerId as string],
      );
    },

    async orgSummary(orgId, opts = {}) {
      const s = (await rpc("org_summary", {
        p_org_id: orgId,
        p_now: (opts.now ?? new Date()).toISOString(),
        p_trainer_id: trainerOf(opts.scope),
      })) as Row;
      const levels = s.byRiskLevel as Record<RiskLevel, number>;
      return {
        orgId,
        learnerCount: Number(s.learnerCount),
        atRiskCount: Number(s.atRiskCount),
        byRiskLevel: {
          low: Number(levels.low),
          medium: Number(levels.medium),
          high: Number(levels.high),
          critical: Number(levels.critical),
        },
        averageRiskScore: numberOrNull(s.averageRiskScore),
        calculatedAt: dateOrNull(s.calculatedAt),
        activeLearners7d: Number(s.activeLearners7d),
        events7d: Number(s.events7d),
        totalPoints: Number(s.totalPoints),
        badgesAwarded: Number(s.badgesAwarded),
      } satisfies OrgSummary;
    },

    async readAiResult<T>(learnerId: string, kind: string, inputHash: string) {
      const r = (await rpc("read_ai_result", {
        p_learner_id: learnerId,
        p_kind: kind,
        p_input_hash: inputHash,
      })) as Row | null;
      if (!r) return null;
      return {
        ...(r as unknown as AiResult<T>),
        createdAt: new Date(r.createdAt as string),
        expiresAt: new Date(r.expiresAt as string),
      };
    },

    async aiUsageByDay(orgId, from, to) {
      const days = (await rpc("ai_usage_by_day", { p_org_id: orgId, p_from: from, p_to: to })) as Row[];
      return days.map(
        (d): AiUsageDay => ({
          day: String(d.day),
          calls: Number(d.calls),
          failedCalls: Number(d.failedCalls),
          tokensIn: Number(d.tokensIn),
          tokensOut: Number(d.tokensOut),
          estimatedCostUsd: Number(d.estimatedCostUsd),
        }),
      );
    },
  };
}

/** Build the store from an adapter's call function. */
export function createStore(call: StoreCall, close: () => Promise<void>): AnalyticsStore {
  const service: StoreActor = { kind: "service" };
  const rpc = (fn: Parameters<StoreCall>[0], args: Record<string, unknown> = {}) => call(fn, args, service);
  return {
    ...reader(call, service),
    forUser: (user) => reader(call, { kind: "user", ...user }),

    async upsertDirectoryUsers(users) {
      if (users.length > 0) await rpc("upsert_directory_users", { p_users: users });
    },

    async ingestEvent(event, awards, rulesVersion) {
      const r = (await rpc("ingest_event", {
        p_event: event,
        p_awards: awards,
        p_rules_version: rulesVersion,
      })) as Row;
      return { eventId: r.eventId as string, status: r.status as "accepted" | "duplicate", points: Number(r.points) };
    },

    async ingestEvents(items, rulesVersion) {
      if (items.length === 0) return [];
      const rows = (await rpc("ingest_events", { p_items: items, p_rules_version: rulesVersion })) as Row[];
      return rows.map((r) =>
        r.status === "rejected"
          ? {
              eventId: r.eventId as string,
              status: "rejected" as const,
              code: r.code === "MS802" ? ("wrong_org" as const) : ("unknown_learner" as const),
              message: r.message as string,
            }
          : { eventId: r.eventId as string, status: r.status as "accepted" | "duplicate", points: Number(r.points) },
      );
    },

    async learnerHistory(learnerId) {
      const h = (await rpc("learner_history", { p_learner_id: learnerId })) as LearnerHistory | null;
      return h ? { ...h, version: Number(h.version) } : null;
    },

    async recordLearnerProgress(learnerId, historyVersion, progress) {
      const r = (await rpc("record_learner_progress", {
        p_learner_id: learnerId,
        p_history_version: historyVersion,
        p_progress: progress,
      })) as Row;
      return { status: r.status as "recorded" | "stale", newBadges: (r.newBadges as string[] | undefined) ?? [] };
    },

    async writeSnapshot(snapshot) {
      const r = (await rpc("write_snapshot", {
        p_snapshot: {
          ...snapshot,
          calculatedAt: snapshot.calculatedAt.toISOString(),
          expiresAt: snapshot.expiresAt.toISOString(),
        },
      })) as Row;
      return r.written === true;
    },

    async writeAiResult(result) {
      await rpc("write_ai_result", {
        p_result: {
          ...result,
          createdAt: result.createdAt?.toISOString(),
          expiresAt: result.expiresAt.toISOString(),
        },
      });
    },

    async recordAiUsage(usage) {
      await rpc("record_ai_usage", { p_usage: { ...usage, createdAt: usage.createdAt?.toISOString() } });
    },

    async claimDueRiskSnapshots({ now, version, retiredVersions, limit, leaseSeconds }) {
      const rows = (await rpc("claim_due_risk_snapshots", {
        p_now: now.toISOString(),
        p_version: version,
        p_retired_versions: retiredVersions,
        p_limit: limit,
        p_lease_seconds: leaseSeconds,
      })) as Row[];
      return rows.map(
        (r): DueSnapshot => ({
          learnerId: r.learnerId as string,
          orgId: r.orgId as string,
          expiresAt: new Date(r.expiresAt as string),
          currentVersion: r.currentVersion === true,
        }),
      );
    },

    async markLearnerDeparted(learnerId) {
      const r = (await rpc("mark_learner_departed", { p_learner_id: learnerId })) as Row;
      return { snapshots: Number(r.snapshots), wasLearner: r.wasLearner === true };
    },

    async claimDueRosterCheck({ now, everySeconds, leaseSeconds, orgIds }) {
      const r = (await rpc("claim_due_roster_check", {
        p_now: now.toISOString(),
        p_every_seconds: everySeconds,
        p_lease_seconds: leaseSeconds,
        p_org_ids: orgIds,
      })) as Row;
      return typeof r.orgId === "string" ? r.orgId : null;
    },

    async finishRosterCheck(orgId, now, outcome) {
      await rpc("finish_roster_check", { p_org_id: orgId, p_now: now.toISOString(), p_outcome: outcome });
    },

    async learnersWithoutRiskSnapshot(learnerIds) {
      if (learnerIds.length === 0) return [];
      return (await rpc("learners_without_risk_snapshot", { p_learner_ids: learnerIds })) as string[];
    },

    async ping() {
      await rpc("store_health");
    },

    close,
  };
}
