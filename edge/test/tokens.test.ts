/** Token kinds never cross, and a remembered verification never outlives its token. */
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { requireService, requireUser } from "../src/http/auth.ts";
import { ProblemError, problemResponse } from "../src/http/problem.ts";
import { createTokenSigner, createTokenVerifier } from "../src/http/tokens.ts";
import { serviceToken, userToken } from "./doubles/tokens.ts";
import { TEST_JWT_SECRET, TEST_SERVICE_SECRET } from "./doubles/world.ts";

function serviceApp() {
  const tokens = createTokenVerifier({
    jwtSecret: TEST_JWT_SECRET,
    serviceSecret: TEST_SERVICE_SECRET,
    clock: { now: () => new Date() },
  });
  const app = new Hono();
  app.use(async (c, next) => {
    c.set("tokens", tokens);
    c.set("requestId", "t");
    await next();
  });
  app.post("/events", requireService("events:write"), (c) => c.json({ from: c.var.servicePrincipal.service }));
  app.get("/user", requireUser(), (c) => c.json({ user: c.var.principal.userId }));
  app.onError((err, c) => (err instanceof ProblemError ? problemResponse(c, err.code, err.init) : c.text("boom", 500)));
  return app;
}

describe("service tokens and user tokens never cross", () => {
  const app = serviceApp();
  const bearer = (t: string) => ({ headers: { Authorization: `Bearer ${t}` } });

  it("a service token with the scope passes requireService", async () => {
    const res = await app.request("/events", {
      method: "POST",
      ...bearer(await serviceToken("course-builder", "events:write")),
    });
    expect(await res.json()).toEqual({ from: "course-builder" });
  });
  it("a user token is a 401 where a service token is required", async () => {
    const res = await app.request("/events", {
      method: "POST",
      ...bearer(await userToken({ sub: "adm-a", org: "acme", roles: ["org_admin"] })),
    });
    expect(res.status).toBe(401);
  });
  it("a user token signed with the service secret is still refused (claims differ)", async () => {
    const t = await userToken({ sub: "adm-a", org: "acme", roles: ["org_admin"] }, {}, TEST_SERVICE_SECRET);
    expect((await app.request("/events", { method: "POST", ...bearer(t) })).status).toBe(401);
  });
  it("a service token is a 401 where a user token is required", async () => {
    expect((await app.request("/user", bearer(await serviceToken("course-builder", "events:write")))).status).toBe(401);
  });
  it("a service token without the scope is a 403", async () => {
    const res = await app.request("/events", {
      method: "POST",
      ...bearer(await serviceToken("course-builder", "reports:read")),
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("www-authenticate")).toContain("insufficient_scope");
  });
});

describe("the verified-token cache", () => {
  it("stops accepting a remembered token once its exp passes", async () => {
    let now = new Date("2026-03-01T10:00:00Z");
    const clock = { now: () => now };
    const opts = { jwtSecret: TEST_JWT_SECRET, serviceSecret: TEST_SERVICE_SECRET, clock };
    const { token } = await createTokenSigner(opts).signUser({
      sub: "lrn-a1",
      org: "acme",
      roles: ["learner"],
      ttlSeconds: 60,
    });
    const verifier = createTokenVerifier(opts);
    expect((await verifier.user(token)).userId).toBe("lrn-a1");
    now = new Date("2026-03-01T10:00:59Z");
    expect((await verifier.user(token)).userId).toBe("lrn-a1");
    now = new Date("2026-03-01T10:01:00Z");
    await expect(verifier.user(token)).rejects.toThrow(/expired/);
  });

  it("makes repeated verification of one token cheap", async () => {
    const clock = { now: () => new Date() };
    const verifier = createTokenVerifier({ jwtSecret: TEST_JWT_SECRET, serviceSecret: TEST_SERVICE_SECRET, clock });
    const token = await userToken({ sub: "lrn-a1", org: "acme", roles: ["learner"] });
    await verifier.user(token);
    const started = performance.now();
    for (let i = 0; i < 10_000; i++) await verifier.user(token);
    // Measured ~2-5 ms for 10k cached lookups; an HMAC verification each time costs 100x more.
    expect(performance.now() - started).toBeLessThan(500);
  });
});
