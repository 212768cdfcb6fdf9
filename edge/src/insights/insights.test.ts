/**
 * LearnerInsights against the simulator over loopback HTTP and a real (PGlite) store: the
 * fallback chain's happy half (cached, realtime, Postgres snapshot), profiles, gamification,
 * invalidation, and the cold-cache burst that must cost one call per upstream endpoint.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { type Simulator, startSimulator } from "../../simulator/server.ts";
import { trainersOfLearner } from "../../simulator/world.ts";
import { createMemoryCache } from "../cache/memory-cache.ts";
import { systemClock } from "../deps.ts";
import { createSqlStore } from "../store/sql.ts";
import { freshPglite } from "../store/testing.ts";
import type { AnalyticsStore } from "../store/types.ts";
import { createUpstreams } from "../upstream/clients.ts";
import { defaultAnalytics } from "./analytics.ts";
import { createLearnerInsights, type LearnerInsightsDeps } from "./learner-insights.ts";
import { refreshDueSnapshots, refreshOrgSnapshots, runLoggedRefresh } from "./org-refresh.ts";

const SECRET = "local-dev-only-service-secret";
const NOW = new Date("2026-11-20T12:00:00Z");
let sim: Simulator;
let store: AnalyticsStore;

beforeAll(async () => {
  sim = await startSimulator({ now: NOW, serviceSecret: SECRET, learners: 60 });
  store = createSqlStore(await freshPglite());
});
afterAll(async () => {
  await sim.stop();
  await store.close();
});
afterEach(async () => {
  await sim.clearFaults();
  sim.resetStats();
});

/** A fresh BFF instance: own cache, own breakers; the clock is movable, upstream tokens use real time. */
function build(overrides: Partial<LearnerInsightsDeps> & { at?: () => Date } = {}) {
  const upstreams = createUpstreams({ urls: sim.urls, serviceSecret: SECRET, clock: systemClock });
  const clock = { now: overrides.at ?? (() => NOW) };
  const background: Promise<unknown>[] = [];
  const insights = createLearnerInsights({
    upstreams,
    cache: createMemoryCache({ clock }),
    store,
    clock,
    mockFallback: false,
    ...overrides,
  });
  const opts = { waitUntil: (p: Promise<unknown>) => void background.push(p) };
  return { insights, upstreams, opts, settle: () => Promise.all(background) };
}

const callsTo = () =>
  Object.fromEntries(
    Object.entries(sim.stats().calls).flatMap(([service, byPath]) =>
      Object.entries(byPath).map(([path, n]) => [`${service} ${path}`, n]),
    ),
  );

describe("profile", () => {
  it("answers the learner's organization, time zone, courses and their trainers", async () => {
    const { insights } = build();
    const user = sim.world.users.get("lrn-aurora-001")!;
    const profile = await insights.profile("lrn-aurora-001");
    expect(profile).toMatchObject({ learnerId: "lrn-aurora-001", orgId: "org-aurora", timeZone: user.timeZone });
    expect(profile!.courseIds).toEqual(["crs-aurora-01"]);
    expect(profile!.trainerIds).toContain("trn-aurora-1");
  });

  it("answers null for an unknown id and for someone who is not a learner", async () => {
    const { insights } = build();
    expect(await insights.profile("lrn-nobody")).toBeNull();
    expect(await insights.profile("trn-aurora-1")).toBeNull();
  });

  it("does not reuse an old 'no such learner' while the Directory is down (it may have been a passing 404)", async () => {
    let now = NOW.getTime();
    const { insights } = build({ at: () => new Date(now) });
    expect(await insights.profile("lrn-nobody-1")).toBeNull();
    now += 301_000; // past the profile's fresh window
    await sim.setFault("directory", { down: true });
    await expect(insights.profile("lrn-nobody-1")).rejects.toMatchObject({ code: "upstream_unavailable" });
  });

  it("says 'no such learner' from the Directory's answer even while the Course Builder is down", async () => {
    const { insights } = build();
    await sim.setFault("course", { down: true });
    expect(await insights.profile("lrn-nobody-2")).toBeNull();
    await expect(insights.profile("lrn-aurora-003")).rejects.toMatchObject({ code: "upstream_unavailable" });
  });

  it("keeps authorizing from the last Directory answer when the Directory goes down, never from a guess", async () => {
    let now = NOW.getTime();
    const { insights } = build({ at: () => new Date(now) });
    await insights.profile("lrn-aurora-002");
    await sim.setFault("directory", { down: true });
    now += 10 * 60_000; // past fresh, within the profile's stale window
    expect((await insights.profile("lrn-aurora-002"))!.orgId).toBe("org-aurora");
    await expect(insights.profile("lrn-aurora-003")).rejects.toMatchObject({ code: "upstream_unavailable" });
  });
});

