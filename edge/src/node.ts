/**
 * Node entry (Railway and local): configuration from process.env (zod; a bad variable stops the
 * process naming it), dependencies built once, served by @hono/node-server. Imported by nothing.
 */
import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import { createApp } from "./app.ts";
import { type Config, ConfigError, parseConfig } from "./config.ts";
import { type AppDeps, systemClock, UpstreamUnavailableError } from "./deps.ts";
import { createJsonLogger } from "./http/logger.ts";
import { createMemoryRateLimiter } from "./http/rate-limit.ts";
import { resolveSecrets } from "./local-secrets.ts";

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

export function buildNodeDeps(config: Config): AppDeps {
  const secrets = resolveSecrets(config);
  const logger = createJsonLogger(config.logLevel);
  if (secrets.local) logger.log("info", { msg: "using local secrets from .data/local-secrets.json" });
  const unwired = () => Promise.reject(new UpstreamUnavailableError("not wired yet"));
  return {
    clock: systemClock,
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
      user: config.rateLimitUserPerMin
        ? createMemoryRateLimiter({ limit: config.rateLimitUserPerMin, clock: systemClock })
        : undefined,
      ip: config.rateLimitIpPerMin
        ? createMemoryRateLimiter({ limit: config.rateLimitIpPerMin, clock: systemClock })
        : undefined,
    },
    health: {
      database: async () => ({ state: "down", detail: "not wired yet" }),
      cache: async () => ({ state: "healthy" }),
    },
    clientIp,
  };
}

const config = loadConfig();
const deps = buildNodeDeps(config);
const app = createApp(deps);
// Loopback for local use; every interface in production (Railway routes to the container).
const hostname = config.production ? "0.0.0.0" : "127.0.0.1";
const server = serve({ fetch: app.fetch, port: config.port, hostname }, (info) => {
  deps.logger.log("info", { msg: "ms8 edge listening", url: `http://${hostname}:${info.port}` });
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
