/**
 * The demo's seeding path end to end: the simulator's history posted to the BFF's real
 * `POST /api/v1/events` (service token, ingestion, Directory lookups through insights.profile
 * against the simulator, ledger in PGlite), then read back as gamification over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { createMemoryCache } from "../src/cache/memory-cache.ts";
import { systemClock } from "../src/deps.ts";
import { createLearnerInsights } from "../src/insights/learner-insights.ts";
import { createSqlStore } from "../src/store/sql.ts";
import { freshPglite } from "../src/store/testing.ts";
import type { AnalyticsStore } from "../src/store/types.ts";
import { createUpstreams } from "../src/upstream/clients.ts";
import { serveOnLoopback } from "../test/doubles/serve.ts";
import { userToken } from "../test/doubles/tokens.ts";
import { createTestWorld, TEST_SERVICE_SECRET } from "../test/doubles/world.ts";
import { replayHistory } from "./replay-history.ts";
import { type Simulator, startSimulator } from "./server.ts";

let sim: Simulator;
let store: AnalyticsStore;
let bffUrl: string;
let close: () => Promise<void>;

beforeAll(async () => {
  // A small world, and "now" = today, so the ledger's streaks end where the history does.
  sim = await startSimulator({ serviceSecret: "local-dev-only-sim", learners: 30 });
  store = createSqlStore(await freshPglite());
  const upstreams = createUpstreams({ urls: sim.urls, serviceSecret: "local-dev-only-sim" });
  const insights = createLearnerInsights({
    upstreams,
    cache: createMemoryCache({ clock: systemClock }),
    store,
    clock: systemClock,
    mockFallback: false,
  });
  const app = createApp(createTestWorld({ insights, ledger: store, clock: systemClock }).deps);
  ({ base: bffUrl, close } = await serveOnLoopback(app));
}, 60_000);
afterAll(async () => {
  await close?.();
  await sim?.stop();
  await store?.close();
});

describe("replaying the simulator's history into the ledger", () => {
  it("accepts every event once, counts a second replay as duplicates, and the learners have points", async () => {
    const expected = (await (await fetch(`${sim.baseUrl}/__admin/history/events?orgId=org-aurora`)).json()).total;
    const first = await replayHistory({
      adminUrl: sim.baseUrl,
      bffUrl,
      serviceSecret: TEST_SERVICE_SECRET,
      orgId: "org-aurora",
    });
    expect(first).toMatchObject({ accepted: expected, duplicates: 0, rejected: 0 });
    // Pages of 500 events exceed the BFF's 64 KB body limit, so they go in several posts.
    expect(expected).toBeGreaterThan(500);
    expect(first.batches).toBeGreaterThan(Math.ceil(expected / 500));

    const again = await replayHistory({
      adminUrl: sim.baseUrl,
      bffUrl,
      serviceSecret: TEST_SERVICE_SECRET,
      orgId: "org-aurora",
    });
    expect(again).toMatchObject({ accepted: 0, duplicates: expected, rejected: 0 });

    const token = await userToken({ sub: "adm-aurora", org: "org-aurora", roles: ["org_admin"] });
    const answer = await fetch(`${bffUrl}/api/v1/learners/lrn-aurora-001/gamification`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(answer.status).toBe(200);
    const body = await answer.json();
    expect(body.data.points).toBeGreaterThan(0);
    expect(body.data.badges.some((b: { earnedAt: string | null }) => b.earnedAt !== null)).toBe(true);
  }, 120_000);

  it("refuses to post without the BFF's service secret", async () => {
    await expect(
      replayHistory({
        adminUrl: sim.baseUrl,
        bffUrl,
        serviceSecret: "local-dev-only-wrong-secret-0123456789abcdef",
        orgId: "org-cascade",
      }),
    ).rejects.toThrow(/401/);
  });
});
