/**
 * Node entry (Railway and local): configuration from process.env (zod; a bad variable stops the
 * process naming it), dependencies built once, served by @hono/node-server. Imported by nothing.
 */
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import { createAiAdvisor, memoryAiCache } from "./ai/index.ts";
import { createApp } from "./app.ts";
import { createMemoryCache } from "./cache/index.ts";
import { type Config, ConfigError, parseConfig } from "./config.ts";
import { type AppDeps, systemClock } from "./deps.ts";
import { createJsonLogger } from "./http/logger.ts";
import { createMemoryRateLimiter } from "./http/rate-limit.ts";
import { stdoutLines } from "./http/stdout-sink.ts";
import {
  createLearnerInsights,
  type DueRefreshSummary,
  defaultAnalytics,
  refreshDueSnapshots,
  startRefreshTimer,
} from "./insights/index.ts";
import { resolveSecrets } from "./local-secrets.ts";
import { recommendationContextFromUpstreams } from "./routes/ai.ts";
import { createUpstreamProbe } from "./routes/health.ts";
import { nodeWidgetAssets } from "./routes/widget-assets.ts";
import { aiStoreFrom } from "./store/ai-store.ts";
import { openNodeStore } from "./store/open.ts";
import { createIdentity, createUpstreams } from "./upstream/index.ts";

function loadConfig(): Config {
  try {
    return parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const p of err.problems) console.error(`ms8 edge: configuration error: ${p.variable} ${p.message}`);
      process.exit(1);
    }
    throw err;
  }
}

/** Behind Railway's proxy the client is the last X-Forwarded-For hop; direct, the socket's peer. */
function clientIp(c: Context): string | undefined {
  const forwarded = c.req.header("X-Forwarded-For");
  if (forwarded) return forwarded.split(",").at(-1)?.trim() || undefined;
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

/**
 * The Node dependencies: Postgres (DATABASE_URL) or the embedded PGlite, an in-memory response
 * cache, the nine upstream clients (the simulator's URLs when unset), the Gemini advisor with its
 * local fallback, in-process rate limits.
 */
export async function buildNodeDeps(
  config: Config,
): Promise<AppDeps & { close(): Promise<void>; refreshSnapshots(): Promise<DueRefreshSummary> }> {
  const secrets = resolveSecrets(config);
  const logger = createJsonLogger(config.logLevel, stdoutLines());
  const clock = systemClock;
  if (secrets.local) logger.log("info", { msg: "using local secrets from .data/local-secrets.json" });
  if (config.simulatedUpstreams.length > 0) {
    logger.log(config.production ? "warn" : "info", {
      msg: "upstream URLs not configured: using the simulator's defaults",
      services: config.simulatedUpstreams,
    });
  }
  const opened = await openNodeStore({ databaseUrl: config.databaseUrl, dataDir: config.pgliteDataDir });
  // Production on the embedded database keeps working, but on one container's disk (lost with it,
  // not shared between instances): say so where an operator looks, as for simulated upstreams.
  const embeddedInProduction = config.production && opened.engine === "pglite";
  logger.log(embeddedInProduction ? "warn" : "info", {
    msg: embeddedInProduction
      ? "DATABASE_URL not configured: using the embedded PGlite database in production"
      : "analytics store ready",
    engine: opened.engine,
  });
  const cache = createMemoryCache({ clock });
  const upstreams = createUpstreams({ urls: config.upstreamUrls, serviceSecret: secrets.serviceSecret, clock, logger });
  const insights = createLearnerInsights({
    upstreams,
    cache,
    store: opened.store,
    clock,
    mockFallback: config.mockFallback,
    logger,
    ttl: config.cacheTtl,
    snapshotTtlSeconds: config.snapshotTtlSeconds,
    upstreamCacheSeconds: config.upstreamCacheSeconds,
  });
  const advisor = createAiAdvisor({
    ...config.ai,
    cache: memoryAiCache(),
    store: aiStoreFrom(opened.store),
    clock,
    log: (entry) => logger.log("info", { msg: "ai call", ...entry }),
  });
  const perMinute = (limit: number) => (limit > 0 ? createMemoryRateLimiter({ limit, clock }) : undefined);
  return {
    clock,
    runtime: "node",
    http: {
      jwtSecret: secrets.jwtSecret,
      serviceSecret: secrets.serviceSecret,
      jwtIssuer: config.jwtIssuer,
      jwtAudience: config.jwtAudience,
      corsOrigins: config.corsOrigins,
      production: config.production,
    },
    logger,
    insights,
    store: opened.store,
    identity: createIdentity(upstreams),
    ai: { advisor, recommendationContext: recommendationContextFromUpstreams(upstreams) },
    ledger: opened.store,
    rateLimits: { user: perMinute(config.rateLimitUserPerMin), ip: perMinute(config.rateLimitIpPerMin) },
    health: {
      database: () => opened.health(),
      // In-process memory: up as long as this process is.
      cache: async () => ({ state: "healthy" }),
      upstreams: createUpstreamProbe({ urls: config.upstreamUrls, clock }),
    },
    clientIp,
    // The widgets' build output of this checkout (pnpm --dir widgets build); 404 until it exists.
    widgetAssets: nodeWidgetAssets(fileURLToPath(new URL("../../widgets/dist", import.meta.url))),
    refreshSnapshots: () =>
      refreshDueSnapshots({
        insights,
        store: opened.store,
        now: clock.now(),
        version: defaultAnalytics.version,
        batch: config.snapshotRefresh.batch,
      }),
    close: () => opened.store.close(),
  };
}

const config = loadConfig();
const deps = await buildNodeDeps(config);
const app = createApp(deps);
// Loopback for local use; every interface in production (Railway routes to the container).
const hostname = config.host;
const server = serve({ fetch: app.fetch, port: config.port, hostname }, (info) => {
  deps.logger.log("info", { msg: "ms8 edge listening", url: `http://${hostname}:${info.port}` });
});

// Keeps the org lists current: recomputes learners whose stored snapshots are due (SNAPSHOT_REFRESH_*).
const refresh =
  config.snapshotRefresh.everyMinutes > 0
    ? startRefreshTimer({
        run: deps.refreshSnapshots,
        everyMs: config.snapshotRefresh.everyMinutes * 60_000,
        logger: deps.logger,
      })
    : null;

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () =>
    server.close(() => void (refresh?.stop() ?? Promise.resolve()).then(deps.close).finally(() => process.exit(0))),
  );
}
