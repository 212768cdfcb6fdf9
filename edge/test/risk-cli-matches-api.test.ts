/**
 * Issue 4's promise that `ms8 risk` and the API are one computation: the BFF answers a simulator
 * learner's drop-off risk over HTTP; the same learner's snapshot, gathered from the same simulator
 * as of the answer's calculatedAt, piped through the real CLI process gives the same data.
 */
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../simulator/server.ts";
import { createApp } from "../src/app.ts";
import { createMemoryCache } from "../src/cache/memory-cache.ts";
import { systemClock } from "../src/deps.ts";
import { createLearnerInsights } from "../src/insights/learner-insights.ts";
import { gatherLearnerSnapshot } from "../src/insights/learner-snapshot.ts";
import { createSqlStore } from "../src/store/sql.ts";
import { freshPglite } from "../src/store/testing.ts";
import type { AnalyticsStore } from "../src/store/types.ts";
import { createUpstreams, type Upstreams } from "../src/upstream/clients.ts";
import { createIdentity } from "../src/upstream/identity.ts";
import { serveOnLoopback } from "./doubles/serve.ts";
import { userToken } from "./doubles/tokens.ts";
import { createTestWorld } from "./doubles/world.ts";

const SIM_SECRET = "local-dev-only-simulator-service-secret";
const T0 = new Date("2026-11-20T12:00:00Z");
const cli = new URL("../src/cli/ms8.ts", import.meta.url).pathname;

let sim: Simulator;
let store: AnalyticsStore;
let upstreams: Upstreams;
let base = "";
let close: () => Promise<void>;

beforeAll(async () => {
  sim = await startSimulator({ now: T0, serviceSecret: SIM_SECRET });
  store = createSqlStore(await freshPglite());
  upstreams = createUpstreams({ urls: sim.urls, serviceSecret: SIM_SECRET });
  const clock = { now: () => T0 };
  const insights = createLearnerInsights({
    upstreams,
    cache: createMemoryCache({ clock }),
    store,
    clock,
    mockFallback: false,
  });
  const world = createTestWorld({ insights, identity: createIdentity(upstreams), clock: systemClock });
  const app = createApp(world.deps);
  ({ base, close } = await serveOnLoopback(app));
});
afterAll(async () => {
  await close?.();
  await sim.stop();
  await store.close();
});

describe("ms8 risk and GET /dropoff-risk", () => {
  it("give the same score, level, factors and actions for the same simulator learners", async () => {
    const token = await userToken({ sub: "adm-borealis", org: "org-borealis", roles: ["org_admin"] });
    // Several learners of one organization, so the comparison covers different factors.
    const learners = [...sim.world.learners.keys()]
      .map((id) => sim.world.users.get(id)!)
      .filter((user) => user.orgId === "org-borealis")
      .slice(0, 8);
    expect(learners.length).toBe(8);
    const lines: string[] = [];
    const fromApi = new Map<string, Record<string, unknown>>();
    for (const learner of learners) {
      const res = await fetch(`${base}/api/v1/learners/${learner.id}/dropoff-risk`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { data: Record<string, unknown>; meta: { calculatedAt: string } };
      expect(body.meta.calculatedAt).toBe(T0.toISOString());
      fromApi.set(learner.id, body.data);
      const gathered = await gatherLearnerSnapshot(upstreams, learner.id, {
        asOf: new Date(body.meta.calculatedAt),
        user: () => upstreams.directory.user(learner.id),
        enrollments: () => upstreams.course.enrollments(learner.id),
      });
      lines.push(JSON.stringify(gathered!.snapshot));
    }
    const run = spawnSync(process.execPath, [cli, "risk"], { input: `${lines.join("\n")}\n`, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const fromCli = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(fromCli).toHaveLength(learners.length);
    for (const answer of fromCli) {
      const api = fromApi.get(answer.learnerId as string)!;
      // The API may add an AI-written explanation beside the numbers; everything else is identical.
      const { explanation: _explanation, ...apiData } = api;
      expect(answer).toEqual(apiData);
    }
    expect(new Set(fromCli.map((a) => a.riskScore)).size).toBeGreaterThan(1);
  });
});