describe("the happy half of the fallback chain", () => {
  it("computes realtime, then answers cached; persists snapshots that a cold instance reads as cached", async () => {
    const first = build();
    const velocity = await first.insights.velocity("lrn-borealis-001", first.opts);
    expect(velocity.dataSource).toBe("realtime");
    expect(velocity.data.learnerId).toBe("lrn-borealis-001");
    expect(velocity.data.unitsTotal).toBeGreaterThan(0);
    expect(velocity.expiresAt.getTime() - velocity.calculatedAt.getTime()).toBe(4 * 3600_000);
    // Risk and forecast came from the same gather: no new upstream calls.
    const before = callsTo();
    expect((await first.insights.dropoffRisk("lrn-borealis-001")).dataSource).toBe("cached");
    expect((await first.insights.forecast("lrn-borealis-001")).dataSource).toBe("cached");
    expect((await first.insights.velocity("lrn-borealis-001")).dataSource).toBe("cached");
    expect(callsTo()).toEqual(before);
    await first.settle();

    const stored = await store.readSnapshot("lrn-borealis-001", "dropoff_risk");
    expect(stored).toMatchObject({ orgId: "org-borealis", kind: "dropoff_risk" });

    sim.resetStats();
    const cold = build(); // empty response cache, same database
    const again = await cold.insights.dropoffRisk("lrn-borealis-001");
    expect(again.dataSource).toBe("cached");
    expect(again.data).toEqual(stored!.payload);
    expect(callsTo()).toEqual({});
  });

  it("recomputes a current snapshot stored by other formulas (a model change), keeping it as the fallback", async () => {
    const older = build({ analytics: { ...defaultAnalytics, version: "analytics-v1+oulad-2013-v1" } });
    expect((await older.insights.dropoffRisk("lrn-borealis-002", older.opts)).dataSource).toBe("realtime");
    await older.settle();
    expect((await store.readSnapshot("lrn-borealis-002", "dropoff_risk"))?.computationVersion).toBe(
      "analytics-v1+oulad-2013-v1",
    );
    const current = build(); // empty response cache, same database, today's formulas
    const answer = await current.insights.dropoffRisk("lrn-borealis-002", current.opts);
    expect(answer.dataSource).toBe("realtime");
    await current.settle();
    expect((await store.readSnapshot("lrn-borealis-002", "dropoff_risk"))?.computationVersion).toBe(
      defaultAnalytics.version,
    );
  });

  it("serves a stale cache entry within grace and refreshes it behind the answer", async () => {
    let now = NOW.getTime();
    const { insights, opts, settle } = build({ at: () => new Date(now), ttl: { freshSeconds: 60, staleSeconds: 600 } });
    await insights.velocity("lrn-cascade-002", opts);
    await settle();
    sim.resetStats();
    now += 120_000; // stale, within grace
    expect((await insights.velocity("lrn-cascade-002", opts)).dataSource).toBe("cached");
    await settle();
    expect(callsTo()["content GET /api/v1/users/lrn-cascade-002/progress"]).toBe(1);
    expect((await insights.velocity("lrn-cascade-002", opts)).calculatedAt.getTime()).toBe(now);
  });

  it("drops cached answers on invalidate", async () => {
    const { insights, settle, opts } = build({ store: { ...storeWithoutSnapshots() } });
    await insights.forecast("lrn-cascade-003", opts);
    await settle();
    expect((await insights.forecast("lrn-cascade-003")).dataSource).toBe("cached");
    await insights.invalidate(["lrn-cascade-003"]);
    expect((await insights.forecast("lrn-cascade-003")).dataSource).toBe("realtime");
  });

  it("answers gamification from the ledger (nothing earned yet is a real answer)", async () => {
    const { insights } = build();
    const answer = await insights.gamification("lrn-aurora-004");
    expect(answer.dataSource).toBe("realtime");
    expect(answer.data).toMatchObject({ learnerId: "lrn-aurora-004", points: 0, level: 1 });
    expect(answer.data.badges.length).toBeGreaterThan(0);
    expect(answer.data.badges.every((b) => b.earnedAt === null)).toBe(true);
    expect((await insights.gamification("lrn-aurora-004")).dataSource).toBe("cached");
  });
});

