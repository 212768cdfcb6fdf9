/** The shared HTTP suite over a real loopback socket, as Railway serves it (@hono/node-server). */

import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { describe } from "vitest";
import { createMemoryRateLimiter } from "../src/http/rate-limit.ts";
import { describeHttpApi } from "./http-api.cases.ts";

describe("HTTP API on Node (real socket)", () => {
  describeHttpApi({
    runtime: "node",
    serve: (app) =>
      new Promise((resolve) => {
        const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => {
          const base = `http://127.0.0.1:${info.port}`;
          resolve({
            fetch: (path, init) => fetch(`${base}${path}`, init),
            close: () => new Promise<void>((done) => server.close(() => done())),
          });
        });
      }),
    // Runtime-specific: Node counts in-process (see src/http/rate-limit.ts).
    limiter: (_kind, limit) => createMemoryRateLimiter({ limit, clock: { now: () => new Date() } }),
  });
});
