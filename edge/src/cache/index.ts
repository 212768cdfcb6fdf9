export { createKvCache, KV_MIN_TTL_SECONDS, type KvNamespaceLike } from "./kv-cache.ts";
export { createMemoryCache } from "./memory-cache.ts";
export { type CacheEntry, type CacheTtl, DEFAULT_TTL, type ResponseCache } from "./response-cache.ts";
export { createSingleFlight, type SingleFlight, withSignal } from "./single-flight.ts";