describe("a cold-cache burst", () => {
  it("makes exactly one call per upstream endpoint for 200 concurrent requests for one learner", async () => {
    const { insights, opts } = build();
    await sim.setFault("content", { latencyMs: 50 }); // keep the gather in flight while the burst arrives
    const kinds = ["velocity", "dropoffRisk", "forecast"] as const;
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => insights[kinds[i % 3]!]("lrn-aurora-005", opts)),
    );
    expect(new Set(answers.map((a) => a.dataSource))).toEqual(new Set(["realtime"]));
    const calls = callsTo();
    expect(calls).toEqual({
      "auth GET /api/v1/users/lrn-aurora-005/logins": 1,
      "directory GET /api/v1/users/lrn-aurora-005": 1,
      "course GET /api/v1/enrollments?userId=lrn-aurora-005": 1,
      "content GET /api/v1/users/lrn-aurora-005/progress": 1,
      "assessment GET /api/v1/users/lrn-aurora-005/attempts": 1,
      "devlab GET /api/v1/users/lrn-aurora-005/sessions": 1,
      "rag GET /api/v1/users/lrn-aurora-005/questions": 1,
    });
  });

  it("shares the Directory calls between the authorization profile and the analytics gather", async () => {
    const { insights, opts } = build();
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        await insights.profile("lrn-aurora-006");
        return insights.velocity("lrn-aurora-006", opts);
      }),
    );
    const calls = callsTo();
    expect(calls["directory GET /api/v1/users/lrn-aurora-006"]).toBe(1);
    expect(calls["course GET /api/v1/enrollments?userId=lrn-aurora-006"]).toBe(1);
    expect(calls["directory GET /api/v1/orgs/org-aurora/course-assignments"]).toBe(1);
  });
});

describe("a cold learner route (authorize with profile(), then read analytics)", () => {
  const gatherCalls = (learnerId: string) => [
    `content GET /api/v1/users/${learnerId}/progress`,
    `assessment GET /api/v1/users/${learnerId}/attempts`,
    `devlab GET /api/v1/users/${learnerId}/sessions`,
    `auth GET /api/v1/users/${learnerId}/logins`,
    `rag GET /api/v1/users/${learnerId}/questions`,
  ];

  it("starts the snapshot's learner-keyed calls beside authorization, and the gather reuses them", async () => {
    const { insights, opts } = build();
    await sim.setFault("course", { latencyMs: 150 }); // authorization waits for the enrollments
    await insights.profile("lrn-aurora-007");
    // The calls went out while the profile still waited for Course Builder, not after it.
    for (const call of gatherCalls("lrn-aurora-007")) expect(callsTo()[call], call).toBe(1);
    expect((await insights.velocity("lrn-aurora-007", opts)).dataSource).toBe("realtime");
    const calls = callsTo();
    for (const call of gatherCalls("lrn-aurora-007")) expect(calls[call], call).toBe(1);
    expect(calls["course GET /api/v1/enrollments?userId=lrn-aurora-007"]).toBe(1);
  });

  it("keeps the warmed answers for UPSTREAM_CACHE_SECONDS, not longer", async () => {
    // One learner each: the first read stores a snapshot in Postgres, which would answer the second.
    for (const [learnerId, upstreamCacheSeconds, calls] of [
      ["lrn-aurora-010", 120, 1],
      ["lrn-aurora-011", 60, 2],
    ] as const) {
      let now = NOW;
      const { insights, opts } = build({ at: () => now, upstreamCacheSeconds });
      await insights.profile(learnerId);
      now = new Date(NOW.getTime() + 90_000); // a velocity read 90 s after the authorization
      expect((await insights.velocity(learnerId, opts)).dataSource).toBe("realtime");
      expect(callsTo()[`content GET /api/v1/users/${learnerId}/progress`], `${upstreamCacheSeconds} s`).toBe(calls);
    }
  });

  it("does not start them for a caller that reads no analytics (event ingestion)", async () => {
    const { insights } = build();
    expect(await insights.profile("lrn-aurora-008", { warmSnapshot: false })).not.toBeNull();
    for (const call of gatherCalls("lrn-aurora-008")) expect(callsTo()[call], call).toBeUndefined();
  });

  it("does not start them when a current Postgres snapshot will answer", async () => {
    let now = NOW;
    const { insights, opts, settle } = build({ at: () => now });
    await insights.velocity("lrn-aurora-009", opts);
    await settle();
    // 20 minutes on: the cached answers and the profile are gone, the Postgres snapshot is current.
    now = new Date(NOW.getTime() + 20 * 60_000);
    sim.resetStats();
    await insights.profile("lrn-aurora-009");
    expect((await insights.velocity("lrn-aurora-009", opts)).dataSource).toBe("cached");
    expect(callsTo()["directory GET /api/v1/users/lrn-aurora-009"]).toBe(1); // the profile did reload
    for (const call of gatherCalls("lrn-aurora-009")) expect(callsTo()[call], call).toBeUndefined();
  });
});

