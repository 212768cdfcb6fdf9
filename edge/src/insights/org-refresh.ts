/**
 * Computes and stores the analytics snapshots of every learner of an organization, so the
 * organization lists (`/orgs/{orgId}/learners`, `/at-risk`, `/summary`), which read Postgres only,
 * know learners nobody has opened yet. Meant for after seeding and for a periodic job; each learner
 * goes through the normal insights path (cache, single-flight, breakers), a few at a time, profile
 * first as a learner route does, so the stored learner carries their trainers (which narrow a
 * trainer's org lists).
 */
import type { LearnerInsights, Logger } from "../deps.ts";
import type { AnalyticsStore } from "../store/types.ts";
import type { Upstreams } from "../upstream/clients.ts";
import { defaultAnalytics } from "./analytics.ts";

export interface OrgRefreshSummary {
  learners: number;
  /** dataSource of each answer: realtime (computed now), cached (snapshot still current), ... */
  bySource: Record<string, number>;
  failed: { learnerId: string; error: string }[];
}

export async function refreshOrgSnapshots(options: {
  insights: LearnerInsights;
  upstreams: Pick<Upstreams, "directory">;
  orgId: string;
  /** Learners computed at once (default 4: gentle on the services). */
  concurrency?: number;
}): Promise<OrgRefreshSummary> {
  const learnerIds = (await rosterOf(options.upstreams.directory, options.orgId)) ?? [];
  const { bySource, failed, unknown } = await recompute(options.insights, learnerIds, options.concurrency);
  // Listed by the Directory a moment ago: a learner it does not know now is a failure, not a departure.
  for (const learnerId of unknown) failed.push({ learnerId, error: "the Directory no longer knows this learner" });
  return { learners: learnerIds.length, bySource, failed };
}

