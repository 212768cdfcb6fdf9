/**
 * GET /health: the database, the cache and each upstream service, healthy / degraded / down.
 * 200 while this instance can serve (upstream trouble only degrades answers to cached, stale or mock
 * data), 503 when the database or the cache is down. An upstream's state combines an active probe
 * of its own GET /health with the breaker: the breaker only learns of an outage from user traffic.
 * Anyone may read the states (load balancers, Railway's health check); the texts that say why
 * (`detail`, `lastError`: driver and network messages with internal hosts and ports) only a caller
 * with a service token (`pnpm ms8 token --service ops --scope health:read`).
 */
import { createRoute } from "@hono/zod-openapi";
import { HealthReport } from "../contract.ts";
import type { ComponentHealth, HealthState, LearnerInsights } from "../deps.ts";
import { optionalService } from "../http/auth.ts";
import { createRouter } from "../http/context.ts";

const healthRoute = createRoute({
  method: "get",
  path: "/health",
  tags: ["operations"],
  summary: "Whether this instance can serve, and the state of what it depends on",
  description:
    "Public. `detail` and `lastError` (internal host names, ports, driver messages) appear only for a service token with the scope health:read (Authorization: Bearer, SERVICE_SECRET).",
  responses: {
    200: { description: "Able to serve", content: { "application/json": { schema: HealthReport } } },
    503: { description: "Cannot serve", content: { "application/json": { schema: HealthReport } } },
  },
});

const PROBE_TIMEOUT_MS = 2_000;

async function probe(check: () => Promise<ComponentHealth>): Promise<ComponentHealth> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<ComponentHealth>((resolve) => {
    timer = setTimeout(() => resolve({ state: "down", detail: "no answer within 2 s" }), PROBE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check(), timeout]);
  } catch (err) {
    return { state: "down", detail: err instanceof Error ? err.message : String(err) };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/** Per-service probe of GET {url}/health: a short timeout, all in parallel. */
export interface UpstreamProbeOptions {
  urls: Record<string, string>;
  /** Per probe; a health endpoint that takes longer is not healthy. */
  timeoutMs?: number;
  /** Answers are reused this long, so /health cannot be used to hammer the services. */
  cacheMs?: number;
  fetch?: typeof fetch;
  clock?: { now(): Date };
}

export function createUpstreamProbe(options: UpstreamProbeOptions): () => Promise<Record<string, ComponentHealth>> {
  const { urls, timeoutMs = 500, cacheMs = 5_000 } = options;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const now = () => (options.clock ? options.clock.now().getTime() : Date.now());
  let last: { at: number; answer: Promise<Record<string, ComponentHealth>> } | null = null;

  async function one(url: string): Promise<ComponentHealth> {
    try {
      const res = await doFetch(`${url}/health`, { signal: AbortSignal.timeout(timeoutMs) });
      await res.body?.cancel();
      if (res.ok) return { state: "healthy" };
      return { state: res.status >= 500 ? "down" : "degraded", detail: `GET /health answered ${res.status}` };
    } catch (err) {
      const name = err instanceof Error ? err.name : "";
      const detail =
        name === "TimeoutError" || name === "AbortError"
          ? `no answer to GET /health within ${timeoutMs} ms`
          : `GET /health failed: ${err instanceof Error ? err.message : String(err)}`;
      return { state: "down", detail };
    }
  }

  return () => {
    // Shared while in flight and for cacheMs after: concurrent /health calls make one round.
    if (last && now() - last.at < cacheMs) return last.answer;
    const answer = Promise.all(Object.entries(urls).map(async ([name, url]) => [name, await one(url)] as const)).then(
      (pairs) => Object.fromEntries(pairs),
    );
    last = { at: now(), answer };
    return answer;
  };
}

type BreakerView = ReturnType<LearnerInsights["upstreamHealth"]>[string];

const severity: Record<HealthState, number> = { healthy: 0, degraded: 1, down: 2 };

/**
 * The worse of probe and breaker: an open breaker means this instance is not calling the service.
 * But a breaker only closes on a real call, so with no traffic it stays open long after the service
 * is back: when the service's own /health answers, an open breaker is "degraded" (this instance
 * tries the service again on its next request), not "down", which would send an operator looking
 * for an outage that is over.
 */
function combine(
  breaker: BreakerView | undefined,
  probed: ComponentHealth | undefined,
): BreakerView & { probe?: ComponentHealth } {
  const base: BreakerView = breaker ?? { state: "healthy", breaker: "closed" };
  if (!probed) return base;
  const breakerState = base.state === "down" && probed.state === "healthy" ? "degraded" : base.state;
  const state = severity[probed.state] > severity[breakerState] ? probed.state : breakerState;
  return { ...base, state, probe: probed };
}

/** The scope a service token needs to read why something is unhealthy. */
export const HEALTH_DETAIL_SCOPE = "health:read";

const withoutDetail = ({ detail: _, ...rest }: ComponentHealth): ComponentHealth => rest;

export const healthRoutes = createRouter().openapi(healthRoute, async (c) => {
  const { clock, runtime, health, insights } = c.get("deps");
  const [database, cache, probed] = await Promise.all([
    probe(health.database),
    probe(health.cache),
    health.upstreams ? health.upstreams().catch(() => undefined) : Promise.resolve(undefined),
  ]);
  const breakers = insights.upstreamHealth();
  const names = new Set([...Object.keys(breakers), ...Object.keys(probed ?? {})]);
  const upstreams = Object.fromEntries([...names].map((name) => [name, combine(breakers[name], probed?.[name])]));
  const states: HealthState[] = [database.state, cache.state, ...Object.values(upstreams).map((u) => u.state)];
  const canServe = database.state !== "down" && cache.state !== "down";
  const status: HealthState = !canServe ? "down" : states.every((s) => s === "healthy") ? "healthy" : "degraded";
  const full = { status, runtime, checkedAt: clock.now().toISOString(), database, cache, upstreams };
  const report = (await optionalService(c, HEALTH_DETAIL_SCOPE))
    ? full
    : {
        ...full,
        database: withoutDetail(database),
        cache: withoutDetail(cache),
        upstreams: Object.fromEntries(
          Object.entries(upstreams).map(([name, { lastError: _, probe: probed, ...rest }]) => [
            name,
            probed ? { ...rest, probe: withoutDetail(probed) } : rest,
          ]),
        ),
      };
  c.header("Cache-Control", "no-store");
  return canServe ? c.json(report, 200) : c.json(report, 503);
});