describe("the refresh job", () => {
  it("recomputes expired and other-formula snapshots, a batch at a time, and keeps a stale one when upstreams fail", async () => {
    const store = createSqlStore(await freshPglite());
    onTestFinished(() => store.close());
    let now = NOW.getTime();
    const at = () => new Date(now);
    const borealis = [...sim.world.learners.keys()].filter((id) => sim.world.users.get(id)!.orgId === "org-borealis");
    const [a, b, c, older] = borealis.slice(-4) as [string, string, string, string];
    const learners = [a, b, c];
    const first = build({ store, at });
    for (const id of learners) {
      await first.insights.profile(id);
      await first.insights.dropoffRisk(id, first.opts);
    }
    await first.settle();
    // A fourth learner stored by older formulas, not yet expired: due first, whatever its expiry.
    await store.upsertDirectoryUsers([
      {
        userId: older,
        orgId: "org-borealis",
        displayName: "Older",
        roles: ["learner"],
        timeZone: "UTC",
        trainerIds: [],
      },
    ]);
    const stored = (await store.readSnapshot(a, "dropoff_risk"))!;
    await store.writeSnapshot({ ...stored, learnerId: older, computationVersion: "analytics-v1+oulad-2013-v1" });
    const run = (batch: number) =>
      refreshDueSnapshots({
        insights: build({ store, at }).insights,
        store,
        now: at(),
        version: defaultAnalytics.version,
        retiredVersions: defaultAnalytics.retiredVersions,
        batch,
      });

    // Nothing of this version has expired yet: only the other-formula snapshot is due.
    const fresh = await run(10);
    expect(fresh).toMatchObject({ due: 1, otherVersion: 1, bySource: { realtime: 1 }, failed: [] });
    expect((await store.readSnapshot(older, "dropoff_risk"))!.computationVersion).toBe(defaultAnalytics.version);

    // Five hours on, past the 4-hour snapshot TTL, all four are due: two per run, until none is.
    now += 5 * 3600_000;
    const refreshedFrom = now;
    const all = [...learners, older];
    const batch = await run(2);
    expect(batch).toMatchObject({ due: 2, otherVersion: 0, bySource: { realtime: 2 }, failed: [] });
    const recomputed = await Promise.all(all.map((id) => store.readSnapshot(id, "dropoff_risk")));
    expect(recomputed.filter((s) => s!.calculatedAt.getTime() === now)).toHaveLength(2);

    // The services fail: the other two keep their stale snapshots, leased for ten minutes, so the
    // next runs do not spend their batch on them; after the lease they are retried.
    await sim.setFault("content", { down: true });
    expect(await run(2)).toMatchObject({ due: 2, bySource: { stale_cache: 2 }, failed: [] });
    await sim.clearFaults();
    expect(await run(2)).toMatchObject({ due: 0 });
    now += 11 * 60_000;
    expect(await run(2)).toMatchObject({ due: 2, bySource: { realtime: 2 } });
    expect(await run(2)).toMatchObject({ due: 0, bySource: {}, failed: [] });
    const listed = await store.listAtRisk("org-borealis", { minLevel: "low", limit: 50 });
    const listedAt = listed.items.filter((r) => all.includes(r.learnerId)).map((r) => r.calculatedAt.getTime());
    expect(listedAt).toHaveLength(4);
    expect(listedAt.every((t) => t >= refreshedFrom)).toBe(true); // every one of them recomputed in this round
  });
});

