/** The shared HTTP suite over a real loopback socket, as Railway serves it (@hono/node-server). */

import { describe } from "vitest";
import { createMemoryRateLimiter } from "../src/http/rate-limit.ts";
import { serveOnLoopback } from "./doubles/serve.ts";
import { describeHttpApi } from "./http-api.cases.ts";

describe("HTTP API on Node (real socket)", () => {
  describeHttpApi({
    runtime: "node",
    serve: async (app) => {
      const { base, close } = await serveOnLoopback(app);
      return { fetch: (path, init) => fetch(`${base}${path}`, init), close };
    },
    // Runtime-specific: Node counts in-process (see src/http/rate-limit.ts).
    limiter: (_kind, limit) => createMemoryRateLimiter({ limit, clock: { now: () => new Date() } }),
  });
});
