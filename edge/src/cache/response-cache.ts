/**
 * The response cache in front of the analytics: an LRU in memory on Node, Workers KV on Workers.
 * Entries carry their own freshness (decided with the app's Clock, so tests can move time):
 * fresh until `freshUntil`, then servable as stale while a refresh runs, until `staleUntil`.
 * Values must be JSON (KV stores text).
 */
import { LRUCache } from "lru-cache";
import type { Clock } from "../deps.ts";

export interface CacheEntry<T> {
  value: T;
  /** Epoch milliseconds. */
  storedAt: number;
  freshUntil: number;
  staleUntil: number;
}

export interface CacheTtl {
  /** Served as is (default 300 s). */
  freshSeconds: number;
  /** After that, served while a background refresh runs (stale-while-revalidate). */
  staleSeconds: number;
}

export interface ResponseCache {
  readonly kind: "memory" | "kv";
  get<T>(key: string): Promise<CacheEntry<T> | undefined>;
  set<T>(key: string, value: T, ttl: CacheTtl): Promise<void>;
  delete(key: string): Promise<void>;
}

export const DEFAULT_TTL: CacheTtl = { freshSeconds: 300, staleSeconds: 600 };

function entryOf<T>(clock: Clock, value: T, ttl: CacheTtl): CacheEntry<T> {
  const storedAt = clock.now().getTime();
  const freshUntil = storedAt + ttl.freshSeconds * 1000;
  return { value, storedAt, freshUntil, staleUntil: freshUntil + ttl.staleSeconds * 1000 };
}

/** Node: bounded by entry count; entries past `staleUntil` are never returned. */
export function createMemoryCache(options: { clock: Clock; maxEntries?: number }): ResponseCache {
  const lru = new LRUCache<string, CacheEntry<unknown>>({ max: options.maxEntries ?? 10_000 });
  return {
    kind: "memory",
    async get<T>(key: string) {
      const entry = lru.get(key) as CacheEntry<T> | undefined;
      if (!entry) return undefined;
      if (entry.staleUntil <= options.clock.now().getTime()) {
        lru.delete(key);
        return undefined;
      }
      return entry;
    },
    async set(key, value, ttl) {
      lru.set(key, entryOf(options.clock, value, ttl));
    },
    async delete(key) {
      lru.delete(key);
    },
  };
}

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
