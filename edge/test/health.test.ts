import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";

// Over a real socket on loopback, as Railway serves it.
describe("GET /health on Node", () => {
  let base = "";
  let server: ReturnType<typeof serve>;
  beforeAll(async () => {
    const app = createApp({ clock: { now: () => new Date("2026-01-05T10:00:00Z") }, runtime: "node" });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
        base = `http://127.0.0.1:${info.port}`;
        resolve();
      });
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("answers healthy with the runtime and the check time", async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "healthy", runtime: "node", checkedAt: "2026-01-05T10:00:00.000Z" });
  });
});
