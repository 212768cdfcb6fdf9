/**
 * Event ingestion: validate each event, check its learner against the Directory, then write each
 * one with its point awards in one transaction (`ingest_event`), idempotent by eventId. Afterwards
 * the streak and badges of every learner touched are recomputed from their whole history, so late
 * and out-of-order events end in the same state as in-order ones.
 */
import type { Clock } from "../deps.ts";
import { progressFrom, usableTimeZone } from "../gamification/progress.ts";
import { awardsFor, EVENT_TYPES, type EventType, type LearningEvent, RULES_VERSION } from "../gamification/rules.ts";
import { type AnalyticsStore, type IngestOutcome, type IngestRefusal, StoreError } from "../store/types.ts";
import { EVENT_DATA, EventInput, FUTURE_SKEW_MS, type IngestSummary, type Rejection } from "./schema.ts";

/** The earliest occurredAt taken: 1970-01-01T00:00:00Z. */
const EARLIEST_EVENT_MS = 0;

/** What the Directory says about a learner; null when it does not know them. */
export interface KnownLearner {
  learnerId: string;
  orgId: string;
  displayName?: string;
  timeZone: string;
  /** Trainers of the learner's courses (insights.profile knows them); absent keeps the stored ones. */
  trainerIds?: string[];
}

export interface IngestionDeps {
  /** `ingestEvents` (chunks in one round trip) when the store has it, else one `ingestEvent` per event. */
  store: Pick<AnalyticsStore, "upsertDirectoryUsers" | "ingestEvent" | "learnerHistory" | "recordLearnerProgress"> &
    Partial<Pick<AnalyticsStore, "ingestEvents">>;
  /** The Directory lookup (e.g. `insights.profile`). Throwing fails the request, so the sender retries. */
  lookupLearner(learnerId: string): Promise<KnownLearner | null>;
  /** Told which learners' ledgers changed, e.g. to drop their cached gamification answers. */
  onLearnersChanged?(learnerIds: string[]): Promise<void> | void;
  clock?: Clock;
  /** Writes in flight at once (chunks, or single events). */
  concurrency?: number;
  /** Events per `ingestEvents` call; each event is still its own all-or-nothing unit. */
  chunkSize?: number;
}

const isEventType = (type: string): type is EventType => (EVENT_TYPES as readonly string[]).includes(type);

const fieldErrors = (issues: { path: PropertyKey[]; message: string }[], prefix: string[] = []) =>
  issues.map((i) => ({ path: [...prefix, ...i.path.map(String)].join("."), message: i.message }));

type SourcedEvent = LearningEvent & { source?: "api" | "xapi" };
type Checked = { ok: true; event: SourcedEvent } | { ok: false; rejection: Omit<Rejection, "index"> };

/** Shape, type and data of one event; the Directory checks come after. */
export function checkEvent(raw: unknown, now: Date): Checked {
  const eventId =
    typeof raw === "object" && raw !== null && typeof (raw as { eventId?: unknown }).eventId === "string"
      ? (raw as { eventId: string }).eventId
      : null;
  const parsed = EventInput.safeParse(raw);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error.issues);
    const detail = errors.map((e) => `${e.path}: ${e.message}`).join("; ");
    return { ok: false, rejection: { eventId, reason: "malformed", detail, errors } };
  }
  const { type } = parsed.data;
  if (!isEventType(type)) {
    return {
      ok: false,
      rejection: {
        eventId,
        reason: "unknown_type",
        detail: `unknown type "${type}"; known: ${EVENT_TYPES.join(", ")}`,
      },
    };
  }
  const data = EVENT_DATA[type].safeParse(parsed.data.data);
  if (!data.success) {
    const errors = fieldErrors(data.error.issues, ["data"]);
    const detail = errors.map((e) => `${e.path}: ${e.message}`).join("; ");
    return { ok: false, rejection: { eventId, reason: "malformed", detail, errors } };
  }
  const occurredAt = new Date(parsed.data.occurredAt);
  // Before any learning platform (and before year 1, which PostgreSQL refuses for the whole batch).
  const tooEarly = occurredAt.getTime() < EARLIEST_EVENT_MS;
  if (tooEarly || occurredAt.getTime() > now.getTime() + FUTURE_SKEW_MS) {
    const message = tooEarly ? "occurredAt is before 1970" : "occurredAt is in the future";
    return {
      ok: false,
      rejection: { eventId, reason: "malformed", detail: message, errors: [{ path: "occurredAt", message }] },
    };
  }
  return {
    ok: true,
    event: { ...parsed.data, type, occurredAt: occurredAt.toISOString(), data: data.data as Record<string, unknown> },
  };
}

/** Run `work` over `items` with at most `limit` in flight. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}

/** Recompute a learner's streak and badges; retried while newer events keep arriving. */
export async function refreshLearnerProgress(store: IngestionDeps["store"], learnerId: string, attempts = 5) {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const history = await store.learnerHistory(learnerId);
    if (!history) return;
    const result = await store.recordLearnerProgress(
      learnerId,
      history.version,
      progressFrom(history.events, usableTimeZone(history.timeZone)),
    );
    if (result.status === "recorded") return;
  }
  // Still stale: whoever wrote the newer events refreshes after them, so nothing is lost.
}