describe("the refresh job and learners who left", () => {
  /** A store holding `ids` (unknown to the simulator unless real) with expired high-risk snapshots. */
  async function storeWith(ids: string[]) {
    const store = createSqlStore(await freshPglite());
    onTestFinished(() => store.close());
    await store.upsertDirectoryUsers(
      ids.map((userId) => ({
        userId,
        orgId: "org-borealis",
        displayName: userId,
        roles: ["learner"],
        timeZone: "UTC",
        trainerIds: [],
      })),
    );
    for (const learnerId of ids) {
      await store.writeSnapshot({
        learnerId,
        orgId: "org-borealis",
        kind: "dropoff_risk",
        computationVersion: defaultAnalytics.version,
        payload: { learnerId, riskScore: 0.6, riskLevel: "high", factors: [] },
        calculatedAt: new Date(NOW.getTime() - 30 * 3600_000),
        expiresAt: new Date(NOW.getTime() - 26 * 3600_000),
      });
    }
    return store;
  }
  const realLearners = () =>
    [...sim.world.learners.keys()].filter((id) => sim.world.users.get(id)!.orgId === "org-borealis").slice(0, 5);

  it("takes a learner the Directory itself says is gone out of the org lists, and names them", async () => {
    const ids = [...realLearners(), "lrn-left-1"];
    const store = await storeWith(ids);
    const { insights, upstreams } = build({ store });
    const confirmDeparted = async (id: string) => (await upstreams.directory.user(id)) === null;
    const run = () =>
      refreshDueSnapshots({ insights, store, now: NOW, version: defaultAnalytics.version, confirmDeparted });
    const summary = await run();
    expect(summary).toMatchObject({ due: 6, departed: ["lrn-left-1"], failed: [], bySource: { realtime: 5 } });
    const listed = (await store.listAtRisk("org-borealis", { minLevel: "low", limit: 50 })).items.map(
      (r) => r.learnerId,
    );
    expect(listed.sort()).toEqual(realLearners().sort());
    // Nothing left to claim: the next run does not spend its batch on them again.
    expect(await run()).toMatchObject({ due: 0 });
  });

  it("marks nobody departed without the Directory's own word, nor a whole run while the Directory does not answer for the organization", async () => {
    const gone = ["lrn-left-1", "lrn-left-2", "lrn-left-3"];
    const store = await storeWith([...realLearners().slice(0, 2), ...gone]);
    const { insights, upstreams } = build({ store });
    // No confirmation: a "no such learner" from the profile is a failure, retried later.
    const unconfirmed = await refreshDueSnapshots({ insights, store, now: NOW, version: defaultAnalytics.version });
    expect(unconfirmed.departed).toEqual([]);
    expect(unconfirmed.failed.map((f) => f.learnerId).sort()).toEqual(gone);
    // Confirmed, 3 of the 3 due at once, and the Directory does not answer for org-borealis (a
    // misrouted URL answers 404 for everyone): nobody is marked.
    let later = new Date(NOW.getTime() + 11 * 60_000);
    const run = (directoryAnswersFor: (orgId: string) => Promise<boolean>) =>
      refreshDueSnapshots({
        insights: build({ store, at: () => later }).insights,
        store,
        now: later,
        version: defaultAnalytics.version,
        confirmDeparted: async () => true,
        directoryAnswersFor,
      });
    const misrouted = await run(async () => false);
    expect(misrouted.departed).toEqual([]);
    expect(misrouted.failed[0]!.error).toMatch(/3 of 3 learners are unknown and does not answer for org-borealis/);
    // The Directory does answer for the organization (it lists its learners): a cohort that left.
    later = new Date(NOW.getTime() + 22 * 60_000);
    const cohort = await run(
      async (orgId) => (await upstreams.directory.orgUsers(orgId, { role: "learner", limit: 1 })) !== null,
    );
    expect(cohort.departed.sort()).toEqual(gone);
    expect(
      (await store.listAtRisk("org-borealis", { minLevel: "low", limit: 50 })).items.map((r) => r.learnerId),
    ).not.toEqual(expect.arrayContaining(["lrn-left-1"]));
  });

  it("counts a learner whose snapshot could not be written as failed, not as computed", async () => {
    const ids = realLearners().slice(0, 2);
    const real = await storeWith(ids);
    const broken = { ...real, writeSnapshot: () => Promise.reject(new Error("disk full")) };
    const { insights } = build({ store: broken });
    const summary = await refreshDueSnapshots({ insights, store: real, now: NOW, version: defaultAnalytics.version });
    expect(summary.bySource).toEqual({});
    expect(summary.failed.map((f) => [f.learnerId, f.error]).sort()).toEqual(
      ids.sort().map((id) => [id, "computed, but the snapshot could not be written"]),
    );
  });
});

