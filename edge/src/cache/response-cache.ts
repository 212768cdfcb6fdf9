/**
 * The response cache in front of the analytics: an LRU in memory on Node, Workers KV on Workers.
 * Entries carry their own freshness (decided with the app's Clock, so tests can move time):
 * fresh until `freshUntil`, then servable as stale while a refresh runs, until `staleUntil`.
 * Values must be JSON (KV stores text).
 */
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
  /**
   * The same answer as get(), synchronously, for caches that can give it without I/O (the memory
   * cache): a warm read then costs no promise hops. Absent on KV.
   */
  peek?<T>(key: string): CacheEntry<T> | undefined;
  set<T>(key: string, value: T, ttl: CacheTtl): Promise<void>;
  delete(key: string): Promise<void>;
}

export const DEFAULT_TTL: CacheTtl = { freshSeconds: 300, staleSeconds: 600 };

export function entryOf<T>(clock: Clock, value: T, ttl: CacheTtl): CacheEntry<T> {
  const storedAt = clock.now().getTime();
  const freshUntil = storedAt + ttl.freshSeconds * 1000;
  return { value, storedAt, freshUntil, staleUntil: freshUntil + ttl.staleSeconds * 1000 };
}
