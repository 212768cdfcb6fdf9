/**
 * Faults over real HTTP on loopback: the simulator's fault injection against a LearnerInsights
 * with real clients, breakers and a real (PGlite) store. For each way a service can fail, the
 * answer comes within the deadline with the right dataSource, the breaker opens and later closes
 * through a half-open probe, and nothing ends as an unhandled rejection.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FaultInput, SERVICE_NAMES } from "../simulator/faults.ts";
import { type Simulator, startSimulator } from "../simulator/server.ts";
import { createMemoryCache } from "../src/cache/memory-cache.ts";
import { systemClock, UpstreamUnavailableError } from "../src/deps.ts";
import { createLearnerInsights } from "../src/insights/learner-insights.ts";
import { createSqlStore } from "../src/store/sql.ts";
import { freshPglite } from "../src/store/testing.ts";
import type { AnalyticsStore } from "../src/store/types.ts";
import { createUpstreams } from "../src/upstream/clients.ts";

const SECRET = "local-dev-only-service-secret";
const T0 = new Date("2026-11-20T12:00:00Z");
const DEADLINE_MS = 1000;
/** Answer time allowed beyond the deadline: the fallback's own store read and scheduling. */
const SLACK_MS = 250;
const HALF_OPEN_MS = 400;

let sim: Simulator;
let store: AnalyticsStore;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  sim = await startSimulator({ now: T0, serviceSecret: SECRET, learners: 150 });
  store = createSqlStore(await freshPglite());
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await sim.stop();
  await store.close();
});
afterEach(async () => {
  await sim.clearFaults();
  sim.resetStats();
});

