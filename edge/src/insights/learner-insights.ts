/**
 * LearnerInsights: a learner's analytics with caching and the fallback chain of
 * docs/architecture.md, recorded in `dataSource`:
 *
 *   response cache (fresh, or stale within grace while a refresh runs)  -> cached
 *   Postgres snapshot not yet expired (cache cold)                       -> cached
 *   upstream snapshot + pure analytics, within the deadline              -> realtime
 *   Postgres snapshot past expiry (upstreams failing)                    -> stale_cache
 *   synthetic learner, only when mockFallback                            -> mock
 *   otherwise UpstreamUnavailableError (the HTTP layer answers 503 + Retry-After)
 *
 * One upstream gather serves velocity, risk and forecast together, and concurrent cold requests
 * for one learner share it (single-flight), so a burst costs one call per endpoint.
 */
import { type CacheTtl, DEFAULT_TTL, type ResponseCache } from "../cache/response-cache.ts";
import { createSingleFlight, withSignal } from "../cache/single-flight.ts";
import type { DataSource, DropoffRisk, Forecast, Gamification, Velocity } from "../contract.ts";
import {
  type Clock,
  type Insight,
  type InsightOptions,
  type LearnerInsights,
  type LearnerProfile,
  type Logger,
  UpstreamUnavailableError,
} from "../deps.ts";
import { type GamificationState, gamificationView } from "../gamification/read-model.ts";
import type { AnalyticsStore } from "../store/types.ts";
import { UPSTREAM_SERVICE_NAMES, type UpstreamService, type Upstreams } from "../upstream/clients.ts";
import { UpstreamError, upstreamFailureText } from "../upstream/errors.ts";
import type { DirectoryUser, Enrollments } from "../upstream/schemas.ts";
import { defaultAnalytics, type InsightAnalytics } from "./analytics.ts";
import {
  fetchSnapshotSources,
  gatherLearnerSnapshot,
  isValidTimeZone,
  type SnapshotSources,
} from "./learner-snapshot.ts";
import { mockSnapshot } from "./mock.ts";

/** The snapshot kinds as the analytics_snapshots table names them. */
export type InsightKind = "velocity" | "dropoff_risk" | "forecast" | "gamification";
export const COMPUTED_KINDS = ["velocity", "dropoff_risk", "forecast"] as const;
type ComputedKind = (typeof COMPUTED_KINDS)[number];
interface KindData {
  velocity: Velocity;
  dropoff_risk: DropoffRisk;
  forecast: Forecast;
  gamification: Gamification;
}

/**
 * What insights needs from the AnalyticsStore (src/store/): snapshot persistence, the Directory
 * mirror the snapshots hang off, and the ledger state behind the gamification read model.
 */
export type InsightStore = Pick<
  AnalyticsStore,
  "readSnapshot" | "writeSnapshot" | "gamificationState" | "upsertDirectoryUsers"
>;

export interface LearnerInsightsDeps {
  upstreams: Upstreams;
  cache: ResponseCache;
  store: InsightStore;
  clock: Clock;
  /** Default: the pure functions of edge/src/analytics/. */
  analytics?: InsightAnalytics;
  /** Serve a synthetic learner when nothing else can answer (demo only; never in production). */
  mockFallback: boolean;
  logger?: Logger;
  /** Response cache lifetimes (default 300 s fresh, 600 s stale-while-revalidate). */
  ttl?: CacheTtl;
  /** How long a Postgres snapshot counts as current (default 4 h). */
  snapshotTtlSeconds?: number;
  /**
   * How long raw upstream answers (Directory user, enrollments, course assignments, the snapshot's
   * learner-keyed answers) are shared between requests; UPSTREAM_CACHE_SECONDS (default 60 s).
   */
  upstreamCacheSeconds?: number;
  /** Time the realtime attempt may take before the fallbacks answer (default 2500 ms). */
  deadlineMs?: number;
  /** Retry-After of the 503 when everything failed (default 30 s). */
  retryAfterSeconds?: number;
}

interface CachedInsight<T> {
  data: T;
  calculatedAt: string;
  expiresAt: string;
}

