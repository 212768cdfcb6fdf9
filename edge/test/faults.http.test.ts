/**
 * The fault tests again, through the BFF's HTTP API on a real Node socket: the app (createApp)
 * with the real insights, identity, store (PGlite) and upstream clients, talking over loopback to
 * the simulator whose faults are set through its admin endpoint. Whatever a service does, no
 * request gets a 500: 200 with the right meta.dataSource, or 503 problem+json with Retry-After.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { FaultInput } from "../simulator/faults.ts";
import { type Simulator, startSimulator } from "../simulator/server.ts";
import { createApp } from "../src/app.ts";
import { createMemoryCache } from "../src/cache/memory-cache.ts";
import { systemClock } from "../src/deps.ts";
import { createLearnerInsights } from "../src/insights/learner-insights.ts";
import { createUpstreamProbe } from "../src/routes/health.ts";
import { createSqlStore } from "../src/store/sql.ts";
import { freshPglite } from "../src/store/testing.ts";
import type { AnalyticsStore } from "../src/store/types.ts";
import { createUpstreams } from "../src/upstream/clients.ts";
import { createIdentity } from "../src/upstream/identity.ts";
import { serveOnLoopback } from "./doubles/serve.ts";
import { serviceToken, userToken } from "./doubles/tokens.ts";
import { createTestWorld } from "./doubles/world.ts";

const SIM_SECRET = "local-dev-only-simulator-service-secret";
const T0 = new Date("2026-11-20T12:00:00Z");
const DEADLINE_MS = 1000;
const HALF_OPEN_MS = 400;

let sim: Simulator;
let store: AnalyticsStore;
const servers: { close(): Promise<void> }[] = [];
const statuses: number[] = [];

beforeAll(async () => {
  sim = await startSimulator({ now: T0, serviceSecret: SIM_SECRET });
  store = createSqlStore(await freshPglite());
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await sim.stop();
  await store.close();
  // The whole file, every fault included: not one 500.
  expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
});
afterEach(async () => {
  await sim.clearFaults();
  sim.resetStats();
});

/** One BFF instance on its own port; the insights clock can move (tokens keep real time). */
async function startBff(options: {
  mockFallback: boolean;
  serviceSecret?: string;
  probeCacheMs?: number;
  /** Per-attempt timeout (default 300 ms, as the fault cases need); tests about sharing widen it. */
  attemptTimeoutMs?: number;
  /** The answer's deadline (default DEADLINE_MS). */
  deadlineMs?: number;
}) {
  let now = T0.getTime();
  const clock = { now: () => new Date(now) };
  const upstreams = createUpstreams({
    urls: sim.urls,
    serviceSecret: options.serviceSecret ?? SIM_SECRET,
    resilience: {
      attemptTimeoutMs: options.attemptTimeoutMs ?? 300,
      callDeadlineMs: Math.max(900, 3 * (options.attemptTimeoutMs ?? 300)),
      backoffInitialMs: 10,
      breakerThreshold: 3,
      halfOpenAfterMs: HALF_OPEN_MS,
    },
  });
  // The insights' warnings go to the same captured log as the app's lines.
  const insightLogs: string[] = [];
  const insights = createLearnerInsights({
    logger: { log: (level, fields) => insightLogs.push(JSON.stringify({ level, ...fields })) },
    upstreams,
    cache: createMemoryCache({ clock }),
    store,
    clock,
    mockFallback: options.mockFallback,
    deadlineMs: options.deadlineMs ?? DEADLINE_MS,
    retryAfterSeconds: 11,
  });
  const world = createTestWorld({ insights, identity: createIdentity(upstreams), clock: systemClock });
  world.deps.health.upstreams = createUpstreamProbe({
    urls: sim.urls,
    timeoutMs: 500,
    cacheMs: options.probeCacheMs ?? 0,
  });
  const app = createApp(world.deps);
  const served = await serveOnLoopback(app);
  servers.push(served);
  const { base } = served;
  const request = async (path: string, init: RequestInit = {}, as = "adm-borealis") => {
    const token = await userToken({ sub: as, org: "org-borealis", roles: ["org_admin"] });
    const started = performance.now();
    const response = await fetch(`${base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...init.headers },
    });
    statuses.push(response.status);
    const body = await response.json().catch(() => null);
    return { status: response.status, headers: response.headers, body, ms: performance.now() - started };
  };
  const advance = (ms: number) => {
    now += ms;
  };
  return {
    request,
    advance,
    get logs() {
      return [...insightLogs, ...world.logs];
    },
  };
}

const velocityOf = (learnerId: string) => `/api/v1/learners/${learnerId}/velocity`;

describe("sign-in through the Auth service", () => {
  it("signs a persona in, refuses a wrong password, and answers 503 while Auth is down", async () => {
    const bff = await startBff({ mockFallback: false });
    const persona = sim.world.personas.find((p) => p.orgId === "org-borealis" && p.role === "trainer")!;
    const login = (password: string) =>
      bff.request("/api/v1/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: persona.email, password }),
      });
    const ok = await login(persona.password);
    expect(ok.status).toBe(200);
    expect(ok.body.user).toMatchObject({ id: persona.userId, orgId: "org-borealis", roles: ["trainer"] });
    expect((await login("not-it")).status).toBe(401);
    await sim.setFault("auth", { down: true });
    const down = await login(persona.password);
    expect(down.status).toBe(503);
    expect(down.headers.get("content-type")).toContain("application/problem+json");
    expect(down.headers.get("retry-after")).toBeTruthy();
    // The warning says what failed and carries the request id the client got back.
    const warning = bff.logs.map((line) => JSON.parse(line)).find((line) => line.msg === "auth service failed");
    expect(warning).toMatchObject({ requestId: down.headers.get("x-request-id") });
    expect(warning.error).toMatch(/^network: auth: /);
  });
});

describe("a learner the Directory or Course Builder cannot describe", () => {
  it("answers 503 naming the service that failed, and every warning carries the request id", async () => {
    const bff = await startBff({ mockFallback: false });
    await sim.setFault("course", { down: true });
    // A learner the Directory knows (org-borealis has 167): for one it does not know, the answer is
    // a 404 whatever the Course Builder does.
    const res = await bff.request(velocityOf("lrn-borealis-167"));
    expect(res.status).toBe(503);
    expect(res.body.detail).toBe("the Course Builder cannot answer for this learner");
    const requestId = res.headers.get("x-request-id");
    const warnings = bff.logs
      .map((line) => JSON.parse(line))
      .filter((line) => line.level === "warn" && line.learnerId === "lrn-borealis-167");
    expect(warnings.map((w) => w.msg)).toContain("learner profile unavailable");
    for (const warning of warnings) expect(warning.requestId).toBe(requestId);
  });
});

describe("sign-in with a SERVICE_SECRET that Auth does not share", () => {
  it("answers 503 (not 'wrong password') and logs an error naming the misconfiguration", async () => {
    const bff = await startBff({ mockFallback: false, serviceSecret: "local-dev-only-not-the-simulators-secret" });
    const persona = sim.world.personas.find((p) => p.orgId === "org-borealis" && p.role === "trainer")!;
    const res = await bff.request("/api/v1/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: persona.email, password: persona.password }),
    });
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const errors = bff.logs.map((line) => JSON.parse(line)).filter((line) => line.level === "error");
    const named = errors.find((line) => line.misconfigured === "SERVICE_SECRET");
    expect(named?.msg).toMatch(/SERVICE_SECRET/);
  });
});

describe("GET /health probes each upstream's own /health", () => {
  type Report = {
    status: string;
    upstreams: Record<string, { state: string; breaker: string; probe?: { state: string } }>;
  };

  it("reports a service down at once, before any user request trips its breaker, and still answers 200", async () => {
    const bff = await startBff({ mockFallback: true });
    const before = await bff.request("/health");
    expect(before.status).toBe(200);
    expect((before.body as Report).upstreams.content).toMatchObject({ state: "healthy", probe: { state: "healthy" } });
    await sim.setFault("content", { down: true });
    const started = performance.now();
    const during = await bff.request("/health");
    expect(performance.now() - started).toBeLessThan(1_500);
    // The instance can still serve (cached, stale or mock answers): 200, degraded overall.
    expect(during.status).toBe(200);
    const report = during.body as Report;
    expect(report.status).toBe("degraded");
    expect(report.upstreams.content).toMatchObject({ state: "down", breaker: "closed", probe: { state: "down" } });
    expect(report.upstreams.directory!.state).toBe("healthy");
  });

  it("tells why (detail, lastError: internal hosts and ports) only to a service token with health:read", async () => {
    const bff = await startBff({ mockFallback: true });
    await sim.setFault("content", { down: true });
    for (let n = 0; n < 3; n++) await bff.request(velocityOf(`lrn-borealis-${String(160 + n).padStart(3, "0")}`));
    type Detailed = { state: string; lastError?: string; probe?: { state: string; detail?: string } };
    const contentAs = async (authorization?: string) => {
      const res = await bff.request("/health", { headers: authorization ? { authorization } : {} });
      return (res.body as { upstreams: Record<string, Detailed> }).upstreams.content!;
    };
    const operator = await contentAs(`Bearer ${await serviceToken("ops", "health:read")}`);
    expect(operator).toMatchObject({ state: "down", probe: { state: "down" } });
    expect(operator.probe!.detail).toMatch(/GET \/health failed/);
    expect(operator.lastError).toBeTruthy();
    // A user token (what bff.request sends by default), none, a bad one, or a service token for
    // something else (events:write, held by every upstream service): the same states, no texts.
    const otherService = `Bearer ${await serviceToken("course-builder", "events:write")}`;
    for (const anyone of [await contentAs(), await contentAs("Bearer not-a-token"), await contentAs(otherService)]) {
      expect(anyone).toMatchObject({ state: "down", probe: { state: "down" } });
      expect(JSON.stringify(anyone)).not.toMatch(/detail|lastError|failed/);
    }
  });

  it("a hung health endpoint counts as down after the probe's short timeout", async () => {
    const bff = await startBff({ mockFallback: true });
    await sim.setFault("skills", { hang: true });
    const started = performance.now();
    const res = await bff.request("/health");
    expect(performance.now() - started).toBeLessThan(1_500);
    expect((res.body as Report).upstreams.skills).toMatchObject({ state: "down", probe: { state: "down" } });
  });

  it("after a recovery with no traffic, an open breaker beside a healthy probe is degraded, not down", async () => {
    const bff = await startBff({ mockFallback: true });
    await sim.setFault("content", { down: true });
    for (let n = 0; n < 3; n++) await bff.request(velocityOf(`lrn-borealis-${String(150 + n).padStart(3, "0")}`));
    const during = (await bff.request("/health")).body as Report;
    expect(during.upstreams.content).toMatchObject({ state: "down", breaker: "open", probe: { state: "down" } });
    await sim.clearFaults();
    // No learner request since: the breaker has had no call to close on.
    const after = (await bff.request("/health")).body as Report;
    expect(after.upstreams.content).toMatchObject({ state: "degraded", breaker: "open", probe: { state: "healthy" } });
  });

  it("reuses a probe round for a few seconds, so /health cannot hammer the services", async () => {
    const bff = await startBff({ mockFallback: true, probeCacheMs: 5_000 });
    for (let i = 0; i < 5; i++) expect((await bff.request("/health")).status).toBe(200);
    expect(sim.stats().calls.content["GET /health"]).toBe(1);
  });
});

const FAULTS: [string, FaultInput][] = [
  ["down", { down: true }],
  ["slow past its timeout", { latencyMs: 1500 }],
  ["answering 500", { errorRate: 1 }],
  ["answering malformed JSON", { malformedRate: 1, malformedKind: "json" }],
  ["answering schema-violating JSON", { malformedRate: 1, malformedKind: "schema" }],
  ["hanging", { hang: true }],
];

describe.each(FAULTS.map(([name, fault], i) => ({ name, fault, i })))(
  "Content Studio $name, through HTTP",
  ({ fault, i }) => {
    it("answers 200 stale_cache / mock or 503 + Retry-After within the deadline; /health shows the breaker", async () => {
      const id = (n: number) => `lrn-borealis-${String(100 + i * 6 + n).padStart(3, "0")}`;
      const demo = await startBff({ mockFallback: true });
      const production = await startBff({ mockFallback: false });
      const warm = await demo.request(velocityOf(id(0)));
      expect(warm.status).toBe(200);
      expect(warm.body.meta.dataSource).toBe("realtime");
      await production.request(velocityOf(id(1))); // the production instance authorizes id(1) from its cache later
      // The snapshot write happens behind the answer: wait until it is there.
      await expect.poll(() => store.readSnapshot(id(0), "velocity"), { timeout: 5000 }).not.toBeNull();
      demo.advance(5 * 3600_000);

      await sim.setFault("content", fault);
      const stale = await demo.request(velocityOf(id(0)));
      expect(stale.status).toBe(200);
      expect(stale.body.meta.dataSource).toBe("stale_cache");
      expect(stale.ms).toBeLessThan(DEADLINE_MS + 300);

      const mocked = await demo.request(`/api/v1/learners/${id(2)}/dropoff-risk`);
      expect(mocked.status).toBe(200);
      expect(mocked.body.meta.dataSource).toBe("mock");
      expect(mocked.ms).toBeLessThan(DEADLINE_MS + 300);

      const refused = await production.request(`/api/v1/learners/${id(3)}/forecast`);
      expect(refused.status).toBe(503);
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
      expect(refused.headers.get("retry-after")).toBe("11");
      expect(refused.body).toMatchObject({ status: 503 });
      expect(refused.ms).toBeLessThan(DEADLINE_MS + 300);

      for (let n = 4; n < 6; n++) await demo.request(velocityOf(id(n)));
      const health = await demo.request("/health");
      expect(health.status).toBe(200);
      expect(health.body.status).toBe("degraded");
      // Open breaker: down, unless the service's own /health still answers (malformed answers do
      // not touch it): then degraded, as after a recovery nobody has called yet (test below).
      expect(health.body.upstreams.content).toMatchObject({
        state: fault.malformedRate ? "degraded" : "down",
        breaker: "open",
      });

      await sim.clearFaults();
      await new Promise((r) => setTimeout(r, HALF_OPEN_MS + 50));
      const recovered = await demo.request(velocityOf(id(5)));
      expect(recovered.body.meta.dataSource).toBe("realtime");
      expect((await demo.request("/health")).body.upstreams.content).toMatchObject({ breaker: "closed" });
    });
  },
);

describe("the Directory down", () => {
  it("answers 503, not 500, for a learner it cannot authorize", async () => {
    const bff = await startBff({ mockFallback: true });
    await sim.setFault("directory", { errorRate: 1 });
    const answer = await bff.request(velocityOf("lrn-borealis-090"));
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBeTruthy();
  });
});

describe("a cold-cache burst through HTTP", () => {
  it("200 concurrent requests for one learner make exactly one call per upstream endpoint", async () => {
    // About sharing, not timeouts: one event loop serves 200 requests and the simulator, so on a
    // busy machine an attempt can pass 300 ms, and a retry would be a second call.
    const bff = await startBff({ mockFallback: false, attemptTimeoutMs: 5000, deadlineMs: 20_000 });
    await sim.setFault("content", { latencyMs: 50 });
    const paths = ["velocity", "dropoff-risk", "forecast"].map((w) => `/api/v1/learners/lrn-borealis-095/${w}`);
    const answers = await Promise.all(Array.from({ length: 200 }, (_, n) => bff.request(paths[n % 3]!)));
    expect(answers.map((a) => a.status)).toEqual(Array(200).fill(200));
    // Requests that arrive after the one gather finished are answered from the cache it filled.
    for (const a of answers) expect(["realtime", "cached"]).toContain(a.body.meta.dataSource);
    const calls = Object.entries(sim.stats().calls).flatMap(([service, byPath]) =>
      Object.entries(byPath).map(([path, n]) => [`${service} ${path}`, n]),
    );
    expect(Object.fromEntries(calls)).toEqual({
      "directory GET /api/v1/users/lrn-borealis-095": 1,
      "directory GET /api/v1/orgs/org-borealis/course-assignments": 1,
      "course GET /api/v1/enrollments?userId=lrn-borealis-095": 1,
      "content GET /api/v1/users/lrn-borealis-095/progress": 1,
      "assessment GET /api/v1/users/lrn-borealis-095/attempts": 1,
      "devlab GET /api/v1/users/lrn-borealis-095/sessions": 1,
      "auth GET /api/v1/users/lrn-borealis-095/logins": 1,
      "rag GET /api/v1/users/lrn-borealis-095/questions": 1,
    });
  });
});
