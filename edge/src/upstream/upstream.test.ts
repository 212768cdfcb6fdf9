/**
 * The typed clients against the simulator over real HTTP on loopback: validation, the service
 * token, retries, timeouts, the breaker and single-flight. Call counts are read on the simulator.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../simulator/server.ts";
import type { Logger } from "../deps.ts";
import { createUpstreams, type UpstreamsConfig } from "./clients.ts";
import { UpstreamError } from "./errors.ts";
import { createIdentity } from "./identity.ts";

const SECRET = "local-dev-only-service-secret";
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ now: new Date("2026-11-20T12:00:00Z"), serviceSecret: SECRET, learners: 30 });
});
afterAll(() => sim.stop());
afterEach(async () => {
  await sim.clearFaults();
  sim.resetStats();
});

function upstreams(extra: Partial<UpstreamsConfig> = {}) {
  return createUpstreams({
    urls: sim.urls,
    serviceSecret: SECRET,
    resilience: { attemptTimeoutMs: 300, callDeadlineMs: 1500, backoffInitialMs: 10, halfOpenAfterMs: 300 },
    ...extra,
  });
}
const calls = (service: keyof Simulator["urls"], key: string) => sim.stats().calls[service][key] ?? 0;
const failureOf = async (work: Promise<unknown>) => {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
};

describe("typed clients", () => {
  it("answer validated data and null for an unknown learner", async () => {
    const up = upstreams();
    const user = await up.directory.user("lrn-aurora-001");
    expect(user).toMatchObject({ id: "lrn-aurora-001", orgId: "org-aurora" });
    expect(await up.directory.user("lrn-nobody")).toBeNull();
    const progress = await up.content.progress("lrn-aurora-001");
    expect(progress!.courses[0]!.unitsTotal).toBeGreaterThan(0);
    const page = await up.directory.orgUsers("org-aurora", { role: "learner", limit: 4 });
    expect(page!.items).toHaveLength(4);
    expect(page!.nextCursor).toBe("lrn-aurora-004");
  });

  it("sign the service token once and reuse it across many calls and services", async () => {
    const up = upstreams();
    await Promise.all(
      ["lrn-aurora-001", "lrn-aurora-002", "lrn-aurora-003"].flatMap((id) => [
        up.directory.user(id),
        up.content.progress(id),
        up.assessment.attempts(id),
        up.devlab.sessions(id),
      ]),
    );
    for (let i = 0; i < 10; i++) await up.skills.skills("lrn-aurora-001");
    expect(up.tokens.signatures).toBe(1);
    expect(sim.stats().distinctTokens).toBe(1);
  });

  it("sign a new token only shortly before the old one expires", async () => {
    let now = Date.now();
    const up = upstreams({ clock: { now: () => new Date(now) } });
    const first = await up.tokens.token();
    now += 260_000; // 4 min 20 s: more than the 30 s renewal margin left
    expect(await up.tokens.token()).toBe(first);
    now += 20_000; // 20 s left: renew
    const second = await up.tokens.token();
    expect(second).not.toBe(first);
    expect(up.tokens.signatures).toBe(2);
    const claims = JSON.parse(atob(second.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")));
    expect(claims.exp - claims.iat).toBe(300);
  });

  it("let Auth vouch for a persona and answer null to a wrong password", async () => {
    const identity = createIdentity(upstreams());
    const persona = sim.world.personas.find((p) => p.role === "trainer")!;
    expect(await identity.verifyPassword(persona.email, persona.password)).toEqual({
      id: persona.userId,
      orgId: persona.orgId,
      roles: ["trainer"],
      displayName: persona.displayName,
    });
    expect(await identity.verifyPassword(persona.email, "wrong")).toBeNull();
  });
});

describe("resilience", () => {
  const path = "GET /api/v1/users/lrn-aurora-001/progress";

  it("retries a GET on 5xx with backoff, then gives up", async () => {
    await sim.setFault("content", { errorRate: 1, errorStatus: 502 });
    const failure = await failureOf(upstreams().content.progress("lrn-aurora-001"));
    expect(failure).toMatchObject({ failure: "http", status: 502, service: "content" });
    expect(calls("content", path)).toBe(3); // first try + 2 retries
  });

  it("shows a rejected service token on /health without opening the breaker", async () => {
    const up = createUpstreams({ urls: sim.urls, serviceSecret: "local-dev-only-not-the-simulators-secret" });
    for (let i = 0; i < 6; i++) expect((await failureOf(up.skills.skills("lrn-aurora-001"))).status).toBe(401);
    expect(up.health().skills).toMatchObject({ state: "degraded", breaker: "closed" });
    expect(up.health().skills.lastError).toContain("401");
  });

  it("never retries a POST, nor a 4xx", async () => {
    await sim.setFault("auth", { errorRate: 1, errorStatus: 503 });
    await failureOf(createIdentity(upstreams()).verifyPassword("learner@aurora.example", "x"));
    expect(calls("auth", "POST /api/v1/auth/verify")).toBe(1);
    await sim.setFault("content", { errorRate: 1, errorStatus: 429 });
    expect(await failureOf(upstreams().content.progress("lrn-aurora-001"))).toMatchObject({ status: 429 });
    expect(calls("content", path)).toBe(1);
  });

  it("treats malformed and schema-violating answers as failures and logs the field path", async () => {
    const lines: Record<string, unknown>[] = [];
    const logger: Logger = { log: (_level, fields) => lines.push(fields) };
    await sim.setFault("content", { malformedRate: 1, malformedKind: "schema" });
    const wrong = await failureOf(upstreams({ logger }).content.progress("lrn-aurora-001"));
    expect(wrong.failure).toBe("malformed");
    expect(wrong.message).toContain("courses");
    expect(lines[0]).toMatchObject({
      service: "content",
      issues: expect.arrayContaining([expect.objectContaining({ path: "courses" })]),
    });
    await sim.setFault("content", { malformedRate: 1, malformedKind: "json" });
    expect((await failureOf(upstreams({ logger }).content.progress("lrn-aurora-001"))).failure).toBe("malformed");
    expect(calls("content", path)).toBe(2); // not retried: the same bytes would come back
  });

  it("times out a hanging service within the attempt timeout", async () => {
    await sim.setFault("content", { hang: true });
    const started = performance.now();
    expect((await failureOf(upstreams().content.progress("lrn-aurora-001"))).failure).toBe("timeout");
    expect(performance.now() - started).toBeLessThan(800);
  });

  it("reports a refused connection as a network failure and retries it", async () => {
    await sim.setFault("content", { down: true });
    expect((await failureOf(upstreams().content.progress("lrn-aurora-001"))).failure).toBe("network");
  });

  it("opens the breaker after repeated failures, stops calling, and closes after a half-open probe", async () => {
    const up = upstreams({
      resilience: { maxRetries: 0, attemptTimeoutMs: 300, halfOpenAfterMs: 300, breakerThreshold: 3 },
    });
    await sim.setFault("content", { errorRate: 1 });
    for (let i = 0; i < 3; i++) await failureOf(up.content.progress("lrn-aurora-001"));
    expect(up.health().content).toMatchObject({ state: "down", breaker: "open" });
    expect(up.health().assessment).toMatchObject({ state: "healthy", breaker: "closed" });
    expect((await failureOf(up.content.progress("lrn-aurora-001"))).failure).toBe("circuit_open");
    expect(calls("content", path)).toBe(3); // the open breaker did not call

    await sim.clearFaults();
    await new Promise((r) => setTimeout(r, 350));
    // cockatiel moves to half-open on the next call: that call is the probe.
    expect(await up.content.progress("lrn-aurora-001")).not.toBeNull();
    expect(calls("content", path)).toBe(4);
    expect(up.health().content).toMatchObject({ state: "healthy", breaker: "closed" });
  });

  it("a failed half-open probe opens the breaker again", async () => {
    const up = upstreams({ resilience: { maxRetries: 0, halfOpenAfterMs: 200, breakerThreshold: 2 } });
    await sim.setFault("content", { errorRate: 1 });
    for (let i = 0; i < 2; i++) await failureOf(up.content.progress("lrn-aurora-001"));
    await new Promise((r) => setTimeout(r, 250));
    await failureOf(up.content.progress("lrn-aurora-001"));
    expect(up.health().content.breaker).toBe("open");
  });

  // These two are about sharing, not timeouts: attempts get room to spare, so a machine slowed by
  // other work cannot time the shared call out and turn one call into a retry.
  const unhurried = { attemptTimeoutMs: 3000, callDeadlineMs: 5000, backoffInitialMs: 10, halfOpenAfterMs: 300 };

  it("shares one call among 200 concurrent identical GETs", async () => {
    const up = upstreams({ resilience: unhurried });
    await sim.setFault("content", { latencyMs: 100 });
    const answers = await Promise.all(Array.from({ length: 200 }, () => up.content.progress("lrn-aurora-001")));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(calls("content", path)).toBe(1);
  });

  it("lets each caller leave at its own deadline while the shared call goes on", async () => {
    const up = upstreams({ resilience: unhurried });
    await sim.setFault("content", { latencyMs: 250 });
    const impatient = up.content.progress("lrn-aurora-001", { signal: AbortSignal.timeout(50) });
    const patient = up.content.progress("lrn-aurora-001");
    expect((await failureOf(impatient)).failure).toBe("timeout");
    expect(await patient).not.toBeNull();
    expect(calls("content", path)).toBe(1);
  });

  it("limits concurrent calls per service with the bulkhead", async () => {
    const up = upstreams({ resilience: { bulkheadLimit: 2, bulkheadQueue: 1, attemptTimeoutMs: 1000 } });
    await sim.setFault("content", { latencyMs: 200 });
    const results = await Promise.allSettled(
      ["001", "002", "003", "004", "005"].map((n) => up.content.progress(`lrn-aurora-${n}`)),
    );
    const rejected = results.filter((r) => r.status === "rejected").map((r) => (r.reason as UpstreamError).failure);
    expect(rejected).toEqual(["bulkhead_full", "bulkhead_full"]);
  });
});
