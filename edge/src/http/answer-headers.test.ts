/**
 * Every answer's headers, scenario by scenario, over a real socket with @hono/node-server (as
 * production serves it): the request id, the security headers, the rate-limit state, CORS, ETag
 * with Cache-Control and Vary, on 200, 304, problems and preflights. The hot path builds its
 * headers in one pass; this table holds it to exactly what the middleware chain answered.
 */
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awayFromWindowEdge } from "../../test/doubles/rate-window.ts";
import { serveOnLoopback } from "../../test/doubles/serve.ts";
import { callers, userToken } from "../../test/doubles/tokens.ts";
import { createTestWorld } from "../../test/doubles/world.ts";
import { createApp } from "../app.ts";
import { securityHeaderSet } from "./answer-headers.ts";
import { createMemoryRateLimiter } from "./rate-limit.ts";

const clock = { now: () => new Date() };
/** Values that differ per run are replaced by their shape. */
const VOLATILE: Record<string, (value: string) => string> = {
  "x-request-id": (v) => (/^[0-9a-f-]{36}$/.test(v) ? "<uuid>" : v),
  etag: (v) => (/^"[0-9a-f]{40}"$/.test(v) ? "<sha1>" : v),
  "ratelimit-reset": (v) => (/^\d+$/.test(v) ? "<seconds>" : v),
  "ratelimit-remaining": (v) => (/^\d+$/.test(v) ? "<count>" : v),
  "content-length": (v) => (/^\d+$/.test(v) ? "<bytes>" : v),
};
/** Set by node:http per connection, not by the app. */
const TRANSPORT = new Set(["date", "connection", "keep-alive", "transfer-encoding"]);

function shape(res: Response): Record<string, string> {
  const out: Record<string, string> = { ":status": String(res.status) };
  for (const [name, value] of res.headers) {
    if (TRANSPORT.has(name)) continue;
    out[name] = VOLATILE[name]?.(value) ?? value;
  }
  return out;
}

const SECURITY = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "origin-agent-cluster": "?1",
  "referrer-policy": "no-referrer",
  "strict-transport-security": "max-age=15552000; includeSubDomains",
  "x-content-type-options": "nosniff",
  "x-dns-prefetch-control": "off",
  "x-download-options": "noopen",
  "x-frame-options": "SAMEORIGIN",
  "x-permitted-cross-domain-policies": "none",
  "x-xss-protection": "0",
};
const rateLimited = (limit: number) => ({
  "ratelimit-limit": String(limit),
  "ratelimit-policy": `${limit};w=60`,
  "ratelimit-remaining": "<count>",
  "ratelimit-reset": "<seconds>",
});
const ORIGIN = "https://dashboard.acme.test";
const CORS_ANSWER = {
  "access-control-allow-origin": ORIGIN,
  "access-control-expose-headers":
    "ETag,X-Request-Id,Retry-After,RateLimit-Limit,RateLimit-Remaining,RateLimit-Reset,RateLimit-Policy,WWW-Authenticate",
};

const served = serveOnLoopback;

