/**
 * A trainer's organization lists end to end on a real Node socket: the app with the real insights,
 * store (PGlite) and upstream clients, over loopback to the simulator, whose Directory assigns
 * trainers to courses. Learners reach MS8's store the two ways they do in production, through
 * event ingestion (POST /events) and through the analytics recompute (the org refresh), and each
 * time the trainer's lists must hold exactly the learners that trainer may open.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../simulator/server.ts";
import { trainersOfLearner } from "../simulator/world.ts";
import { createApp } from "../src/app.ts";
import { createMemoryCache } from "../src/cache/memory-cache.ts";
import { systemClock } from "../src/deps.ts";
import { createLearnerInsights } from "../src/insights/learner-insights.ts";
import { refreshOrgSnapshots } from "../src/insights/org-refresh.ts";
import { createSqlStore } from "../src/store/sql.ts";
import { freshPglite } from "../src/store/testing.ts";
import type { AnalyticsStore } from "../src/store/types.ts";
import { createUpstreams, type Upstreams } from "../src/upstream/clients.ts";
import { createIdentity } from "../src/upstream/identity.ts";
import { serveOnLoopback } from "./doubles/serve.ts";
import { serviceToken, userToken } from "./doubles/tokens.ts";
import { createTestWorld } from "./doubles/world.ts";

const SIM_SECRET = "local-dev-only-simulator-service-secret";
const T0 = new Date("2026-11-20T12:00:00Z");
const ORG = "org-aurora";

let sim: Simulator;
let store: AnalyticsStore;
let upstreams: Upstreams;
let insights: ReturnType<typeof createLearnerInsights>;
let base = "";
let close: () => Promise<void>;

beforeAll(async () => {
  sim = await startSimulator({ now: T0, serviceSecret: SIM_SECRET, learners: 30 });
  store = createSqlStore(await freshPglite());
  upstreams = createUpstreams({ urls: sim.urls, serviceSecret: SIM_SECRET });
  const clock = { now: () => T0 };
  insights = createLearnerInsights({
    upstreams,
    cache: createMemoryCache({ clock }),
    store,
    clock,
    mockFallback: false,
  });
  const world = createTestWorld({
    insights,
    store,
    ledger: store,
    identity: createIdentity(upstreams),
    clock: systemClock,
  });
  const app = createApp(world.deps);
  ({ base, close } = await serveOnLoopback(app));
});
afterAll(async () => {
  await close?.();
  await sim.stop();
  await store.close();
});

/** The simulator's own answer, read from its world: who trains each of the organization's learners. */
function trainedBy(trainerId: string): string[] {
  const { world } = sim;
  return [...world.learners.entries()]
    .filter(([id]) => world.users.get(id)!.orgId === ORG)
    .filter(([id]) => {
      const trainers = trainersOfLearner(world, id);
      return trainers.length === 0 || trainers.includes(trainerId);
    })
    .map(([id]) => id)
    .sort();
}
const orgLearners = () => [...sim.world.learners.keys()].filter((id) => sim.world.users.get(id)!.orgId === ORG).sort();

const as = async (sub: string, roles: string[]) => ({
  headers: { authorization: `Bearer ${await userToken({ sub, org: ORG, roles })}` },
});

async function allPages(path: string, init: RequestInit) {
  const ids: string[] = [];
  const scopes = new Set<string>();
  let cursor: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const res = await fetch(
      `${base}${path}${path.includes("?") ? "&" : "?"}limit=3${cursor ? `&cursor=${cursor}` : ""}`,
      init,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { learnerId: string }[]; nextCursor: string | null; scope: string };
    ids.push(...body.items.map((i) => i.learnerId));
    scopes.add(body.scope);
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  return { ids, scopes: [...scopes] };
}

describe("a trainer's organization lists over the real stack", () => {
  const trainers = ["trn-aurora-1", "trn-aurora-2", "trn-aurora-3", "trn-aurora-4"];

  it("the world has trainers who train some learners of the organization but not all", () => {
    const sizes = trainers.map((t) => trainedBy(t).length);
    expect(sizes.some((n) => n > 0 && n < orgLearners().length)).toBe(true);
  });

  it("learners mirrored by event ingestion are listed for exactly their trainers", async () => {
    const events = orgLearners().map((learnerId, i) => ({
      eventId: `30000000-0000-4000-8000-${String(i + 1).padStart(12, "0")}`,
      learnerId,
      orgId: ORG,
      type: "login",
      occurredAt: "2026-11-19T09:00:00Z",
      data: {},
    }));
    const posted = await fetch(`${base}/api/v1/events`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${await serviceToken("course-builder", "events:write")}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ events }),
    });
    expect(await posted.json()).toMatchObject({ accepted: events.length, rejected: 0 });
    for (const trainer of trainers) {
      const listed = await allPages(`/api/v1/orgs/${ORG}/learners`, await as(trainer, ["trainer"]));
      expect({ trainer, ...listed, ids: listed.ids.sort() }).toEqual({
        trainer,
        ids: trainedBy(trainer),
        scopes: ["trainer"],
      });
    }
  });

  it("after the recompute, each trainer's lists and summary cover exactly the learners that open for them", async () => {
    const refreshed = await refreshOrgSnapshots({ insights, upstreams, orgId: ORG });
    expect(refreshed.failed).toEqual([]);
    for (const trainer of trainers) {
      const init = await as(trainer, ["trainer"]);
      const learners = await allPages(`/api/v1/orgs/${ORG}/learners`, init);
      const atRisk = await allPages(`/api/v1/orgs/${ORG}/at-risk?minLevel=low`, init);
      expect(learners.ids.sort()).toEqual(trainedBy(trainer));
      expect(atRisk.ids.sort()).toEqual(trainedBy(trainer));
      const summary = (await (await fetch(`${base}/api/v1/orgs/${ORG}/summary`, init)).json()) as Record<
        string,
        unknown
      >;
      expect(summary).toMatchObject({ scope: "trainer", learnerCount: trainedBy(trainer).length });
      // Every learner of the organization: listed if and only if the learner route lets them in.
      for (const learnerId of orgLearners()) {
        const res = await fetch(`${base}/api/v1/learners/${learnerId}/dropoff-risk`, init);
        expect(res.status, `${trainer} -> ${learnerId}`).toBe(learners.ids.includes(learnerId) ? 200 : 403);
      }
    }
    const admin = await as("adm-aurora", ["org_admin"]);
    const everyone = await allPages(`/api/v1/orgs/${ORG}/learners`, admin);
    expect({ ...everyone, ids: everyone.ids.sort() }).toEqual({ ids: orgLearners(), scopes: ["organization"] });
    const summary = (await (await fetch(`${base}/api/v1/orgs/${ORG}/summary`, admin)).json()) as Record<
      string,
      unknown
    >;
    expect(summary).toMatchObject({ scope: "organization", learnerCount: orgLearners().length });
  });
});
