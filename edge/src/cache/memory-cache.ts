/** The response cache on Node: an LRU in process memory (lru-cache). */
import { LRUCache } from "lru-cache";
import type { Clock } from "../deps.ts";
import { type CacheEntry, entryOf, type ResponseCache } from "./response-cache.ts";

/** Node: bounded by entry count; entries past `staleUntil` are never returned. */
export function createMemoryCache(options: { clock: Clock; maxEntries?: number }): ResponseCache {
  const lru = new LRUCache<string, CacheEntry<unknown>>({ max: options.maxEntries ?? 10_000 });
  function peek<T>(key: string): CacheEntry<T> | undefined {
    const entry = lru.get(key) as CacheEntry<T> | undefined;
    if (!entry) return undefined;
    if (entry.staleUntil <= options.clock.now().getTime()) {
      lru.delete(key);
      return undefined;
    }
    return entry;
  }
  return {
    kind: "memory",
    peek,
    async get<T>(key: string) {
      return peek<T>(key);
    },
    async set(key, value, ttl) {
      lru.set(key, entryOf(options.clock, value, ttl));
    },
    async delete(key) {
      lru.delete(key);
    },
  };
}
