/**
 * The 48 h answer cache in front of the AI results table: an LRU in memory on Node, Workers KV on
 * Cloudflare (KV expires entries itself; its minimum TTL is 60 s).
 */
import { LRUCache } from "lru-cache";
import type { AiCache, StoredAiResult } from "./ports.ts";

export function memoryAiCache(options: { max?: number } = {}): AiCache {
  const lru = new LRUCache<string, StoredAiResult>({ max: options.max ?? 5_000, ttlAutopurge: false });
  return {
    async get(key) {
      return lru.get(key) ?? null;
    },
    async set(result, ttlSeconds) {
      lru.set(result.key, result, { ttl: ttlSeconds * 1000 });
    },
  };
}

/** The part of a Workers `KVNamespace` the cache uses (kept structural so Node code can typecheck it). */
export interface AiKvNamespace {
  get(key: string, type: "json"): Promise<unknown>;
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
}

export function kvAiCache(kv: AiKvNamespace, options: { prefix?: string } = {}): AiCache {
  const prefix = options.prefix ?? "ai:";
  return {
    async get(key) {
      return ((await kv.get(prefix + key, "json")) as StoredAiResult | null) ?? null;
    },
    async set(result, ttlSeconds) {
      await kv.put(prefix + result.key, JSON.stringify(result), { expirationTtl: Math.max(60, ttlSeconds) });
    },
  };
}