describe("the refresh job and learners nobody has heard from", () => {
  const cascade = () =>
    [...sim.world.learners.keys()].filter((id) => sim.world.users.get(id)!.orgId === "org-cascade").sort();

  /** The Directory's learners of an organization (one page: the simulator's are fewer than 500). */
  const learnersFrom =
    (upstreams: ReturnType<typeof build>["upstreams"]) =>
    async (orgId: string): Promise<string[] | null> =>
      (await upstreams.directory.orgUsers(orgId, { role: "learner", limit: 500 }))?.items.map((u) => u.id) ?? null;

  /** A store that knows two of org-cascade's learners (a visit each); the rest never started. */
  async function storeKnowingTwo(at: () => Date) {
    const store = createSqlStore(await freshPglite());
    onTestFinished(() => store.close());
    const { insights, opts, settle } = build({ store, at });
    for (const id of cascade().slice(0, 2)) {
      await insights.profile(id);
      await insights.dropoffRisk(id, opts);
    }
    await settle();
    return store;
  }

  it("computes the learners the Directory lists without a snapshot, a batch per run, then checks each organization hourly", async () => {
    let now = NOW.getTime();
    const at = () => new Date(now);
    const store = await storeKnowingTwo(at);
    const { upstreams } = build({ store, at });
    const listedAtRisk = async () =>
      (await store.listAtRisk("org-cascade", { minLevel: "low", limit: 200 })).items.map((r) => r.learnerId).sort();
    expect(await listedAtRisk()).toHaveLength(2);
    const run = () =>
      refreshDueSnapshots({
        insights: build({ store, at }).insights,
        store,
        now: at(),
        version: defaultAnalytics.version,
        batch: 8,
        roster: {
          store,
          organizations: async () => ["org-cascade"],
          learnersOf: learnersFrom(upstreams),
        },
      });
    // 20 listed, 2 stored: 18 to compute, 8 per run; the check goes on in the next run until done.
    expect(await run()).toMatchObject({
      due: 0,
      rosters: [{ orgId: "org-cascade", listed: 20, unstored: 18, taken: 8 }],
      bySource: { realtime: 8 },
      failed: [],
    });
    expect((await run()).rosters).toMatchObject([{ unstored: 10, taken: 8 }]);
    expect((await run()).rosters).toMatchObject([{ unstored: 2, taken: 2 }]);
    expect(await listedAtRisk()).toEqual(cascade());
    // Complete: the organization is not checked again within the hour...
    expect((await run()).rosters).toEqual([]);
    now += 30 * 60_000;
    expect((await run()).rosters).toEqual([]);
    // ...and after it, a check that finds everyone stored costs no learner computation.
    now += 31 * 60_000;
    expect(await run()).toMatchObject({ rosters: [{ listed: 20, unstored: 0, taken: 0 }], bySource: {} });
  });

  it("counts learners answered without a stored snapshot (the mock fallback) against the check, and reports a failed roster step beside the due work", async () => {
    let now = NOW.getTime();
    const at = () => new Date(now);
    const store = await storeKnowingTwo(at);
    const { upstreams } = build({ store, at });
    const learnersOf = learnersFrom(upstreams);
    // The demo's mock fallback answers while Content Studio is down, and such answers are not stored.
    await sim.setFault("content", { down: true });
    const mocked = await refreshDueSnapshots({
      insights: build({ store, at, mockFallback: true }).insights,
      store,
      now: at(),
      version: defaultAnalytics.version,
      batch: 4,
      roster: { store, organizations: async () => ["org-cascade"], learnersOf },
    });
    expect(mocked.bySource).toEqual({ mock: 4 });
    expect(mocked.rosters).toMatchObject([{ orgId: "org-cascade", taken: 4, stillUnstored: 4 }]);
    await sim.clearFaults();
    // Not "complete": the organization comes back after the pause, with the same 18 to store.
    now += 31 * 60_000;
    const failing = { ...store, claimDueRosterCheck: () => Promise.reject(new Error("connection reset")) };
    const lines: { level: string; fields: Record<string, unknown> }[] = [];
    const logger = { log: (level: string, fields: Record<string, unknown>) => void lines.push({ level, fields }) };
    await runLoggedRefresh(
      () =>
        refreshDueSnapshots({
          insights: build({ store, at }).insights,
          store,
          now: at(),
          version: defaultAnalytics.version,
          roster: { store: failing, organizations: () => Promise.reject(new Error("Directory down")), learnersOf },
        }),
      logger,
    );
    // The store could not claim: one warn line that still carries the run, not "refresh failed".
    expect(lines).toHaveLength(1);
    expect(lines[0]!.level).toBe("warn");
    expect(lines[0]!.fields).toMatchObject({ msg: "snapshot refresh", due: 0 });
    expect(String(lines[0]!.fields.rosterError)).toMatch(/connection reset/);
    const resumed = await refreshDueSnapshots({
      insights: build({ store, at }).insights,
      store,
      now: at(),
      version: defaultAnalytics.version,
      roster: { store, organizations: () => Promise.reject(new Error("Directory down")), learnersOf },
    });
    // The Directory's organization list failed: said, and the store's own organization was checked.
    expect(resumed.rosterError).toMatch(/organization list failed.*Directory down/);
    expect(resumed.rosters).toMatchObject([{ orgId: "org-cascade", unstored: 18, taken: 18 }]);
  });

  it("checks several organizations in one run while the batch has room, each once", async () => {
    const store = createSqlStore(await freshPglite());
    onTestFinished(() => store.close());
    const { upstreams } = build({ store });
    const orgs = [...new Set([...sim.world.users.values()].map((u) => u.orgId))].sort();
    const summary = await refreshDueSnapshots({
      insights: build({ store }).insights,
      store,
      now: NOW,
      version: defaultAnalytics.version,
      batch: 1000,
      roster: {
        store,
        organizations: async () => orgs,
        learnersOf: learnersFrom(upstreams),
      },
    });
    expect(summary.rosters.map((r) => r.orgId)).toEqual(orgs);
    expect(summary.rosters.reduce((n, r) => n + r.taken, 0)).toBe(sim.world.learners.size);
    expect(summary.failed).toEqual([]);
  });

  it("gives due learners the batch first, and retries a roster the Directory could not give after half an hour", async () => {
    let now = NOW.getTime();
    const at = () => new Date(now);
    const store = await storeKnowingTwo(at);
    const { upstreams } = build({ store, at });
    const run = (batch: number) =>
      refreshDueSnapshots({
        insights: build({ store, at }).insights,
        store,
        now: at(),
        version: defaultAnalytics.version,
        batch,
        roster: {
          store,
          organizations: async () => null, // the Directory's list failed: the store's own are checked
          learnersOf: learnersFrom(upstreams),
        },
      });
    // Five hours on both stored snapshots have expired: with a batch of 2 there is no room left.
    now += 5 * 3600_000;
    expect(await run(2)).toMatchObject({ due: 2, rosters: [] });
    // The Directory is down: the check fails, says why, and pauses half an hour.
    await sim.setFault("directory", { down: true });
    const failed = await run(5);
    expect(failed.rosters).toMatchObject([{ orgId: "org-cascade", taken: 0 }]);
    expect(failed.rosters[0]!.error).toBeTruthy();
    await sim.clearFaults();
    expect((await run(5)).rosters).toEqual([]);
    now += 20 * 60_000;
    expect((await run(5)).rosters).toEqual([]);
    now += 11 * 60_000;
    expect(await run(5)).toMatchObject({ rosters: [{ orgId: "org-cascade", unstored: 18, taken: 5 }], failed: [] });
  });
});