function bff(options: { mockFallback?: boolean } = {}) {
  let now = T0.getTime();
  const clock = { now: () => new Date(now) };
  const upstreams = createUpstreams({
    urls: sim.urls,
    serviceSecret: SECRET,
    clock: systemClock, // tokens must be valid for the simulator's real clock
    resilience: {
      attemptTimeoutMs: 300,
      callDeadlineMs: 900,
      backoffInitialMs: 10,
      breakerThreshold: 3,
      halfOpenAfterMs: HALF_OPEN_MS,
    },
  });
  const background: Promise<unknown>[] = [];
  const insights = createLearnerInsights({
    upstreams,
    cache: createMemoryCache({ clock }),
    store,
    clock,
    mockFallback: options.mockFallback ?? false,
    deadlineMs: DEADLINE_MS,
    retryAfterSeconds: 7,
  });
  return {
    insights,
    opts: { waitUntil: (p: Promise<unknown>) => void background.push(p) },
    settle: () => Promise.all(background),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work;
  return { value, ms: performance.now() - started };
}

const FAULTS: [string, FaultInput][] = [
  ["down", { down: true }],
  ["slow past its timeout", { latencyMs: 1500 }],
  ["answering 500", { errorRate: 1, errorStatus: 500 }],
  ["answering malformed JSON", { malformedRate: 1, malformedKind: "json" }],
  ["answering schema-violating JSON", { malformedRate: 1, malformedKind: "schema" }],
  ["hanging", { hang: true }],
];

// Each case gets its own learners, so the shared database holds no snapshot another case made.
const learner = (caseIndex: number, n: number) => `lrn-borealis-${String(caseIndex * 5 + n + 2).padStart(3, "0")}`;

describe.each(FAULTS.map(([name, fault], i) => ({ name, fault, i })))("Content Studio $name", ({ fault, i }) => {
  it("answers stale_cache, mock or 503 within the deadline; the breaker opens and closes again", async () => {
    const warm = learner(i, 0);
    const cold = learner(i, 1);

    // Yesterday's answer sits in Postgres, 5 hours old (past its 4-hour expiry).
    const demo = bff({ mockFallback: true });
    expect((await demo.insights.velocity(warm, demo.opts)).dataSource).toBe("realtime");
    await demo.settle();
    demo.advance(5 * 3600_000);

    await sim.setFault("content", fault);

    const stale = await timed(demo.insights.velocity(warm, demo.opts));
    expect(stale.value.dataSource).toBe("stale_cache");
    expect(stale.value.data.learnerId).toBe(warm);
    expect(stale.ms).toBeLessThan(DEADLINE_MS + SLACK_MS);

    const mocked = await timed(demo.insights.dropoffRisk(cold, demo.opts));
    expect(mocked.value.dataSource).toBe("mock");
    expect(mocked.ms).toBeLessThan(DEADLINE_MS + SLACK_MS);

    const production = bff({ mockFallback: false });
    const refused = await timed(
      production.insights.forecast(cold, production.opts).then(
        () => null,
        (e: unknown) => e,
      ),
    );
    expect(refused.value).toBeInstanceOf(UpstreamUnavailableError);
    expect((refused.value as UpstreamUnavailableError).retryAfterSeconds).toBe(7);
    expect(refused.ms).toBeLessThan(DEADLINE_MS + SLACK_MS);

    // Keep asking (other learners, so no single-flight merges them) until the breaker opens.
    for (let n = 2; demo.insights.upstreamHealth().content!.breaker !== "open" && n < 5; n++) {
      await demo.insights.velocity(learner(i, n), demo.opts);
    }
    expect(demo.insights.upstreamHealth().content).toMatchObject({ state: "down", breaker: "open" });
    expect(demo.insights.upstreamHealth().assessment!.state).toBe("healthy");
    const openCalls = sim.stats().calls.content;
    const whileOpen = await timed(demo.insights.velocity(learner(i, 4), demo.opts));
    expect(whileOpen.value.dataSource).toBe("mock");
    expect(whileOpen.ms).toBeLessThan(100); // the open breaker answers at once
    expect(sim.stats().calls.content).toEqual(openCalls); // and does not call

    // The service recovers; after the half-open delay one probe closes the breaker.
    await sim.clearFaults();
    await new Promise((r) => setTimeout(r, HALF_OPEN_MS + 50));
    const recovered = await demo.insights.velocity(learner(i, 4), demo.opts);
    expect(recovered.dataSource).toBe("realtime");
    expect(demo.insights.upstreamHealth().content).toMatchObject({ state: "healthy", breaker: "closed" });
    await demo.settle();
    await production.settle();
    expect(unhandled).toEqual([]);
  });
});

describe("optional sources", () => {
  it.each([
    ["devlab", "lrn-cascade-010"],
    ["rag", "lrn-cascade-013"],
  ] as const)("%s down still answers realtime, without its activity", async (service, learnerId) => {
    const { insights, opts, settle } = bff();
    await sim.setFault(service, { down: true });
    const answer = await timed(insights.velocity(learnerId, opts));
    expect(answer.value.dataSource).toBe("realtime");
    expect(answer.ms).toBeLessThan(DEADLINE_MS);
    await settle();
  });
});

describe("every service down at once", () => {
  it("still answers: stale_cache where Postgres has a snapshot, 503 where it has none", async () => {
    const { insights, opts, settle, advance } = bff();
    await insights.profile("lrn-cascade-011"); // as the routes do, to authorize
    await insights.velocity("lrn-cascade-011", opts);
    await settle();
    advance(5 * 3600_000);
    for (const service of SERVICE_NAMES) await sim.setFault(service, { down: true });
    // The Directory is down too; the profile the routes authorize with comes from its cache.
    expect((await insights.profile("lrn-cascade-011"))!.orgId).toBe("org-cascade");
    expect((await insights.velocity("lrn-cascade-011", opts)).dataSource).toBe("stale_cache");
    await expect(insights.velocity("lrn-cascade-012", opts)).rejects.toBeInstanceOf(UpstreamUnavailableError);
    await expect(insights.profile("lrn-cascade-012")).rejects.toBeInstanceOf(UpstreamUnavailableError);
    expect(Object.values(insights.upstreamHealth()).some((h) => h.state !== "healthy")).toBe(true);
    expect(unhandled).toEqual([]);
  });
});
