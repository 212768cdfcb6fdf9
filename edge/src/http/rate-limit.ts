/**
 * Per-IP and per-user rate limits. The limiter is a port: on Node an in-process fixed window kept in
 * an LRU (so several Node instances each count separately; put a shared store behind the same
 * interface when running more than one), on Workers the rate-limiting binding.
 */
import type { MiddlewareHandler } from "hono";
import { LRUCache } from "lru-cache";
import type { Clock, RateLimiter } from "../deps.ts";
import { answerHeadersOf } from "./answer-headers.ts";
import { ProblemError } from "./problem.ts";

export interface RateLimitOptions {
  /** Which limiter of deps.rateLimits, and what the key is. */
  scope: "ip" | "user";
}

/**
 * Counts the request against `scope` and answers 429 with Retry-After and RateLimit-* when over.
 * The state goes into the answer's headers (the IETF draft's RateLimit-Limit, -Remaining, -Reset
 * and -Policy) before the handler runs; the per-user limit runs inside
 * the per-IP one, so on the routes that have both, the user's state is the one answered.
 */
export function rateLimit({ scope }: RateLimitOptions): MiddlewareHandler {
  return async function rateLimit(c, next) {
    const limiter = c.get("deps").rateLimits[scope];
    const key = scope === "ip" ? c.get("deps").clientIp(c) : c.get("principal")?.userId;
    if (!limiter || !key) return next();
    const answer = limiter.hit(`${scope}:${key}`);
    const decision = answer instanceof Promise ? await answer : answer;
    const headers = answerHeadersOf(c);
    headers["ratelimit-limit"] = String(decision.limit);
    if (decision.remaining !== undefined) headers["ratelimit-remaining"] = String(decision.remaining);
    else delete headers["ratelimit-remaining"];
    headers["ratelimit-reset"] = String(decision.resetSeconds);
    headers["ratelimit-policy"] = `${decision.limit};w=60`;
    if (!decision.allowed) {
      throw new ProblemError("rate_limited", {
        detail: `more than ${decision.limit} requests a minute from this ${scope === "ip" ? "address" : "user"}`,
        headers: { "Retry-After": String(decision.resetSeconds) },
      });
    }
    return next();
  };
}

/**
 * In-process fixed one-minute windows, one LRU entry per key. Good for one Node instance; several
 * instances behind a load balancer each allow `limit`, so they need a shared store (Redis, Postgres).
 */
export function createMemoryRateLimiter(opts: {
  limit: number;
  clock: Clock;
  windowMs?: number;
  maxKeys?: number;
}): RateLimiter {
  const windowMs = opts.windowMs ?? 60_000;
  const windows = new LRUCache<string, { start: number; count: number }>({ max: opts.maxKeys ?? 50_000 });
  return {
    hit(key) {
      const now = opts.clock.now().getTime();
      const start = now - (now % windowMs);
      let w = windows.get(key);
      if (!w || w.start !== start) {
        w = { start, count: 0 };
        windows.set(key, w);
      }
      w.count += 1;
      return {
        allowed: w.count <= opts.limit,
        limit: opts.limit,
        remaining: Math.max(0, opts.limit - w.count),
        resetSeconds: Math.max(1, Math.ceil((start + windowMs - now) / 1000)),
      };
    },
  };
}

/** The Workers rate-limiting binding (`[[ratelimits]]` in wrangler.toml): it answers only yes or no. */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/**
 * `limit` is what the binding is configured with in wrangler.toml (reported in the headers); the
 * binding's window is 60 s and it does not say how much is left, so RateLimit-Remaining is omitted.
 */
export function createBindingRateLimiter(binding: RateLimitBinding, limit: number): RateLimiter {
  return {
    async hit(key) {
      const { success } = await binding.limit({ key });
      return { allowed: success, limit, resetSeconds: 60 };
    },
  };
}