const cacheKey = (kind: InsightKind, learnerId: string) => `insight:v1:${kind}:${learnerId}`;
const profileKey = (learnerId: string) => `profile:v1:${learnerId}`;
const userKey = (learnerId: string) => `upstream:v1:directory-user:${learnerId}`;
const enrollmentsKey = (learnerId: string) => `upstream:v1:enrollments:${learnerId}`;
const sourcesKey = (learnerId: string) => `upstream:v1:snapshot-sources:${learnerId}`;
/** When the learner's Postgres snapshots stop being current (so a cold answer will come from there). */
const storedUntilKey = (learnerId: string) => `snapshot-current:v1:${learnerId}`;
/** A profile may authorize from a day-old copy when the Directory is down. */
const PROFILE_TTL: CacheTtl = { freshSeconds: 300, staleSeconds: 86_400 };

/** LearnerInsights whose profile() may be told not to start the snapshot's calls (see profile below). */
export interface WarmingLearnerInsights extends LearnerInsights {
  profile(learnerId: string, opts?: { requestId?: string; warmSnapshot?: boolean }): Promise<LearnerProfile | null>;
}

export function createLearnerInsights(deps: LearnerInsightsDeps): WarmingLearnerInsights {
  const { upstreams, store, clock, logger } = deps;
  const analytics = deps.analytics ?? defaultAnalytics;
  const ttl = deps.ttl ?? DEFAULT_TTL;
  const snapshotTtlMs = (deps.snapshotTtlSeconds ?? 4 * 3600) * 1000;
  const deadlineMs = deps.deadlineMs ?? 2500;
  const retryAfterSeconds = deps.retryAfterSeconds ?? 30;
  const flights = createSingleFlight();
  /** Raw upstream answers shared by profile() and the snapshot gather within one page load. */
  const rawTtl: CacheTtl = { freshSeconds: deps.upstreamCacheSeconds ?? 60, staleSeconds: 0 };
  const warn = (msg: string, fields: Record<string, unknown>) => logger?.log("warn", { msg, ...fields });
  const cache = forgivingCache(deps.cache, warn);
  // The promise handed to waitUntil resolves to whether the work succeeded (it never rejects): the
  // refresh job counts a snapshot that could not be written as a failure, not as computed.
  const background = (work: Promise<unknown>, opts?: InsightOptions) => {
    const guarded = work.then(
      () => true,
      (error: unknown) => {
        warn("background refresh failed", { requestId: opts?.requestId, error: describe(error) });
        return false;
      },
    );
    if (opts?.waitUntil) opts.waitUntil(guarded);
  };

  /** A raw upstream answer through the cache and single-flight (Directory user, enrollments). */
  async function shared<T>(key: string, load: () => Promise<T>, keep: (value: T) => boolean = () => true): Promise<T> {
    const hit = await cache.get<T>(key);
    if (hit && hit.freshUntil > clock.now().getTime()) return hit.value;
    return flights.run(key, async () => {
      const value = await load();
      if (keep(value)) await cache.set(key, value, rawTtl);
      return value;
    });
  }
  const directoryUser = (learnerId: string, signal: AbortSignal, requestId?: string) =>
    shared<DirectoryUser | null>(userKey(learnerId), () => upstreams.directory.user(learnerId, { signal, requestId }));
  const enrollmentsOf = (learnerId: string, signal: AbortSignal, requestId?: string) =>
    shared<Enrollments>(enrollmentsKey(learnerId), () =>
      upstreams.course.enrollments(learnerId, { signal, requestId }),
    );
  /** Answers missing an optional source are shared by concurrent callers but not kept: the next gather asks again. */
  const snapshotSourcesOf = (learnerId: string, signal: AbortSignal, requestId?: string) =>
    shared<SnapshotSources>(
      sourcesKey(learnerId),
      () => fetchSnapshotSources(upstreams, learnerId, { signal, requestId }),
      (sources) => sources.labs.ok && sources.logins.ok && sources.questions.ok,
    );

  /**
   * A learner route authorizes with profile() and then reads analytics, so a cold profile starts
   * the snapshot's learner-keyed calls at once instead of after the Directory and Course Builder
   * have answered (the two latencies would add up). Skipped when the analytics are already cached
   * or a current Postgres snapshot will answer, as far as the cache knows: asking Postgres itself
   * would put a database round trip before the calls on every cold answer (after a restart of a
   * Node BFF the cache does not know, and one gather may go unused). Nothing gathered here reaches a
   * caller who was not authorized: it only sits in the raw cache the later gather reads.
   */
  async function warmSnapshotSources(learnerId: string, requestId?: string): Promise<void> {
    const [answer, storedUntil] = await Promise.all([
      cache.get(cacheKey("velocity", learnerId)),
      cache.get<string>(storedUntilKey(learnerId)),
    ]);
    if (answer) return;
    if (storedUntil && Date.parse(storedUntil.value) > clock.now().getTime()) return;
    // Resolves once the calls are on their way; a failure shows again, and is handled, when the
    // gather itself asks.
    snapshotSourcesOf(learnerId, AbortSignal.timeout(deadlineMs), requestId).catch(() => undefined);
  }
  /** Notes until when the learner's Postgres snapshots are current (read by warmSnapshotSources). */
  const noteStoredUntil = (learnerId: string, expiresAt: Date) => {
    const seconds = Math.ceil((expiresAt.getTime() - clock.now().getTime()) / 1000);
    if (seconds <= 0) return Promise.resolve();
    return cache.set(storedUntilKey(learnerId), expiresAt.toISOString(), {
      freshSeconds: Math.max(60, seconds), // KV keeps nothing for less than 60 s
      staleSeconds: 0,
    });
  };

  async function loadProfile(learnerId: string, requestId?: string): Promise<LearnerProfile | null> {
    const signal = AbortSignal.timeout(deadlineMs);
    const [userResult, enrollmentsResult] = await Promise.allSettled([
      directoryUser(learnerId, signal, requestId),
      enrollmentsOf(learnerId, signal, requestId),
    ]);
    // The Directory's word decides who is a learner, whatever the Course Builder is doing: a "no
    // such learner" stays a 404 (and an unknown_learner event) while only the courses are down.
    if (userResult.status === "rejected") throw userResult.reason;
    const user = userResult.value;
    if (!user?.roles.includes("learner")) return null;
    if (enrollmentsResult.status === "rejected") throw enrollmentsResult.reason;
    const enrollments = enrollmentsResult.value;
    const assignments = await shared(`upstream:v1:course-assignments:${user.orgId}`, () =>
      upstreams.directory.courseAssignments(user.orgId, { signal, requestId }),
    );
    const courseIds = enrollments.items.map((e) => e.courseId);
    const trainerIds = [
      ...new Set((assignments?.items ?? []).filter((a) => courseIds.includes(a.courseId)).map((a) => a.trainerId)),
    ].sort();
    return {
      learnerId,
      orgId: user.orgId,
      displayName: user.displayName,
      timeZone: isValidTimeZone(user.timeZone) ? user.timeZone : "UTC",
      courseIds,
      trainerIds,
    };
  }

  /**
   * The learner as authorization needs them. `warmSnapshot: false` for callers that will not read
   * analytics next (event ingestion checking learners), so they do not start the snapshot's calls.
   */
  function profile(
    learnerId: string,
    opts?: { requestId?: string; warmSnapshot?: boolean },
  ): Promise<LearnerProfile | null> {
    // Warm memory cache: answered without a promise hop; anything else takes the full path below.
    const known = cache.peek?.<LearnerProfile | null>(profileKey(learnerId));
    if (known && known.freshUntil > clock.now().getTime()) return Promise.resolve(known.value);
    return loadOrReuseProfile(learnerId, opts);
  }

  async function loadOrReuseProfile(
    learnerId: string,
    opts?: { requestId?: string; warmSnapshot?: boolean },
  ): Promise<LearnerProfile | null> {
    const hit = await cache.get<LearnerProfile | null>(profileKey(learnerId));
    if (hit && hit.freshUntil > clock.now().getTime()) return hit.value;
    try {
      const fresh = await flights.run(profileKey(learnerId), async () => {
        if (opts?.warmSnapshot !== false) {
          // The snapshot's calls usually decide the answer time, so they go out before the profile's.
          await warmSnapshotSources(learnerId, opts?.requestId).catch(() => undefined);
        }
        const loaded = await loadProfile(learnerId, opts?.requestId);
        await cache.set(profileKey(learnerId), loaded, PROFILE_TTL);
        return loaded;
      });
      return fresh;
    } catch (error) {
      // Authorization never guesses: an old Directory answer, or no answer at all. An old "no such
      // learner" is not reused while the Directory is down: it may have been a passing 404.
      if (hit && hit.value !== null) return hit.value;
      warn("learner profile unavailable", { learnerId, requestId: opts?.requestId, error: describe(error) });
      // The profile needs the Directory and Course Builder: name the one that failed.
      const failed =
        error instanceof UpstreamError ? UPSTREAM_SERVICE_NAMES[error.service as UpstreamService] : undefined;
      throw new UpstreamUnavailableError(
        `${failed ? `the ${failed}` : "the Directory or Course Builder"} cannot answer for this learner`,
        retryAfterSeconds,
      );
    }
  }

  /** Gathers one snapshot and computes every upstream-backed kind from it; caches and persists them. */
  function computeAll(learnerId: string, opts?: InsightOptions) {
    return flights.run(`compute:${learnerId}`, async () => {
      const signal = AbortSignal.timeout(deadlineMs);
      const gathered = await gatherLearnerSnapshot(upstreams, learnerId, {
        asOf: clock.now(),
        user: () => directoryUser(learnerId, signal, opts?.requestId),
        enrollments: () => enrollmentsOf(learnerId, signal, opts?.requestId),
        sources: () => snapshotSourcesOf(learnerId, signal, opts?.requestId),
      });
      if (!gathered) throw new LearnerNotFoundError(learnerId);
      if (gathered.missingSources.length) {
        warn("snapshot built without optional sources", {
          learnerId,
          requestId: opts?.requestId,
          missing: gathered.missingSources,
        });
      }
      const { snapshot } = gathered;
      const calculatedAt = clock.now();
      const expiresAt = new Date(calculatedAt.getTime() + snapshotTtlMs);
      const results: { [K in ComputedKind]: KindData[K] } = {
        velocity: analytics.velocity(snapshot),
        dropoff_risk: analytics.dropoffRisk(snapshot),
        forecast: analytics.forecast(snapshot),
      };
      // Written together: on Workers each is a KV round trip on the answer's path.
      await Promise.all(
        COMPUTED_KINDS.map((kind) => {
          const cached: CachedInsight<unknown> = {
            data: results[kind],
            calculatedAt: calculatedAt.toISOString(),
            expiresAt: expiresAt.toISOString(),
          };
          return cache.set(cacheKey(kind, learnerId), cached, ttl);
        }),
      );
      // Persisting is not on the answer's path: the snapshots hang off the Directory mirror, so the
      // learner is mirrored first (a no-op when unchanged), with their trainers, by which the org
      // lists narrow a trainer's view. The trainers are the cached profile's (every learner route
      // authorizes with profile() first; org-refresh loads it too): without one they are left as
      // stored, rather than cost a Directory call on every computation.
      const { user } = gathered;
      const persisted = (async () => {
        const known = await cache.get<LearnerProfile | null>(profileKey(learnerId));
        // Any cached profile, fresh or in its stale window: trainers change rarely, and without them
        // a new learner's trainers would be unknown (no trainer sees them) until the next write.
        const trainerIds = known?.value?.trainerIds;
        await store.upsertDirectoryUsers([
          {
            userId: learnerId,
            orgId: user.orgId,
            displayName: user.displayName,
            roles: user.roles,
            timeZone: snapshot.timeZone,
            ...(trainerIds ? { trainerIds } : {}),
          },
        ]);
        await Promise.all(
          COMPUTED_KINDS.map((kind) =>
            store.writeSnapshot({
              learnerId,
              orgId: snapshot.orgId,
              kind,
              computationVersion: analytics.version,
              payload: results[kind],
              calculatedAt,
              expiresAt,
            }),
          ),
        );
        await noteStoredUntil(learnerId, expiresAt);
      })();
      background(persisted, opts);
      return { results, calculatedAt, expiresAt, persisted };
    });
  }

  const fromCached = <T>(entry: CachedInsight<T>, dataSource: DataSource): Insight<T> => {
    if (dataSource !== "cached") return insightOf(entry, dataSource);
    // The memory cache hands out the same entry on every hit: its Insight (two Dates) is built once.
    const known = cachedInsights.get(entry) as Insight<T> | undefined;
    if (known) return known;
    const built = insightOf(entry, dataSource);
    cachedInsights.set(entry, built);
    return built;
  };

  function answer<K extends ComputedKind>(
    kind: K,
    learnerId: string,
    opts?: InsightOptions,
  ): Promise<Insight<KindData[K]>> {
    // Fresh in the memory cache: answered without a promise hop; stale or missing takes the full path.
    const known = cache.peek?.<CachedInsight<KindData[K]>>(cacheKey(kind, learnerId));
    if (known && known.freshUntil > clock.now().getTime()) return Promise.resolve(fromCached(known.value, "cached"));
    return answerOrRefresh(kind, learnerId, opts);
  }

  async function answerOrRefresh<K extends ComputedKind>(
    kind: K,
    learnerId: string,
    opts?: InsightOptions,
  ): Promise<Insight<KindData[K]>> {
    const now = clock.now().getTime();
    const hit = await cache.get<CachedInsight<KindData[K]>>(cacheKey(kind, learnerId));
    if (hit && hit.freshUntil > now) return fromCached(hit.value, "cached");
    if (hit) {
      // Stale within grace: answer now, refresh behind the response.
      background(computeAll(learnerId, opts), opts);
      return fromCached(hit.value, "cached");
    }
    const cold = flights.run(`cold:${kind}:${learnerId}`, () => coldAnswer(kind, learnerId, opts));
    return withSignal(cold, opts?.signal);
  }

  async function coldAnswer<K extends ComputedKind>(
    kind: K,
    learnerId: string,
    opts?: InsightOptions,
  ): Promise<Insight<KindData[K]>> {
    const stored = await store.readSnapshot<KindData[K]>(learnerId, kind).catch((error: unknown) => {
      warn("snapshot read failed", { learnerId, kind, requestId: opts?.requestId, error: describe(error) });
      return null;
    });
    // Current only when computed by these formulas: after a model change (levels of v1 against
    // v2) a stored answer is recomputed, and kept only as the stale fallback below.
    if (
      stored &&
      stored.expiresAt.getTime() > clock.now().getTime() &&
      stored.computationVersion === analytics.version
    ) {
      const cached: CachedInsight<KindData[K]> = {
        data: stored.payload,
        calculatedAt: stored.calculatedAt.toISOString(),
        expiresAt: stored.expiresAt.toISOString(),
      };
      await Promise.all([
        cache.set(cacheKey(kind, learnerId), cached, ttl),
        noteStoredUntil(learnerId, stored.expiresAt),
      ]);
      return fromCached(cached, "cached");
    }
    try {
      const computed = await computeAll(learnerId, opts);
      return {
        data: computed.results[kind] as KindData[K],
        dataSource: "realtime",
        calculatedAt: computed.calculatedAt,
        expiresAt: computed.expiresAt,
      };
    } catch (error) {
      if (error instanceof LearnerNotFoundError) throw error;
      warn("realtime analytics failed", { learnerId, kind, requestId: opts?.requestId, error: describe(error) });
      if (stored) {
        return {
          data: stored.payload,
          dataSource: "stale_cache",
          calculatedAt: stored.calculatedAt,
          expiresAt: stored.expiresAt,
        };
      }
      if (deps.mockFallback) return mockAnswer(kind, learnerId);
      throw new UpstreamUnavailableError(`the services behind ${kind} are unavailable`, retryAfterSeconds);
    }
  }

  function mockAnswer<K extends ComputedKind>(kind: K, learnerId: string): Insight<KindData[K]> {
    const now = clock.now();
    const snapshot = mockSnapshot(learnerId, now);
    const compute = { velocity: analytics.velocity, dropoff_risk: analytics.dropoffRisk, forecast: analytics.forecast };
    // Never cached and expiring at once: the next request tries the real thing again.
    return { data: compute[kind](snapshot) as KindData[K], dataSource: "mock", calculatedAt: now, expiresAt: now };
  }

  /** The ledger's answer: points, level, streaks and badges (read model of src/gamification/). */
  function gamification(learnerId: string, opts?: InsightOptions): Promise<Insight<Gamification>> {
    const known = cache.peek?.<CachedInsight<Gamification>>(cacheKey("gamification", learnerId));
    if (known && known.freshUntil > clock.now().getTime()) return Promise.resolve(fromCached(known.value, "cached"));
    return readGamification(learnerId, opts);
  }

  async function readGamification(learnerId: string, opts?: InsightOptions): Promise<Insight<Gamification>> {
    const key = cacheKey("gamification", learnerId);
    const hit = await cache.get<CachedInsight<Gamification>>(key);
    if (hit && hit.freshUntil > clock.now().getTime()) return fromCached(hit.value, "cached");
    let who: LearnerProfile | null = null;
    const read = flights.run(`gamification:${learnerId}`, async () => {
      who = await profile(learnerId, opts);
      if (!who) throw new LearnerNotFoundError(learnerId);
      const now = clock.now();
      // No ledger rows yet (no events ingested) is a real answer: nothing earned so far.
      const state = (await store.gamificationState(learnerId)) ?? emptyLedger(who);
      const cached: CachedInsight<Gamification> = {
        data: gamificationView(state, now),
        calculatedAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + ttl.freshSeconds * 1000).toISOString(),
      };
      await cache.set(key, cached, ttl);
      return fromCached(cached, "realtime");
    });
    try {
      return await withSignal(read, opts?.signal);
    } catch (error) {
      if (error instanceof LearnerNotFoundError || error instanceof UpstreamUnavailableError) throw error;
      warn("gamification read failed", { learnerId, requestId: opts?.requestId, error: describe(error) });
      if (hit) return fromCached(hit.value, "stale_cache");
      if (deps.mockFallback) {
        const now = clock.now();
        const state = emptyLedger(who ?? { learnerId, orgId: "mock", timeZone: "UTC" });
        return { data: gamificationView(state, now), dataSource: "mock", calculatedAt: now, expiresAt: now };
      }
      throw new UpstreamUnavailableError("the points ledger cannot answer", retryAfterSeconds);
    }
  }

  return {
    profile,
    velocity: (learnerId, opts) => answer("velocity", learnerId, opts),
    dropoffRisk: (learnerId, opts) => answer("dropoff_risk", learnerId, opts),
    forecast: (learnerId, opts) => answer("forecast", learnerId, opts),
    gamification,
    async invalidate(learnerIds, kinds) {
      const which = (kinds ?? ["velocity", "dropoff_risk", "forecast", "gamification"]) as InsightKind[];
      await Promise.all(learnerIds.flatMap((id) => which.map((kind) => cache.delete(cacheKey(kind, id)))));
    },
    upstreamHealth() {
      return Object.fromEntries(
        Object.entries(upstreams.health()).map(([service, h]) => [
          service,
          { state: h.state, breaker: h.breaker, ...(h.lastError ? { lastError: h.lastError } : {}) },
        ]),
      );
    },
  };
}

