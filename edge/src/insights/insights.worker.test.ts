/**
 * Runtime parity: the upstream clients (cockatiel policies, hono/jwt service token, zod), the
 * single-flight and the insights pipeline running inside workerd, as worker.ts will run them.
 * Runtime-specific: workerd cannot open the simulator's sockets from inside the test, so the
 * simulator's own service routes (the same Hono apps `startSimulator` serves) answer in-process
 * through the clients' `fetch`; calls are counted there. The store is a small in-memory one
 * (Postgres cannot run in workerd; the real stores are tested on Node).
 */
import { describe, expect, it } from "vitest";
import type { ServiceName } from "../../simulator/faults.ts";
import { SERVICE_ROUTES } from "../../simulator/services.ts";
import { generateWorld } from "../../simulator/world.ts";
import { createMemoryCache } from "../cache/memory-cache.ts";
import { systemClock } from "../deps.ts";
import type { Snapshot } from "../store/types.ts";
import { createUpstreams } from "../upstream/clients.ts";
import { createLearnerInsights, type InsightStore } from "./learner-insights.ts";

const world = generateWorld({ seed: 8, now: new Date("2026-11-20T12:00:00Z"), learners: 9 });
const services = Object.keys(SERVICE_ROUTES) as ServiceName[];
const apps = Object.fromEntries(services.map((s) => [s, SERVICE_ROUTES[s](world)]));
const urls = Object.fromEntries(services.map((s) => [s, `http://${s.toLowerCase()}.simulator.test`])) as Record<
  ServiceName,
  string
>;

function inProcessServices() {
  const calls = new Map<string, number>();
  const tokens = new Set<string>();
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const service = services.find((s) => urls[s] === url.origin)!;
    const key = `${service} ${request.method} ${url.pathname}${url.search}`;
    calls.set(key, (calls.get(key) ?? 0) + 1);
    tokens.add(request.headers.get("authorization") ?? "");
    await new Promise((r) => setTimeout(r, 20)); // a little network time, so the burst overlaps
    return apps[service]!.fetch(request);
  }) as typeof fetch;
  return { fetcher, calls, tokens };
}

function memoryStore(): InsightStore {
  const snapshots = new Map<string, Snapshot>();
  return {
    readSnapshot: async <T>(learnerId: string, kind: string) =>
      (snapshots.get(`${learnerId}:${kind}`) as Snapshot<T>) ?? null,
    writeSnapshot: async (s: Snapshot) => {
      snapshots.set(`${s.learnerId}:${s.kind}`, s);
      return true;
    },
    gamificationState: async () => null,
    upsertDirectoryUsers: async () => {},
  };
}

describe("insights inside workerd", () => {
  it("gathers once for a burst in one isolate, with one service token, and answers cached afterwards", async () => {
    const { fetcher, calls, tokens } = inProcessServices();
    const upstreams = createUpstreams({ urls, serviceSecret: "local-dev-only-service-secret", fetch: fetcher });
    const insights = createLearnerInsights({
      upstreams,
      cache: createMemoryCache({ clock: systemClock }),
      store: memoryStore(),
      clock: systemClock,
      mockFallback: false,
    });
    const answers = await Promise.all(Array.from({ length: 60 }, () => insights.velocity("lrn-aurora-001")));
    expect(new Set(answers.map((a) => a.dataSource))).toEqual(new Set(["realtime"]));
    expect(answers[0]!.data.unitsTotal).toBe(world.courses.get("crs-aurora-01")!.units.length);
    expect([...calls.values()].every((n) => n === 1)).toBe(true);
    expect(calls.size).toBe(7);
    expect(tokens.size).toBe(1);
    expect((await insights.dropoffRisk("lrn-aurora-001")).dataSource).toBe("cached");
  });

  it("falls back and opens the breaker when a required service fails", async () => {
    const { fetcher } = inProcessServices();
    const failing = (async (input: RequestInfo | URL, init?: RequestInit) =>
      new URL(new Request(input, init).url).origin === urls.content
        ? new Response("{}", { status: 503 })
        : fetcher(input, init)) as typeof fetch;
    const upstreams = createUpstreams({
      urls,
      serviceSecret: "local-dev-only-service-secret",
      fetch: failing,
      resilience: { maxRetries: 0, breakerThreshold: 2 },
    });
    const insights = createLearnerInsights({
      upstreams,
      cache: createMemoryCache({ clock: systemClock }),
      store: memoryStore(),
      clock: systemClock,
      mockFallback: true,
    });
    expect((await insights.velocity("lrn-aurora-002")).dataSource).toBe("mock");
    expect((await insights.velocity("lrn-aurora-003")).dataSource).toBe("mock");
    expect(insights.upstreamHealth().content).toMatchObject({ state: "down", breaker: "open" });
  });
});
