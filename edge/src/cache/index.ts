export {
  type CacheEntry,
  type CacheTtl,
  createKvCache,
  createMemoryCache,
  DEFAULT_TTL,
  KV_MIN_TTL_SECONDS,
  type KvNamespaceLike,
  type ResponseCache,
} from "./response-cache.ts";
export { createSingleFlight, type SingleFlight, withSignal } from "./single-flight.ts";
