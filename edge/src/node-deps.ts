/**
 * The Node dependencies, built from a parsed configuration: for the server (node.ts) and for the
 * operators' command line (`pnpm ms8 refresh`), so both run exactly the same stack.
 */
import { fileURLToPath } from "node:url";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import { createAiAdvisor, memoryAiCache } from "./ai/index.ts";
import { createMemoryCache } from "./cache/index.ts";
import { type Config, httpSettingsOf, insightSettingsOf } from "./config.ts";
import { type AppDeps, systemClock } from "./deps.ts";
import { createJsonLogger } from "./http/logger.ts";
import { createMemoryRateLimiter } from "./http/rate-limit.ts";
import { stdoutLines } from "./http/stdout-sink.ts";
import { createLearnerInsights, type DueRefreshSummary, scheduledRefresh } from "./insights/index.ts";
import { resolveSecrets } from "./local-secrets.ts";
import { recommendationContextFromUpstreams } from "./routes/ai.ts";
import { createUpstreamProbe } from "./routes/health.ts";
import { nodeWidgetAssets } from "./routes/widget-assets.ts";
import { aiStoreFrom } from "./store/ai-store.ts";
import { openNodeStore } from "./store/open.ts";
import type { AnalyticsStore } from "./store/types.ts";
import { createIdentity, createUpstreams, type Upstreams } from "./upstream/index.ts";

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
export interface NodeDeps extends AppDeps {
  refreshSnapshots(): Promise<DueRefreshSummary>;
  /** The whole store and the service clients, for the command line's jobs. */
  analyticsStore: AnalyticsStore;
  upstreams: Upstreams;
  close(): Promise<void>;
}

/** `logLines`: where log lines go (default stdout; the command line keeps stdout for its answer). */
export async function buildNodeDeps(
  config: Config,
  options: { logLines?: (line: string) => void } = {},
): Promise<NodeDeps> {
  const secrets = resolveSecrets(config);
  const logger = createJsonLogger(config.logLevel, options.logLines ?? stdoutLines());
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
  const upstreams = createUpstreams({ urls: config.upstreamUrls, serviceSecret: secrets.serviceSecret, clock, logger });
  const insightsWith = (cache: ReturnType<typeof createMemoryCache>) =>
    createLearnerInsights({
      upstreams,
      cache,
      store: opened.store,
      clock,
      logger,
      ...insightSettingsOf(config),
    });
  const insights = insightsWith(createMemoryCache({ clock }));
  // The refresh job recomputes learners nobody is looking at: a cache of its own, so each run's
  // entries (about 20 per learner) do not push the learners being read out of the live one.
  const refreshInsights = insightsWith(createMemoryCache({ clock, maxEntries: 2_000 }));
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
    http: httpSettingsOf(config, secrets),
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
    refreshSnapshots: scheduledRefresh({
      insights: refreshInsights,
      store: opened.store,
      upstreams,
      clock,
      batch: config.snapshotRefresh.batch,
    }),
    analyticsStore: opened.store,
    upstreams,
    close: () => opened.store.close(),
  };
}
