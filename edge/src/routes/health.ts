/**
 * GET /health: the database, the cache and each upstream service, healthy / degraded / down.
 * 200 while this instance can serve (upstream trouble only degrades answers to cached, stale or mock
 * data), 503 when the database or the cache is down.
 */
import { createRoute } from "@hono/zod-openapi";
import { HealthReport } from "../contract.ts";
import type { ComponentHealth, HealthState } from "../deps.ts";
import { createRouter } from "../http/context.ts";

const healthRoute = createRoute({
  method: "get",
  path: "/health",
  tags: ["operations"],
  summary: "Whether this instance can serve, and the state of what it depends on",
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

export const healthRoutes = createRouter().openapi(healthRoute, async (c) => {
  const { clock, runtime, health, insights } = c.var.deps;
  const [database, cache] = await Promise.all([probe(health.database), probe(health.cache)]);
  const upstreams = insights.upstreamHealth();
  const states: HealthState[] = [database.state, cache.state, ...Object.values(upstreams).map((u) => u.state)];
  const canServe = database.state !== "down" && cache.state !== "down";
  const status: HealthState = !canServe ? "down" : states.every((s) => s === "healthy") ? "healthy" : "degraded";
  const report = { status, runtime, checkedAt: clock.now().toISOString(), database, cache, upstreams };
  c.header("Cache-Control", "no-store");
  return canServe ? c.json(report, 200) : c.json(report, 503);
});
