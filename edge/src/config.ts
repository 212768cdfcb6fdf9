/**
 * The BFF's configuration, parsed once with zod at start (Node: process.env; Workers: bindings).
 * A missing or malformed variable fails with a message naming it. Runtime-free: both entries use it.
 */
import { z } from "zod";
import { AI_ENV, type AiSettings, aiSettingsFrom } from "./ai/config.ts";
import type { HttpSettings } from "./deps.ts";

const url = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });
const optionalUrl = url.optional();
/** Environment values are strings; an empty string counts as unset. */
const emptyAsUnset = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const perMinute = (fallback: number) =>
  z.coerce
    .number({ error: "must be a whole number of requests per minute (0 turns the limit off)" })
    .int("must be a whole number of requests per minute (0 turns the limit off)")
    .min(0, "must be 0 (off) or more")
    .default(fallback);

const seconds = (fallback: number) =>
  z.coerce
    .number({ error: "must be a whole number of seconds" })
    .int("must be a whole number of seconds")
    .min(0, "must be 0 or more")
    .default(fallback);

const booleanFlag = z
  .enum(["true", "false", "1", "0"], { error: "must be true or false" })
  .transform((v) => v === "true" || v === "1");

const secret = z.string().min(32, "must be at least 32 characters (HS256 needs a 256-bit secret)");

/** The upstream services MS8 reads, by their configuration variable. */
export const upstreamUrlVars = {
  auth: "AUTH_MS_URL",
  directory: "DIRECTORY_MS_URL",
  course: "COURSE_MS_URL",
  content: "CONTENT_MS_URL",
  assessment: "ASSESSMENT_MS_URL",
  skills: "SKILLS_MS_URL",
  learnerAi: "LEARNER_AI_MS_URL",
  devlab: "DEVLAB_MS_URL",
  rag: "RAG_MS_URL",
} as const;
export type UpstreamName = keyof typeof upstreamUrlVars;

/**
 * Where the simulator the dev and test tooling start (`edge/simulator/main.ts`, SIM_PORT 4100)
 * serves each service when nothing else is configured: the admin port, then the nine in order.
 */
export const SIMULATOR_DEFAULT_URLS: Record<UpstreamName, string> = Object.fromEntries(
  Object.keys(upstreamUrlVars).map((name, i) => [name, `http://127.0.0.1:${4101 + i}`]),
) as Record<UpstreamName, string>;

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535, "must be a TCP port (0-65535)").default(8787),
  HOST: z
    .string()
    .regex(/^[0-9a-fA-F.:]+$|^localhost$/, "must be an IP address to listen on, e.g. 127.0.0.1 or 0.0.0.0")
    .optional(),
  PGLITE_DATA_DIR: z.string().min(1).optional(),
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  JWT_SECRET: secret.optional(),
  SERVICE_SECRET: secret.optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  CORS_ORIGINS: z
    .string()
    .default("")
    .transform((list, ctx) => {
      const origins = list
        .split(",")
        .map((o) => o.trim())
        .filter(Boolean);
      for (const origin of origins) {
        const parsed = URL.canParse(origin) ? new URL(origin) : null;
        if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin.replace(/\/$/, "")) {
          ctx.addIssue({ code: "custom", message: `"${origin}" is not an origin like https://app.example.com` });
        }
      }
      return origins.map((o) => o.replace(/\/$/, ""));
    }),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  AUTH_MS_URL: optionalUrl,
  DIRECTORY_MS_URL: optionalUrl,
  COURSE_MS_URL: optionalUrl,
  CONTENT_MS_URL: optionalUrl,
  ASSESSMENT_MS_URL: optionalUrl,
  SKILLS_MS_URL: optionalUrl,
  LEARNER_AI_MS_URL: optionalUrl,
  DEVLAB_MS_URL: optionalUrl,
  RAG_MS_URL: optionalUrl,
  ...AI_ENV,
  MOCK_FALLBACK: booleanFlag.optional(),
  RATE_LIMIT_USER_PER_MIN: perMinute(300),
  RATE_LIMIT_IP_PER_MIN: perMinute(600),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** How long an analytics answer is served from the response cache as is. */
  CACHE_TTL_SECONDS: seconds(300),
  /** After that, how long it may still be served while a background refresh runs. */
  CACHE_STALE_SECONDS: seconds(600),
  /** How long a Postgres snapshot counts as current (4 h); past it, only as the stale fallback. */
  SNAPSHOT_TTL_SECONDS: seconds(4 * 3600),
  /** How long raw upstream answers (Directory user, enrollments) are shared between requests. */
  UPSTREAM_CACHE_SECONDS: seconds(60),
  /**
   * Node only: how often the refresh job recomputes due snapshots (expired, or computed by other
   * formulas) so the org lists stay current; 0 turns it off. Workers use the cron trigger instead.
   */
  SNAPSHOT_REFRESH_MINUTES: z.coerce
    .number({ error: "must be a whole number of minutes (0 turns the refresh off)" })
    .int("must be a whole number of minutes (0 turns the refresh off)")
    .min(0, "must be 0 (off) or more")
    .default(15),
  /** Learners recomputed per refresh run (Node timer and Workers cron alike). */
  SNAPSHOT_REFRESH_BATCH: z.coerce
    .number({ error: "must be a whole number of learners" })
    .int("must be a whole number of learners")
    .min(1, "must be 1 or more")
    .max(1000, "must be 1000 or fewer")
    .default(100),
});

