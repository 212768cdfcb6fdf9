/**
 * Inside workerd: the shared HTTP suite against createApp (the same tables as on Node, through the
 * app's fetch with a real ExecutionContext), then the Worker entry itself (worker.ts, deps from the
 * bindings of vitest.workers.config.ts) through SELF.
 */
import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { sign } from "hono/utils/jwt/jwt";
import { describe, expect, it } from "vitest";
import { createBindingRateLimiter, type RateLimitBinding } from "../src/http/rate-limit.ts";
import { awayFromWindowEdge } from "./doubles/rate-window.ts";
import { describeHttpApi } from "./http-api.cases.ts";

const bindings = env as unknown as Record<string, RateLimitBinding & string>;

describe("HTTP API inside workerd", () => {
  describeHttpApi({
    runtime: "workerd",
    serve: async (app) => ({
      fetch: async (path, init) => {
        const ctx = createExecutionContext();
        const res = await app.fetch(new Request(`http://ms8.test${path}`, init), env, ctx);
        await waitOnExecutionContext(ctx);
        return res;
      },
      close: async () => {},
    }),
    // Runtime-specific: Workers use the rate-limiting binding, configured with these limits in
    // vitest.workers.config.ts (the binding's limit is fixed by configuration, not by code).
    limiter: (kind, limit) =>
      createBindingRateLimiter(bindings[kind === "user" ? "TEST_USER_LIMITER" : "TEST_IP_LIMITER"]!, limit),
  });
});

describe("worker.ts through SELF (deps from bindings)", () => {
  const secret = bindings.JWT_SECRET!;
  const now = () => Math.floor(Date.now() / 1000);

  it("serves /health with the workerd runtime, KV as its cache and no database configured", async () => {
    const res = await SELF.fetch("http://ms8.test/health", { headers: { "CF-Connecting-IP": "192.0.2.1" } });
    const body = (await res.json()) as { runtime: string; cache: { state: string }; database: { state: string } };
    expect(body.runtime).toBe("workerd");
    // Runtime-specific: the INSIGHTS_CACHE KV binding of wrangler.toml; no SUPABASE_URL in the test bindings.
    expect(body.cache.state).toBe("healthy");
    expect(body.database.state).toBe("degraded");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it("verifies tokens with the JWT_SECRET binding, and rejects alg none", async () => {
    const claims = { sub: "lrn-a1", org: "acme", roles: ["learner"], iat: now(), exp: now() + 600 };
    const good = await SELF.fetch("http://ms8.test/api/v1/me", {
      headers: { Authorization: `Bearer ${await sign(claims, secret, "HS256")}`, "CF-Connecting-IP": "192.0.2.2" },
    });
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({ userId: "lrn-a1", orgId: "acme" });
    const none = `${btoa(JSON.stringify({ alg: "none", typ: "JWT" })).replace(/=+$/, "")}.${btoa(JSON.stringify(claims)).replace(/=+$/, "")}.`;
    const bad = await SELF.fetch("http://ms8.test/api/v1/me", {
      headers: { Authorization: `Bearer ${none}`, "CF-Connecting-IP": "192.0.2.2" },
    });
    expect(bad.status).toBe(401);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
  });

  it("limits per IP with the IP_RATE_LIMITER binding (CF-Connecting-IP)", async () => {
    const from = { headers: { "CF-Connecting-IP": "198.51.100.7" } };
    const statuses: number[] = [];
    await awayFromWindowEdge();
    for (let i = 0; i < 5; i++) statuses.push((await SELF.fetch("http://ms8.test/api/v1/me", from)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
  });

  it("answers CORS from the CORS_ORIGINS binding", async () => {
    const res = await SELF.fetch("http://ms8.test/api/v1/me", {
      method: "OPTIONS",
      headers: {
        Origin: "https://dashboard.acme.test",
        "Access-Control-Request-Method": "GET",
        "CF-Connecting-IP": "192.0.2.3",
      },
    });
    expect(res.headers.get("access-control-allow-origin")).toBe("https://dashboard.acme.test");
  });
});