/** The Directory knows no learner with this id; routes answer 404 (normally caught by profile()). */
export class LearnerNotFoundError extends Error {
  readonly code = "not_found";
  constructor(learnerId: string) {
    super(`no learner ${learnerId}`);
    this.name = "LearnerNotFoundError";
  }
}

/** Insights built from cached entries, per entry (see fromCached). Never mutated by callers. */
const cachedInsights = new WeakMap<object, Insight<unknown>>();

function insightOf<T>(entry: CachedInsight<T>, dataSource: DataSource): Insight<T> {
  return {
    data: entry.data,
    dataSource,
    calculatedAt: new Date(entry.calculatedAt),
    expiresAt: new Date(entry.expiresAt),
  };
}

function describe(error: unknown): string {
  return upstreamFailureText(error) ?? (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}

/**
 * The cache speeds answers up; it must never be the reason one fails (a KV hiccup on Workers):
 * a failed read is a miss, a failed write or delete is logged and forgotten.
 */
function forgivingCache(
  cache: ResponseCache,
  warn: (msg: string, fields: Record<string, unknown>) => void,
): ResponseCache {
  // try/await rather than .catch(handler): no error handler is allocated per lookup.
  const failed = (op: string, key: string, error: unknown) => {
    warn("response cache failed", { op, key, error: describe(error) });
    return undefined;
  };
  const forgiving: ResponseCache = {
    kind: cache.kind,
    async get<T>(key: string) {
      try {
        return await cache.get<T>(key);
      } catch (error) {
        return failed("get", key, error);
      }
    },
    async set(key, value, ttl) {
      try {
        await cache.set(key, value, ttl);
      } catch (error) {
        failed("set", key, error);
      }
    },
    async delete(key) {
      try {
        await cache.delete(key);
      } catch (error) {
        failed("delete", key, error);
      }
    },
  };
  const peek = cache.peek?.bind(cache);
  if (peek) {
    forgiving.peek = <T>(key: string) => {
      try {
        return peek<T>(key);
      } catch (error) {
        return failed("get", key, error);
      }
    };
  }
  return forgiving;
}

function emptyLedger(who: Pick<LearnerProfile, "learnerId" | "orgId" | "timeZone">): GamificationState {
  return { learnerId: who.learnerId, orgId: who.orgId, timeZone: who.timeZone, points: 0, streak: null, badges: [] };
}