export interface Config {
  port: number;
  /** Node only: loopback by default, every interface in production. */
  host: string;
  /** Node only: where the embedded PGlite keeps its files when DATABASE_URL is unset ("memory": none). */
  pgliteDataDir?: string;
  nodeEnv: "development" | "test" | "production";
  production: boolean;
  /** Undefined outside production when unset: the entry supplies a local secret. */
  jwtSecret?: string;
  serviceSecret?: string;
  jwtIssuer?: string;
  jwtAudience?: string;
  corsOrigins: string[];
  databaseUrl?: string;
  /** Unset entries point at the simulator the dev/test tooling starts (SIMULATOR_DEFAULT_URLS). */
  upstreamUrls: Record<UpstreamName, string>;
  /** Which upstream URLs were not configured (the simulator's defaults stand in). */
  simulatedUpstreams: UpstreamName[];
  geminiApiKey?: string;
  /** The advisor's settings (src/ai/config.ts): key, model, budget, per-minute limit, timeout. */
  ai: AiSettings;
  /** Serve mock numbers as the last fallback: default true, false in production. */
  mockFallback: boolean;
  rateLimitUserPerMin: number;
  rateLimitIpPerMin: number;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  /** Response cache lifetimes of analytics answers (stale-while-revalidate). */
  cacheTtl: { freshSeconds: number; staleSeconds: number };
  snapshotTtlSeconds: number;
  upstreamCacheSeconds: number;
  /** The refresh job: every `everyMinutes` on Node (0 = off), `batch` learners per run. */
  snapshotRefresh: { everyMinutes: number; batch: number };
}

export class ConfigError extends Error {
  readonly problems: { variable: string; message: string }[];
  constructor(problems: { variable: string; message: string }[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.variable} ${p.message}`).join("; ")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** Parses the environment (process.env or Worker bindings); throws ConfigError naming each bad variable. */
export function parseConfig(env: Record<string, unknown>): Config {
  const known = Object.fromEntries(Object.keys(EnvSchema.shape).map((k) => [k, emptyAsUnset(env[k])]));
  const result = EnvSchema.safeParse(known);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => ({ variable: String(i.path[0] ?? "environment"), message: i.message })),
    );
  }
  const e = result.data;
  const production = e.NODE_ENV === "production";
  const problems: { variable: string; message: string }[] = [];
  if (production && !e.JWT_SECRET) problems.push({ variable: "JWT_SECRET", message: "is required in production" });
  if (production && !e.SERVICE_SECRET) {
    problems.push({ variable: "SERVICE_SECRET", message: "is required in production" });
  }
  if (e.JWT_SECRET && e.JWT_SECRET === e.SERVICE_SECRET) {
    // One secret for both would let a user token pass where a service token is needed.
    problems.push({ variable: "SERVICE_SECRET", message: "must differ from JWT_SECRET" });
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const upstreamUrls = { ...SIMULATOR_DEFAULT_URLS };
  const simulatedUpstreams: UpstreamName[] = [];
  for (const [name, variable] of Object.entries(upstreamUrlVars) as [UpstreamName, string][]) {
    const value = e[variable as keyof typeof e] as string | undefined;
    if (value) upstreamUrls[name] = value.replace(/\/$/, "");
    else simulatedUpstreams.push(name);
  }
  return {
    port: e.PORT,
    host: e.HOST ?? (production ? "0.0.0.0" : "127.0.0.1"),
    pgliteDataDir: e.PGLITE_DATA_DIR,
    nodeEnv: e.NODE_ENV,
    production,
    jwtSecret: e.JWT_SECRET,
    serviceSecret: e.SERVICE_SECRET,
    jwtIssuer: e.JWT_ISSUER,
    jwtAudience: e.JWT_AUDIENCE,
    corsOrigins: e.CORS_ORIGINS,
    databaseUrl: e.DATABASE_URL,
    upstreamUrls,
    simulatedUpstreams,
    geminiApiKey: e.GOOGLE_GEMINI_API_KEY,
    ai: aiSettingsFrom(e),
    mockFallback: e.MOCK_FALLBACK ?? !production,
    rateLimitUserPerMin: e.RATE_LIMIT_USER_PER_MIN,
    rateLimitIpPerMin: e.RATE_LIMIT_IP_PER_MIN,
    logLevel: e.LOG_LEVEL,
    cacheTtl: { freshSeconds: e.CACHE_TTL_SECONDS, staleSeconds: e.CACHE_STALE_SECONDS },
    snapshotTtlSeconds: e.SNAPSHOT_TTL_SECONDS,
    upstreamCacheSeconds: e.UPSTREAM_CACHE_SECONDS,
    snapshotRefresh: { everyMinutes: e.SNAPSHOT_REFRESH_MINUTES, batch: e.SNAPSHOT_REFRESH_BATCH },
  };
}

/** How the insights cache, store and fall back, the same on both runtimes (node-deps.ts, worker.ts). */
export function insightSettingsOf(config: Config) {
  return {
    mockFallback: config.mockFallback,
    ttl: config.cacheTtl,
    snapshotTtlSeconds: config.snapshotTtlSeconds,
    upstreamCacheSeconds: config.upstreamCacheSeconds,
  };
}

/** The HTTP layer's settings: the configuration's, with the secrets the runtime resolved. */
export function httpSettingsOf(config: Config, secrets: { jwtSecret: string; serviceSecret: string }): HttpSettings {
  return {
    jwtSecret: secrets.jwtSecret,
    serviceSecret: secrets.serviceSecret,
    jwtIssuer: config.jwtIssuer,
    jwtAudience: config.jwtAudience,
    corsOrigins: config.corsOrigins,
    production: config.production,
  };
}
