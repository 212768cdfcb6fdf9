/**
 * Cloudflare Workers entry: configuration and dependencies from the bindings of each env. The app is
 * built per env object (memoized in a WeakMap keyed by it), never from module-level state that reads
 * bindings. Imported by nothing.
 */
import type { Context, ExecutionContext } from "hono";
import { createApp } from "./app.ts";
import { type Config, ConfigError, parseConfig } from "./config.ts";
import { type AppDeps, systemClock, UpstreamUnavailableError } from "./deps.ts";
import { createJsonLogger } from "./http/logger.ts";
import { createBindingRateLimiter, type RateLimitBinding } from "./http/rate-limit.ts";

export interface WorkerBindings {
  /** Vars and secrets (JWT_SECRET, SERVICE_SECRET, CORS_ORIGINS, *_MS_URL, ...), see edge/README.md. */
  [variable: string]: unknown;
  /** `[[ratelimits]]` bindings of wrangler.toml. */
  USER_RATE_LIMITER?: RateLimitBinding;
  IP_RATE_LIMITER?: RateLimitBinding;
}

type App = ReturnType<typeof createApp>;
const apps = new WeakMap<object, App | ConfigError>();

/** Outside production a Worker without secrets gets random ones for its lifetime (wrangler dev). */
function ephemeralSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return `local-dev-only-${btoa(String.fromCharCode(...bytes)).replace(/[+/=]/g, "")}`;
}

export function buildWorkerDeps(env: WorkerBindings, config: Config): AppDeps {
  const logger = createJsonLogger(config.logLevel);
  const unwired = () => Promise.reject(new UpstreamUnavailableError("not wired yet"));
  const limiter = (binding: RateLimitBinding | undefined, perMin: number) =>
    binding && perMin > 0 ? createBindingRateLimiter(binding, perMin) : undefined;
  return {
    clock: systemClock,
    runtime: "workerd",
    http: {
      jwtSecret: config.jwtSecret ?? ephemeralSecret(),
      serviceSecret: config.serviceSecret ?? ephemeralSecret(),
      jwtIssuer: config.jwtIssuer,
      jwtAudience: config.jwtAudience,
      corsOrigins: config.corsOrigins,
      production: config.production,
    },
    logger,
    insights: {
      profile: unwired,
      velocity: unwired,
      dropoffRisk: unwired,
      forecast: unwired,
      gamification: unwired,
      invalidate: async () => {},
      upstreamHealth: () => ({}),
    },
    store: { listLearners: unwired, listAtRisk: unwired, orgSummary: unwired },
    identity: { verifyPassword: unwired },
    rateLimits: {
      user: limiter(env.USER_RATE_LIMITER, config.rateLimitUserPerMin),
      ip: limiter(env.IP_RATE_LIMITER, config.rateLimitIpPerMin),
    },
    health: {
      database: async () => ({ state: "down", detail: "not wired yet" }),
      cache: async () => ({ state: "healthy" }),
    },
    clientIp: (c: Context) => c.req.header("CF-Connecting-IP") ?? undefined,
  };
}

function appFor(env: WorkerBindings): App | ConfigError {
  let app = apps.get(env);
  if (!app) {
    try {
      app = createApp(buildWorkerDeps(env, parseConfig(env)));
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      app = err;
    }
    apps.set(env, app);
  }
  return app;
}

export default {
  fetch(request: Request, env: WorkerBindings, ctx: ExecutionContext) {
    const app = appFor(env);
    if (app instanceof ConfigError) {
      // The Worker's "start" is its first request: refuse to serve, naming the variable.
      console.error(app.message);
      const body = {
        type: "https://ms8.dev/problems/internal",
        title: "Misconfigured",
        status: 500,
        detail: app.message,
      };
      return Response.json(body, { status: 500, headers: { "Content-Type": "application/problem+json" } });
    }
    return app.fetch(request, env, ctx);
  },
};