describe("answer headers on Node (real socket)", () => {
  let api: { base: string; close(): Promise<void> };
  let token: string;
  const get = async (path: string, headers: Record<string, string> = {}, method = "GET") =>
    fetch(`${api.base}${path}`, { method, headers: { Authorization: `Bearer ${token}`, ...headers } });

  beforeAll(async () => {
    // Limits far above the requests made, as in production: the limiter runs and reports.
    const world = createTestWorld({
      rateLimits: {
        user: createMemoryRateLimiter({ limit: 1000, clock }),
        ip: createMemoryRateLimiter({ limit: 5000, clock }),
      },
    });
    api = await served(createApp(world.deps));
    token = await userToken(callers.learnerA1);
  });
  afterAll(() => api.close());

  it("a cached analytics answer (200), then its revalidation (304)", async () => {
    const first = await get("/api/v1/learners/lrn-a1/velocity", { "X-Request-Id": "req-1" });
    expect(shape(first)).toEqual({
      ":status": "200",
      "cache-control": "private, no-cache",
      "content-length": "<bytes>",
      "content-type": "application/json",
      etag: "<sha1>",
      vary: "Authorization",
      "x-request-id": "req-1",
      ...SECURITY,
      ...rateLimited(1000),
    });
    const again = await get("/api/v1/learners/lrn-a1/velocity", { "If-None-Match": first.headers.get("etag")! });
    expect(await again.text()).toBe("");
    expect(shape(again)).toEqual({
      ":status": "304",
      "cache-control": "private, no-cache",
      etag: "<sha1>",
      vary: "Authorization",
      "x-request-id": "<uuid>",
      ...SECURITY,
      ...rateLimited(1000),
    });
    expect(again.headers.get("etag")).toBe(first.headers.get("etag"));
  });

  it("the same from an allowed origin: CORS on the 200 and on the 304", async () => {
    const first = await get("/api/v1/learners/lrn-a1/velocity", { Origin: ORIGIN });
    expect(shape(first)).toMatchObject({ ":status": "200", ...CORS_ANSWER, vary: "Authorization, Origin" });
    const again = await get("/api/v1/learners/lrn-a1/velocity", {
      Origin: ORIGIN,
      "If-None-Match": first.headers.get("etag")!,
    });
    expect(shape(again)).toEqual({
      ":status": "304",
      "cache-control": "private, no-cache",
      etag: "<sha1>",
      vary: "Authorization, Origin",
      "x-request-id": "<uuid>",
      ...CORS_ANSWER,
      ...SECURITY,
      ...rateLimited(1000),
    });
  });

  it("a hashed answer (risk, c.json) and its 304", async () => {
    const first = await get("/api/v1/learners/lrn-a1/dropoff-risk");
    expect(shape(first)).toEqual({
      ":status": "200",
      "cache-control": "private, no-cache",
      // The explanation is written in the language the request asks for (English by default).
      "content-language": "en",
      "content-length": "<bytes>",
      "content-type": "application/json",
      etag: "<sha1>",
      vary: "Accept-Language, Authorization",
      "x-request-id": "<uuid>",
      ...SECURITY,
      ...rateLimited(1000),
    });
    const again = await get("/api/v1/learners/lrn-a1/dropoff-risk", { "If-None-Match": first.headers.get("etag")! });
    expect(shape(again)).toMatchObject({
      ":status": "304",
      etag: first.headers.get("etag") ? "<sha1>" : "",
      vary: "Accept-Language, Authorization",
    });
  });

  it("problems carry the same headers: 404 (another learner), 401 (no token)", async () => {
    const missing = await get("/api/v1/learners/lrn-g1/velocity");
    expect(shape(missing)).toEqual({
      ":status": "404",
      "content-length": "<bytes>",
      "content-type": "application/problem+json",
      "x-request-id": "<uuid>",
      ...SECURITY,
      ...rateLimited(1000),
    });
    const anonymous = await fetch(`${api.base}/api/v1/learners/lrn-a1/velocity`);
    expect(shape(anonymous)).toEqual({
      ":status": "401",
      "content-length": "<bytes>",
      "content-type": "application/problem+json",
      "www-authenticate": 'Bearer realm="ms8"',
      "x-request-id": "<uuid>",
      ...SECURITY,
      ...rateLimited(5000),
    });
  });

  it("a caller's X-Request-Id is kept up to 128 of [A-Za-z0-9_-=], otherwise replaced", async () => {
    const idOf = async (id: string) => (await get("/api/v1/me", { "X-Request-Id": id })).headers.get("x-request-id");
    expect(await idOf("a".repeat(128))).toBe("a".repeat(128));
    expect(await idOf("trace_id-01=")).toBe("trace_id-01=");
    expect(await idOf("a".repeat(129))).toMatch(/^[0-9a-f-]{36}$/);
    expect(await idOf("no/slashes")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("a preflight from an allowed origin", async () => {
    const preflight = await fetch(`${api.base}/api/v1/learners/lrn-a1/velocity`, {
      method: "OPTIONS",
      headers: { Origin: ORIGIN, "Access-Control-Request-Method": "GET" },
    });
    expect(shape(preflight)).toMatchObject({
      ":status": "204",
      "access-control-allow-origin": ORIGIN,
      "access-control-max-age": "600",
      "x-request-id": "<uuid>",
      ...SECURITY,
    });
  });

  it("429 from the per-user limit carries that limit's state and Retry-After", async () => {
    const world = createTestWorld({
      rateLimits: {
        user: createMemoryRateLimiter({ limit: 1, clock }),
        ip: createMemoryRateLimiter({ limit: 100, clock }),
      },
    });
    const tight = await served(createApp(world.deps));
    try {
      const call = () =>
        fetch(`${tight.base}/api/v1/learners/lrn-a1/velocity`, { headers: { Authorization: `Bearer ${token}` } });
      await awayFromWindowEdge();
      expect(shape(await call())).toMatchObject({ ":status": "200", ...rateLimited(1) });
      const over = await call();
      expect(over.headers.get("ratelimit-remaining")).toBe("0");
      expect(shape(over)).toEqual({
        ":status": "429",
        "content-length": "<bytes>",
        "content-type": "application/problem+json",
        "retry-after": expect.stringMatching(/^\d+$/),
        "x-request-id": "<uuid>",
        ...SECURITY,
        ...rateLimited(1),
      });
    } finally {
      await tight.close();
    }
  });
});

describe("security headers", () => {
  it("are exactly what hono/secure-headers sets, for the API and for embeddable widget files", async () => {
    const answered = async (options?: Parameters<typeof secureHeaders>[0]) => {
      const res = await new Hono()
        .use(secureHeaders(options))
        .get("/", (c) => c.body(null, 204))
        .request("/");
      return Object.fromEntries(res.headers);
    };
    expect(securityHeaderSet()).toEqual(await answered());
    expect(securityHeaderSet({ embeddable: true })).toEqual(
      await answered({ crossOriginResourcePolicy: false, crossOriginOpenerPolicy: false }),
    );
    expect(securityHeaderSet()).toEqual(SECURITY);
  });
});