export async function ingestEvents(batch: unknown[], deps: IngestionDeps): Promise<IngestSummary> {
  const now = deps.clock?.now() ?? new Date();
  const rejections: Rejection[] = [];
  const valid: { index: number; event: SourcedEvent }[] = [];
  const seen = new Set<string>();
  let duplicates = 0;

  batch.forEach((raw, index) => {
    const checked = checkEvent(raw, now);
    if (!checked.ok) {
      rejections.push({ index, ...checked.rejection });
    } else if (seen.has(checked.event.eventId.toLowerCase())) {
      duplicates += 1; // the same event twice in one batch
    } else {
      seen.add(checked.event.eventId.toLowerCase());
      valid.push({ index, event: checked.event });
    }
  });

  // One Directory lookup per learner; a failing Directory fails the request (nothing written yet).
  const learnerIds = [...new Set(valid.map((v) => v.event.learnerId))];
  const known = new Map<string, KnownLearner | null>();
  await eachLimited(learnerIds, 8, async (learnerId) => {
    known.set(learnerId, await deps.lookupLearner(learnerId));
  });

  const writable: typeof valid = [];
  for (const v of valid) {
    const learner = known.get(v.event.learnerId);
    if (!learner) {
      rejections.push({
        index: v.index,
        eventId: v.event.eventId,
        reason: "unknown_learner",
        detail: `the Directory does not know learner ${v.event.learnerId}`,
      });
    } else if (learner.orgId !== v.event.orgId) {
      rejections.push({
        index: v.index,
        eventId: v.event.eventId,
        reason: "wrong_org",
        detail: `learner ${v.event.learnerId} is not in organization ${v.event.orgId}`,
      });
    } else {
      writable.push(v);
    }
  }

  const mirrored = [...new Set(writable.map((v) => v.event.learnerId))].map((id) => known.get(id)!);
  await deps.store.upsertDirectoryUsers(
    mirrored.map((l) => ({
      userId: l.learnerId,
      orgId: l.orgId,
      displayName: l.displayName ?? l.learnerId,
      roles: ["learner"],
      timeZone: usableTimeZone(l.timeZone),
      ...(l.trainerIds ? { trainerIds: l.trainerIds } : {}),
    })),
  );

  let accepted = 0;
  const touched = new Set<string>();
  const changed = new Set<string>();
  const record = (index: number, event: SourcedEvent, outcome: IngestOutcome | IngestRefusal) => {
    if (outcome.status === "rejected") {
      // The mirror moved between lookup and write (another batch re-synced the learner).
      rejections.push({ index, eventId: event.eventId, reason: outcome.code, detail: outcome.message });
      return;
    }
    touched.add(event.learnerId);
    if (outcome.status === "accepted") {
      accepted += 1;
      changed.add(event.learnerId);
    } else {
      duplicates += 1;
    }
  };

  const { store } = deps;
  if (store.ingestEvents) {
    const ingestChunk = store.ingestEvents.bind(store);
    const size = deps.chunkSize ?? 50;
    const chunks = Array.from({ length: Math.ceil(writable.length / size) }, (_, i) =>
      writable.slice(i * size, (i + 1) * size),
    );
    await eachLimited(chunks, deps.concurrency ?? 2, async (chunk) => {
      const outcomes = await ingestChunk(
        chunk.map(({ event }) => ({ event, awards: awardsFor(event) })),
        RULES_VERSION,
      );
      const byId = new Map(outcomes.map((o) => [o.eventId.toLowerCase(), o]));
      for (const { index, event } of chunk) record(index, event, byId.get(event.eventId.toLowerCase())!);
    });
  } else {
    await eachLimited(writable, deps.concurrency ?? 4, async ({ index, event }) => {
      try {
        record(index, event, await store.ingestEvent(event, awardsFor(event), RULES_VERSION));
      } catch (error) {
        if (error instanceof StoreError && (error.code === "wrong_org" || error.code === "unknown_learner")) {
          record(index, event, {
            eventId: event.eventId,
            status: "rejected",
            code: error.code,
            message: error.message,
          });
          return;
        }
        throw error;
      }
    });
  }

  // Duplicates too: a batch retried after a crash must still finish the progress it interrupted.
  await eachLimited([...touched], deps.concurrency ?? 4, (learnerId) => refreshLearnerProgress(deps.store, learnerId));

  if (changed.size > 0 && deps.onLearnersChanged) {
    try {
      await deps.onLearnersChanged([...changed].sort());
    } catch {
      // The events are stored; a cache that missed the news expires on its own TTL.
    }
  }

  rejections.sort((a, b) => a.index - b.index);
  return { accepted, duplicates, rejected: rejections.length, rejections };
}
