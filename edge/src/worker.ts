/**
 * Cloudflare Workers entry: configuration and dependencies from the bindings of each env. The app is
 * built per env object (memoized in a WeakMap keyed by it), never from module-level state that reads
 * bindings. Imported by nothing.
 *
 * Workers differ from Node in three ports: the response cache is Workers KV (`INSIGHTS_CACHE`,
 * memory per isolate without it), the database is Supabase over PostgREST (`SUPABASE_URL` +
 * `SUPABASE_SERVICE_ROLE_KEY`; without them snapshots, org lists and the ledger are off and /health
 * says so), and rate limits are the `[[ratelimits]]` bindings.
 */
import type { Context, ExecutionContext } from "hono";
import { z } from "zod";
import { type AiKvNamespace, createAiAdvisor, kvAiCache, memoryAiCache } from "./ai/index.ts";
import { createApp } from "./app.ts";
import { createKvCache, createMemoryCache, type KvNamespaceLike } from "./cache/index.ts";
import { type Config, ConfigError, httpSettingsOf, insightSettingsOf, parseConfig } from "./config.ts";
import { type AppDeps, type ComponentHealth, systemClock, UpstreamUnavailableError } from "./deps.ts";
import { createJsonLogger } from "./http/logger.ts";
import { createBindingRateLimiter, type RateLimitBinding } from "./http/rate-limit.ts";
import { createLearnerInsights, type InsightStore, runLoggedRefresh, scheduledRefresh } from "./insights/index.ts";
import { recommendationContextFromUpstreams } from "./routes/ai.ts";
import { createUpstreamProbe } from "./routes/health.ts";
import { workersWidgetAssets } from "./routes/widget-assets.ts";
import { aiStoreFrom } from "./store/ai-store.ts";
import { createSupabaseStore } from "./store/supabase.ts";
import { createIdentity, createUpstreams } from "./upstream/index.ts";

export interface WorkerBindings {
  /** Vars and secrets (JWT_SECRET, SERVICE_SECRET, CORS_ORIGINS, *_MS_URL, ...), see edge/README.md. */
  [variable: string]: unknown;
  /** `[[ratelimits]]` bindings of wrangler.toml. */
  USER_RATE_LIMITER?: RateLimitBinding;
  IP_RATE_LIMITER?: RateLimitBinding;
  /** Workers KV for analytics answers (and AI answers); optional. */
  INSIGHTS_CACHE?: KvNamespaceLike & AiKvNamespace;
  /** Static assets (`[assets] binding = "ASSETS"`, widgets/dist) when the deployment ships the widgets. */
  ASSETS?: { fetch(request: Request): Promise<Response> };
}

/** The Workers-only variables: the database is reached through Supabase's REST API here. */
const WorkerEnv = z
  .object({
    SUPABASE_URL: z.url({ protocol: /^https?$/, error: "must be the project's https URL" }).optional(),
    SUPABASE_SERVICE_ROLE_KEY: z.string().min(20, "must be the project's service_role key").optional(),
    SUPABASE_JWT_SECRET: z.string().min(32, "must be the project's JWT secret").optional(),
  })
  .refine((e) => !e.SUPABASE_URL === !e.SUPABASE_SERVICE_ROLE_KEY, {
    message: "set both SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY, or neither",
    path: ["SUPABASE_SERVICE_ROLE_KEY"],
  });

function parseWorkerEnv(env: WorkerBindings): z.infer<typeof WorkerEnv> {
  const known = Object.fromEntries(
    ["SUPABASE_URL", "SUPABASE_SERVICE_ROLE_KEY", "SUPABASE_JWT_SECRET"].map((k) => [k, env[k] || undefined]),
  );
  const result = WorkerEnv.safeParse(known);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => ({ variable: String(i.path[0]), message: i.message })));
  }
  return result.data;
}

type App = ReturnType<typeof createApp>;
interface Built {
  app: App;
  deps: AppDeps;
}
const built = new WeakMap<object, Built | ConfigError>();

/** Outside production a Worker without secrets gets random ones for its lifetime (wrangler dev). */
function ephemeralSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return `local-dev-only-${btoa(String.fromCharCode(...bytes)).replace(/[+/=]/g, "")}`;
}

/** Without a database: no snapshots to fall back on, no ledger yet (gamification starts empty). */
const noDatabase: InsightStore = {
  readSnapshot: async () => null,
  writeSnapshot: async () => false,
  gamificationState: async () => null,
  upsertDirectoryUsers: async () => {},
};