/** Every learner the Directory lists for the organization, page by page; null when it does not know it. */
async function rosterOf(directory: Upstreams["directory"], orgId: string): Promise<string[] | null> {
  const learnerIds: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await directory.orgUsers(orgId, { role: "learner", cursor, limit: 500 });
    if (!page) return cursor === undefined ? null : learnerIds;
    learnerIds.push(...page.items.map((u) => u.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return learnerIds;
}

/**
 * Recomputes each learner through the normal insights path, a few at a time, profile first as a
 * learner route does (so the stored learner carries their trainers); waits for the snapshot writes
 * and counts a learner whose snapshot could not be written as failed. A learner whose profile says
 * "no such learner" is only a departure candidate: see refreshDueSnapshots.
 */
async function recompute(
  insights: LearnerInsights,
  learnerIds: string[],
  concurrency = 4,
): Promise<Pick<DueRefreshSummary, "bySource" | "failed"> & { unknown: string[] }> {
  const result = {
    bySource: {} as Record<string, number>,
    failed: [] as DueRefreshSummary["failed"],
    unknown: [] as string[],
  };
  const answered: { learnerId: string; dataSource: string; writes: Promise<unknown>[] }[] = [];
  const queue = [...learnerIds];
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      try {
        if ((await insights.profile(id)) === null) {
          result.unknown.push(id);
          continue;
        }
        const writes: Promise<unknown>[] = [];
        const answer = await insights.dropoffRisk(id, { waitUntil: (w) => void writes.push(w) });
        answered.push({ learnerId: id, dataSource: answer.dataSource, writes });
      } catch (error) {
        result.failed.push({ learnerId: id, error: error instanceof Error ? error.message : String(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  // The snapshots are written behind each answer; a write that failed resolves to false. A write can
  // be queued after its answer (a stale cache hit recomputes behind it): wait until none is added.
  for (const { learnerId, dataSource, writes } of answered) {
    const outcomes: PromiseSettledResult<unknown>[] = [];
    for (let seen = 0; seen < writes.length; ) {
      const batch = writes.slice(seen);
      seen = writes.length;
      outcomes.push(...(await Promise.allSettled(batch)));
    }
    if (outcomes.some((o) => o.status === "rejected" || o.value === false)) {
      result.failed.push({ learnerId, error: "computed, but the snapshot could not be written" });
    } else {
      result.bySource[dataSource] = (result.bySource[dataSource] ?? 0) + 1;
    }
  }
  return result;
}

export interface DueRefreshSummary {
  /** Due snapshots this run claimed (at most the batch; none that another run holds a lease on). */
  due: number;
  /** Of those, computed by other formulas than the running ones. */
  otherVersion: number;
  /** dataSource of each recomputation: realtime when it worked; stale_cache/mock when upstreams failed. */
  bySource: Record<string, number>;
  failed: { learnerId: string; error: string }[];
  /** Learners the Directory no longer knows: taken out of the organization views (markLearnerDeparted). */
  departed: string[];
  /**
   * The organizations whose roster this run checked (see `roster`), in order: learners the
   * Directory lists (`listed`), how many of them had no snapshot (`unstored`) and how many this run
   * computed (`taken`; counted in bySource and failed like the due ones), and why the check itself
   * failed (the Directory or the store), if it did. Empty when none was due or the batch was full.
   */
  rosters: RosterCheckOutcome[];
  /**
   * Why the roster step could not run fully: the Directory's organization list failed (only the
   * store's organizations were checked), or the store could not claim a check. Absent when it ran.
   */
  rosterError?: string;
}

export interface RosterCheckOutcome {
  orgId: string;
  listed: number;
  unstored: number;
  taken: number;
  /** Of those taken, how many still have no snapshot (answered from the mock fallback, say). */
  stillUnstored?: number;
  error?: string;
}

/** The roster step of the refresh job: which learners the Directory lists that the store lacks. */
export interface RosterCheck {
  store: Pick<AnalyticsStore, "claimDueRosterCheck" | "finishRosterCheck" | "learnersWithoutRiskSnapshot">;
  /** The organizations the Directory lists (null when it cannot say: the store's own are checked). */
  organizations: () => Promise<string[] | null>;
  /** Every learner the Directory lists for an organization; null when it does not know it. */
  learnersOf: (orgId: string) => Promise<string[] | null>;
  /** How often each organization's roster is checked (default an hour). */
  everySeconds?: number;
  /**
   * Organizations checked in one run at most (default 10), while the batch has room: each check
   * costs the Directory a request or two even when nobody is missing.
   */
  perRun?: number;
}

/**
 * One run of the refresh job: recomputes the drop-off risk (and with it velocity and forecast) of
 * the learners whose stored snapshot is due (other formulas first, then expired, oldest first),
 * so the organization lists, which read Postgres only, show numbers no older than the snapshot TTL
 * plus one interval. Node runs it on a timer, Workers on a cron trigger (see node.ts, worker.ts).
 * Each learner is claimed with a lease, so instances sharing the database split the work instead of
 * repeating it. A learner whose upstreams fail keeps the stale snapshot and is retried when the
 * lease ends; only the claim itself can throw (the database is down).
 */
export async function refreshDueSnapshots(options: {
  insights: LearnerInsights;
  store: Pick<AnalyticsStore, "claimDueRiskSnapshots" | "markLearnerDeparted">;
  now: Date;
  /** The running formulas (InsightAnalytics.version), as stored in computation_version. */
  version: string;
  /** Formulas this code replaced: their snapshots are recomputed before they expire. */
  retiredVersions?: string[];
  /** Learners per run (default 100). */
  batch?: number;
  /**
   * How long a claimed learner is not offered to another run or instance (default 10 minutes):
   * longer than a run takes; a learner whose recomputation failed is retried after it, behind the
   * learners not tried yet.
   */
  leaseSeconds?: number;
  /** Learners computed at once (default 4: gentle on the services). */
  concurrency?: number;
  /**
   * Asks the Directory itself, past every cache, whether this learner is really gone (no user, or
   * no longer a learner). Without it nobody is ever marked departed.
   */
  confirmDeparted?: (learnerId: string) => Promise<boolean>;
  /**
   * Whether the Directory answers for this organization at all (its learner list, past every
   * cache): asked when many learners of a run seem gone at once, to tell a cohort that left from a
   * misrouted or broken Directory, which answers "no such user" for everyone.
   */
  directoryAnswersFor?: (orgId: string) => Promise<boolean>;
  /**
   * Learners nobody has heard from yet: a learner enters the store with their first event or visit,
   * so one enrolled who never started was in no organization list. With room left in the batch,
   * a run checks organizations' rosters (each about once per `everySeconds`) and computes the
   * learners they list who have no snapshot, as many as the batch has room for.
   */
  roster?: RosterCheck;
}): Promise<DueRefreshSummary> {
  const due = await options.store.claimDueRiskSnapshots({
    now: options.now,
    version: options.version,
    retiredVersions: options.retiredVersions ?? [],
    limit: options.batch ?? 100,
    leaseSeconds: options.leaseSeconds ?? 600,
  });
  const { bySource, failed, unknown } = await recompute(
    options.insights,
    due.map((d) => d.learnerId),
    options.concurrency,
  );
  // A departure takes a learner out of every list: only on the Directory's own, fresh word. When
  // many seem gone at once, only where the Directory still answers for their organization: a
  // misrouted URL or a broken Directory says "no such user" for everyone.
  const confirmed: string[] = [];
  for (const learnerId of unknown) {
    const gone = await options.confirmDeparted?.(learnerId).catch(() => false);
    if (gone) confirmed.push(learnerId);
    else failed.push({ learnerId, error: "the Directory did not confirm that this learner left" });
  }
  const departed: string[] = [];
  const many = confirmed.length > Math.max(2, due.length / 2);
  const orgOf = new Map(due.map((d) => [d.learnerId, d.orgId]));
  const answers = new Map<string, boolean>();
  for (const learnerId of confirmed) {
    const orgId = orgOf.get(learnerId)!;
    if (many && !answers.has(orgId)) {
      answers.set(orgId, (await options.directoryAnswersFor?.(orgId).catch(() => false)) ?? false);
    }
    if (many && !answers.get(orgId)) {
      failed.push({
        learnerId,
        error: `the Directory says ${confirmed.length} of ${due.length} learners are unknown and does not answer for ${orgId}: none marked departed (check the Directory)`,
      });
      continue;
    }
    await options.store.markLearnerDeparted(learnerId);
    departed.push(learnerId);
  }
  const batch = options.batch ?? 100;
  const rosters: RosterCheckOutcome[] = [];
  let rosterError: string | undefined;
  if (options.roster && due.length < batch) {
    const roster = options.roster;
    // The due learners' work is done: whatever fails from here is reported beside it, never instead.
    try {
      const orgIds = await roster.organizations().catch((error: unknown) => {
        rosterError = `the Directory's organization list failed (only organizations the store knows were checked): ${messageOf(error)}`;
        return null;
      });
      let room = batch - due.length;
      while (room > 0 && rosters.length < (roster.perRun ?? 10)) {
        const checked = await checkRoster(roster, orgIds ?? [], {
          insights: options.insights,
          now: options.now,
          room,
          leaseSeconds: options.leaseSeconds ?? 600,
          concurrency: options.concurrency,
          bySource,
          failed,
        });
        if (checked === null) break;
        rosters.push(checked);
        room -= checked.taken;
      }
    } catch (error) {
      rosterError = `roster check failed: ${messageOf(error)}`;
    }
  }
  return {
    due: due.length,
    otherVersion: due.filter((d) => !d.currentVersion).length,
    bySource,
    failed,
    departed,
    rosters,
    ...(rosterError ? { rosterError } : {}),
  };
}

/**
 * Claims the organization whose roster is due, asks the Directory for its learners and computes
 * those without a snapshot, at most `room`; adds their outcomes to the run's. The check is finished
 * only when every listed learner is stored; with more waiting the next run goes on, and after a
 * failure the organization waits half an hour (finish_roster_check).
 */
async function checkRoster(
  roster: RosterCheck,
  orgIds: string[],
  run: {
    insights: LearnerInsights;
    now: Date;
    room: number;
    leaseSeconds: number;
    concurrency: number | undefined;
    bySource: Record<string, number>;
    failed: DueRefreshSummary["failed"];
  },
): Promise<RosterCheckOutcome | null> {
  const orgId = await roster.store.claimDueRosterCheck({
    now: run.now,
    everySeconds: roster.everySeconds ?? 3600,
    leaseSeconds: run.leaseSeconds,
    orgIds,
  });
  if (orgId === null) return null;
  const outcome: RosterCheckOutcome = { orgId, listed: 0, unstored: 0, taken: 0 };
  try {
    const listed = await roster.learnersOf(orgId);
    if (listed === null) {
      // Nothing to store for an organization the Directory does not know (a deleted one): checked,
      // like any other, so it does not hold the head of the queue; said in the log.
      outcome.error = "the Directory does not know this organization";
      await roster.store.finishRosterCheck(orgId, run.now, "complete");
      return outcome;
    }
    const unstored = await roster.store.learnersWithoutRiskSnapshot(listed);
    const taken = unstored.slice(0, run.room);
    Object.assign(outcome, { listed: listed.length, unstored: unstored.length, taken: taken.length });
    const result = await recompute(run.insights, taken, run.concurrency);
    for (const [source, n] of Object.entries(result.bySource)) run.bySource[source] = (run.bySource[source] ?? 0) + n;
    run.failed.push(...result.failed);
    // Listed by the Directory a moment ago: a learner it does not know now is a failure, not a departure.
    for (const learnerId of result.unknown) {
      run.failed.push({ learnerId, error: "listed by the Directory, which then did not know this learner" });
    }
    // Stored is what counts: an answer from the demo's mock fallback, or a cache hit whose write
    // had failed, is not in the lists. Those learners make the check fail (retried after a pause).
    const stillUnstored = taken.length ? (await roster.store.learnersWithoutRiskSnapshot(taken)).length : 0;
    if (stillUnstored > 0) outcome.stillUnstored = stillUnstored;
    const failedHere = result.failed.length + result.unknown.length + stillUnstored;
    await roster.store.finishRosterCheck(
      orgId,
      run.now,
      failedHere > 0 ? "failed" : unstored.length > taken.length ? "more" : "complete",
    );
  } catch (error) {
    // The Directory or the store failed mid-check: the organization is tried again after a pause.
    outcome.error = messageOf(error);
    await roster.store.finishRosterCheck(orgId, run.now, "failed").catch(() => {});
  }
  return outcome;
}

/**
 * One refresh run with its log line, never throwing: what an operator reads to see that the org
 * lists are kept current ("snapshot refresh", how many were due, how each went). A run whose
 * learners failed or fell back to stale numbers logs at warn, with the first error.
 */
export async function runLoggedRefresh(run: () => Promise<DueRefreshSummary>, logger: Logger): Promise<void> {
  const started = Date.now();
  try {
    const summary = await run();
    // cached: another instance or a visit computed it meanwhile, which is fine; stale or mock is not.
    const degraded =
      summary.failed.length > 0 ||
      summary.rosters.some((r) => r.error !== undefined || r.stillUnstored) ||
      summary.rosterError !== undefined ||
      Object.keys(summary.bySource).some((s) => s === "stale_cache" || s === "mock");
    logger.log(degraded ? "warn" : "info", {
      msg: "snapshot refresh",
      due: summary.due,
      otherVersion: summary.otherVersion,
      bySource: summary.bySource,
      failed: summary.failed.length,
      departed: summary.departed.length,
      // Who left the lists, by id: an operator must be able to tell whom the job removed.
      ...(summary.departed.length ? { departedLearners: summary.departed.slice(0, 50) } : {}),
      ...(summary.failed[0] ? { firstError: summary.failed[0] } : {}),
      // The organizations whose roster was checked, and how many learners each lacked.
      ...(summary.rosters.length ? { rosters: summary.rosters } : {}),
      ...(summary.rosterError ? { rosterError: summary.rosterError } : {}),
      ms: Date.now() - started,
    });
  } catch (error) {
    // The store could not name the due learners (database down): the next run tries again.
    logger.log("error", {
      msg: "snapshot refresh failed",
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/**
 * Node's refresh timer: a run every `everyMs`, never two at once (a slow run delays the next), and
 * the timer does not keep the process alive. `stop()` waits for a run in progress.
 */
export function startRefreshTimer(options: {
  run: () => Promise<DueRefreshSummary>;
  everyMs: number;
  logger: Logger;
}): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runLoggedRefresh(options.run, options.logger).finally(() => {
        running = null;
        schedule();
      });
    }, options.everyMs);
    timer.unref?.();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/**
 * The refresh job as the runtimes run it (node-deps.ts, worker.ts): the running formulas, the
 * Directory asked directly (past every cache) before anyone is marked departed, the configured batch.
 */
export function scheduledRefresh(options: {
  insights: LearnerInsights;
  store: Pick<
    AnalyticsStore,
    | "claimDueRiskSnapshots"
    | "markLearnerDeparted"
    | "claimDueRosterCheck"
    | "finishRosterCheck"
    | "learnersWithoutRiskSnapshot"
  >;
  upstreams: Pick<Upstreams, "directory">;
  clock: { now(): Date };
  batch: number;
  concurrency?: number;
}): () => Promise<DueRefreshSummary> {
  const { directory } = options.upstreams;
  return () =>
    refreshDueSnapshots({
      insights: options.insights,
      store: options.store,
      now: options.clock.now(),
      version: defaultAnalytics.version,
      retiredVersions: defaultAnalytics.retiredVersions,
      confirmDeparted: (learnerId) =>
        directory.user(learnerId).then((user) => user === null || !user.roles.includes("learner")),
      directoryAnswersFor: (orgId) =>
        directory.orgUsers(orgId, { role: "learner", limit: 1 }).then((page) => page !== null),
      batch: options.batch,
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      roster: {
        store: options.store,
        organizations: () => directory.organizations().then((list) => list.items.map((o) => o.id)),
        learnersOf: (orgId) => rosterOf(directory, orgId),
      },
    });
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
