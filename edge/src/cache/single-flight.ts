/**
 * Single-flight: concurrent calls with the same key share one in-flight promise, so a burst of
 * identical requests costs one upstream call. The entry is dropped as soon as the call settles:
 * this deduplicates concurrency, it does not cache (the response cache does that). Within a
 * Workers isolate the map is shared by the requests that isolate serves, which is the point.
 */
export interface SingleFlight {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** Calls in flight right now (for tests and /health). */
  readonly size: number;
}

export function createSingleFlight(): SingleFlight {
  const inFlight = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, work: () => Promise<T>): Promise<T> {
      const current = inFlight.get(key);
      if (current) return current as Promise<T>;
      const call = (async () => {
        try {
          return await work();
        } finally {
          inFlight.delete(key);
        }
      })();
      inFlight.set(key, call);
      return call;
    },
    get size() {
      return inFlight.size;
    },
  };
}

/**
 * Waits for a shared promise, but gives up when this caller's own deadline passes: the shared call
 * keeps going for the others (it has a deadline of its own).
 */
export function withSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