describe("refreshing an organization", () => {
  it("computes and stores every learner's snapshots, so the org lists know them", async () => {
    const { insights, upstreams } = build();
    const summary = await refreshOrgSnapshots({ insights, upstreams, orgId: "org-cascade" });
    expect(summary.learners).toBe(20);
    expect(summary.failed).toEqual([]);
    const atRisk = await store.listAtRisk("org-cascade", { minLevel: "low", limit: 50 });
    expect(atRisk.items).toHaveLength(20);
    const again = await refreshOrgSnapshots({ insights: build().insights, upstreams, orgId: "org-cascade" });
    expect(again.bySource).toEqual({ cached: 20 }); // current snapshots are not recomputed
  });

  it("stores each learner with their trainers, so a trainer's lists hold exactly the learners they may open", async () => {
    // A store of its own: learners computed by the tests above without a profile carry no trainers.
    const store = createSqlStore(await freshPglite());
    onTestFinished(() => store.close());
    const { insights, upstreams } = build({ store });
    await refreshOrgSnapshots({ insights, upstreams, orgId: "org-cascade" });
    const { world } = sim;
    const learners = [...world.learners.keys()].filter((id) => world.users.get(id)!.orgId === "org-cascade");
    // The simulator's course assignments, read directly: who trains each learner's courses.
    const trainersOf = (learnerId: string) => new Set(trainersOfLearner(world, learnerId));
    const trainers = [...world.users.values()].filter((u) => u.orgId === "org-cascade" && u.roles.includes("trainer"));
    let narrowed = 0;
    for (const trainer of trainers) {
      const scope = { kind: "trainer", trainerId: trainer.id } as const;
      const listed = (await store.listLearners("org-cascade", { limit: 200, scope })).items.map((l) => l.learnerId);
      const expected = learners.filter((id) => trainersOf(id).size === 0 || trainersOf(id).has(trainer.id));
      expect(listed.sort()).toEqual(expected.sort());
      const atRisk = await store.listAtRisk("org-cascade", { minLevel: "low", limit: 200, scope });
      expect(atRisk.items.map((r) => r.learnerId).sort()).toEqual(expected.sort());
      // The profile that authorizes learner routes agrees with the stored trainers.
      for (const id of learners) {
        const profile = (await insights.profile(id))!;
        const mayOpen = profile.trainerIds.length === 0 || profile.trainerIds.includes(trainer.id);
        expect(mayOpen, `${trainer.id} -> ${id}`).toBe(listed.includes(id));
      }
      if (expected.length < learners.length) narrowed += 1;
    }
    expect(narrowed).toBeGreaterThan(0); // the world has trainers who do not train everyone
  });
});

describe("a failing response cache", () => {
  it("costs speed, never the answer", async () => {
    const broken = {
      kind: "kv" as const,
      get: () => Promise.reject(new Error("KV unavailable")),
      set: () => Promise.reject(new Error("KV unavailable")),
      delete: () => Promise.reject(new Error("KV unavailable")),
    };
    const lines: Record<string, unknown>[] = [];
    const { insights } = build({ cache: broken, logger: { log: (_l, f) => void lines.push(f) } });
    expect((await insights.velocity("lrn-cascade-004")).dataSource).toMatch(/realtime|cached/);
    expect(await insights.profile("lrn-cascade-004")).not.toBeNull();
    await insights.invalidate(["lrn-cascade-004"]);
    expect(lines.some((l) => l.msg === "response cache failed")).toBe(true);
  });
});

/** A store whose snapshots never persist, for tests that need the cache alone to decide. */
function storeWithoutSnapshots() {
  return {
    readSnapshot: async () => null,
    writeSnapshot: async () => true,
    gamificationState: store.gamificationState.bind(store),
    upsertDirectoryUsers: store.upsertDirectoryUsers.bind(store),
  };
}
