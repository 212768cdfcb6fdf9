/**
 * The AI part of the environment, for the config schema in src/config.ts to spread in:
 * `z.object({ ...otherVariables, ...AI_ENV })`, then `aiSettingsFrom(parsed)` for createAiAdvisor.
 */
import { z } from "zod";
import { AI_DEFAULTS } from "./advisor.ts";

const count = (fallback: number) => z.coerce.number().int().min(0, "must be 0 or more").default(fallback);

export const AI_ENV = {
  /** Unset: every AI answer comes from the local fallback. */
  GOOGLE_GEMINI_API_KEY: z.string().min(1).optional(),
  GEMINI_MODEL: z
    .string()
    .regex(/^(models\/)?[a-z0-9][a-z0-9.-]{1,80}$/, "must be a Gemini model name like gemini-3.8-flash")
    .default(AI_DEFAULTS.model),
  GEMINI_BASE_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
  /** Tokens in + out per organization per UTC day; 0 turns Gemini off. */
  AI_DAILY_TOKEN_BUDGET: count(AI_DEFAULTS.dailyTokenBudget),
  /** Gemini calls per organization per minute (per instance); 0 = no limit. */
  AI_RATE_LIMIT_PER_MIN: count(AI_DEFAULTS.rateLimitPerMinute),
  AI_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(AI_DEFAULTS.timeoutMs),
};

const AiEnv = z.object(AI_ENV);
export type AiEnv = z.infer<typeof AiEnv>;

export interface AiSettings {
  apiKey: string | undefined;
  model: string;
  baseUrl: string | undefined;
  dailyTokenBudget: number;
  rateLimitPerMinute: number;
  timeoutMs: number;
}

/** The parsed variables as `createAiAdvisor` options (add cache, store, clock, log). */
export function aiSettingsFrom(env: AiEnv): AiSettings {
  return {
    apiKey: env.GOOGLE_GEMINI_API_KEY,
    model: env.GEMINI_MODEL,
    baseUrl: env.GEMINI_BASE_URL?.replace(/\/$/, ""),
    dailyTokenBudget: env.AI_DAILY_TOKEN_BUDGET,
    rateLimitPerMinute: env.AI_RATE_LIMIT_PER_MIN,
    timeoutMs: env.AI_TIMEOUT_MS,
  };
}

/** Parses only the AI variables (for tools and tests; the BFF parses them with its whole config). */
export function parseAiEnv(env: Record<string, unknown>): AiSettings {
  const known = Object.fromEntries(Object.keys(AI_ENV).map((k) => [k, env[k] === "" ? undefined : env[k]]));
  return aiSettingsFrom(AiEnv.parse(known));
}