export function buildWorkerDeps(env: WorkerBindings, config: Config): AppDeps {
  const workerEnv = parseWorkerEnv(env);
  const logger = createJsonLogger(config.logLevel);
  const clock = systemClock;
  const serviceSecret = config.serviceSecret ?? ephemeralSecret();
  const limiter = (binding: RateLimitBinding | undefined, perMin: number) =>
    binding && perMin > 0 ? createBindingRateLimiter(binding, perMin) : undefined;

  const store =
    workerEnv.SUPABASE_URL && workerEnv.SUPABASE_SERVICE_ROLE_KEY
      ? createSupabaseStore({
          url: workerEnv.SUPABASE_URL,
          serviceRoleKey: workerEnv.SUPABASE_SERVICE_ROLE_KEY,
          jwtSecret: workerEnv.SUPABASE_JWT_SECRET,
        })
      : undefined;
  const cache = env.INSIGHTS_CACHE ? createKvCache({ kv: env.INSIGHTS_CACHE, clock }) : createMemoryCache({ clock });
  const upstreams = createUpstreams({ urls: config.upstreamUrls, serviceSecret, clock, logger });
  const insights = createLearnerInsights({
    upstreams,
    cache,
    store: store ?? noDatabase,
    clock,
    logger,
    ...insightSettingsOf(config),
  });
  const advisor = createAiAdvisor({
    ...config.ai,
    cache: env.INSIGHTS_CACHE ? kvAiCache(env.INSIGHTS_CACHE) : memoryAiCache(),
    ...(store ? { store: aiStoreFrom(store) } : {}),
    clock,
    log: (entry) => logger.log("info", { msg: "ai call", ...entry }),
  });
  const unavailable = () =>
    Promise.reject(new UpstreamUnavailableError("no database is configured on this Worker (SUPABASE_URL)"));

  return {
    clock,
    runtime: "workerd",
    http: httpSettingsOf(config, { jwtSecret: config.jwtSecret ?? ephemeralSecret(), serviceSecret }),
    logger,
    insights,
    store: store ?? { listLearners: unavailable, listAtRisk: unavailable, orgSummary: unavailable },
    identity: createIdentity(upstreams),
    ai: { advisor, recommendationContext: recommendationContextFromUpstreams(upstreams) },
    ...(store ? { ledger: store } : {}),
    rateLimits: {
      user: limiter(env.USER_RATE_LIMITER, config.rateLimitUserPerMin),
      ip: limiter(env.IP_RATE_LIMITER, config.rateLimitIpPerMin),
    },
    health: {
      database: async (): Promise<ComponentHealth> => {
        if (!store) return { state: "degraded", detail: "no database configured: no snapshots, org lists or ledger" };
        try {
          await store.ping();
          return { state: "healthy" };
        } catch (error) {
          return { state: "down", detail: error instanceof Error ? error.message : String(error) };
        }
      },
      cache: async () =>
        env.INSIGHTS_CACHE ? { state: "healthy" } : { state: "degraded", detail: "no KV binding: memory per isolate" },
      upstreams: createUpstreamProbe({ urls: config.upstreamUrls, clock }),
    },
    clientIp: (c: Context) => c.req.header("CF-Connecting-IP") ?? undefined,
    ...(env.ASSETS ? { widgetAssets: workersWidgetAssets(env.ASSETS) } : {}),
    ...(store
      ? {
          refreshSnapshots: scheduledRefresh({
            insights,
            store,
            upstreams,
            clock,
            batch: config.snapshotRefresh.batch,
            // One learner at a time: each opens about seven connections at once, and a Worker
            // invocation keeps six open (more wait and can run into the upstream deadline).
            concurrency: 1,
          }),
        }
      : {}),
  };
}

function builtFor(env: WorkerBindings): Built | ConfigError {
  let entry = built.get(env);
  if (!entry) {
    try {
      const deps = buildWorkerDeps(env, parseConfig(env));
      entry = { app: createApp(deps), deps };
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      entry = err;
    }
    built.set(env, entry);
  }
  return entry;
}

export default {
  fetch(request: Request, env: WorkerBindings, ctx: ExecutionContext) {
    const entry = builtFor(env);
    if (entry instanceof ConfigError) {
      // The Worker's "start" is its first request: refuse to serve, naming the variable.
      console.error(entry.message);
      const body = {
        type: "https://ms8.dev/problems/internal",
        title: "Misconfigured",
        status: 500,
        detail: entry.message,
      };
      return Response.json(body, { status: 500, headers: { "Content-Type": "application/problem+json" } });
    }
    return entry.app.fetch(request, env, ctx);
  },

  /**
   * The cron trigger (`[triggers] crons` in wrangler.toml): one run of the refresh job, so the org
   * lists, which read the database only, stay current. Without a database there is nothing to do.
   */
  async scheduled(_controller: unknown, env: WorkerBindings, ctx: ExecutionContext) {
    const entry = builtFor(env);
    if (entry instanceof ConfigError) {
      console.error(entry.message);
      return;
    }
    const { refreshSnapshots, logger } = entry.deps;
    if (!refreshSnapshots) {
      logger.log("info", { msg: "snapshot refresh skipped", reason: "no database configured (SUPABASE_URL)" });
      return;
    }
    ctx.waitUntil(runLoggedRefresh(refreshSnapshots, logger));
  },
};
