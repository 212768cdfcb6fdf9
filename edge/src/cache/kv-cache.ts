/**
 * The response cache on Workers: a KV namespace. Kept apart from the LRU so the Worker bundle
 * does not carry lru-cache.
 */
import type { Clock } from "../deps.ts";
import { type CacheEntry, entryOf, type ResponseCache } from "./response-cache.ts";

/** The part of a Workers KV namespace the cache uses (structurally matches `KVNamespace`). */
export interface KvNamespaceLike {
  get(key: string, type: "json"): Promise<unknown>;
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
  delete(key: string): Promise<void>;
}

/** KV refuses an expirationTtl under 60 s; shorter lifetimes are still honoured via staleUntil. */
export const KV_MIN_TTL_SECONDS = 60;

export function createKvCache(options: { kv: KvNamespaceLike; clock: Clock; prefix?: string }): ResponseCache {
  const prefix = options.prefix ?? "ms8:";
  return {
    kind: "kv",
    async get<T>(key: string) {
      const entry = (await options.kv.get(prefix + key, "json")) as CacheEntry<T> | null;
      if (!entry || entry.staleUntil <= options.clock.now().getTime()) return undefined;
      return entry;
    },
    async set(key, value, ttl) {
      const expirationTtl = Math.max(KV_MIN_TTL_SECONDS, Math.ceil(ttl.freshSeconds + ttl.staleSeconds));
      await options.kv.put(prefix + key, JSON.stringify(entryOf(options.clock, value, ttl)), { expirationTtl });
    },
    async delete(key) {
      await options.kv.delete(prefix + key);
    },
  };
}
