/**
 * The HTTP acceptance suite of issue 3, shared by two runtimes: http-api.test.ts serves the app on
 * a real loopback socket with @hono/node-server, http-api.worker.test.ts runs the same tables inside
 * workerd. Where a case differs by runtime, `runtime` says so beside it.
 */
import { sign } from "hono/utils/jwt/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import type { AppDeps, RateLimiter } from "../src/deps.ts";
import { awayFromWindowEdge } from "./doubles/rate-window.ts";
import { type CallerName, callers, craftedToken, nowSeconds, serviceToken, userToken } from "./doubles/tokens.ts";
import { createTestWorld, PASSWORD, TEST_JWT_SECRET, type TestWorld } from "./doubles/world.ts";

export interface Served {
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}
export interface Harness {
  runtime: "node" | "workerd";
  serve(app: ReturnType<typeof createApp>): Promise<Served>;
  /** A limiter allowing `limit` requests a minute: in-process on Node, the binding in workerd. */
  limiter(kind: "user" | "ip", limit: number): RateLimiter;
}

const PROBLEM = "application/problem+json";
/** Hand-written from the simulator's course assignments (seed 8, 18 learners; doubles/world.ts). */
const AURORA_TRAINED_BY_PERSONA = ["lrn-aurora-001", "lrn-aurora-005"];

async function expectProblem(res: Response, status: number, requestIdOf?: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain(PROBLEM);
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, type: expect.stringMatching(/^https:\/\//), title: expect.any(String) });
  expect(body.instance).toBe(requestIdOf ?? res.headers.get("x-request-id"));
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/); // never a stack trace
  return body as { errors?: { path: string; message: string }[]; detail?: string; type: string };
}

export function describeHttpApi(h: Harness) {
  let world: TestWorld;
  let api: Served;
  const auth = async (who: CallerName, init: RequestInit = {}) => ({
    ...init,
    headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${await userToken(callers[who])}` },
  });

  beforeAll(async () => {
    world = createTestWorld({ runtime: h.runtime });
    api = await h.serve(createApp(world.deps));
  });
  afterAll(() => api.close());

  describe(`JWT attack table (${h.runtime})`, () => {
    const base = () => ({ sub: "lrn-a1", org: "acme", roles: ["learner"], iat: nowSeconds(), exp: nowSeconds() + 600 });
    const attacks: [string, () => Promise<{ token?: string; path?: string }>][] = [
      ["alg none", async () => ({ token: await craftedToken({ alg: "none", typ: "JWT" }, base()) })],
      ["HS512 with the right secret", async () => ({ token: await sign(base(), TEST_JWT_SECRET, "HS512") })],
      [
        "RS256 header over an HMAC signature",
        async () => ({ token: await craftedToken({ alg: "RS256", typ: "JWT" }, base(), TEST_JWT_SECRET) }),
      ],
      [
        "wrong secret",
        async () => ({ token: await sign(base(), "local-dev-only-some-other-secret-0123456789", "HS256") }),
      ],
      ["expired", async () => ({ token: await sign({ ...base(), exp: nowSeconds() - 1 }, TEST_JWT_SECRET, "HS256") })],
      [
        "nbf in the future",
        async () => ({ token: await sign({ ...base(), nbf: nowSeconds() + 300 }, TEST_JWT_SECRET, "HS256") }),
      ],
      [
        "missing exp",
        async () => {
          const { exp: _exp, ...noExp } = base();
          return { token: await sign(noExp, TEST_JWT_SECRET, "HS256") };
        },
      ],
      [
        "roles not an array",
        async () => ({ token: await sign({ ...base(), roles: "learner" }, TEST_JWT_SECRET, "HS256") }),
      ],
      [
        "unknown role",
        async () => ({ token: await sign({ ...base(), roles: ["superuser"] }, TEST_JWT_SECRET, "HS256") }),
      ],
      ["truncated token", async () => ({ token: (await sign(base(), TEST_JWT_SECRET, "HS256")).slice(0, -6) })],
      [
        "token in the query string only",
        async () => ({
          path: `/api/v1/me?token=${await sign(base(), TEST_JWT_SECRET, "HS256")}&access_token=${await sign(base(), TEST_JWT_SECRET, "HS256")}`,
        }),
      ],
      [
        "a service token where a user token is needed",
        async () => ({ token: await serviceToken("course-builder", "events:write") }),
      ],
      [
        "wrong claim type (org is a number)",
        async () => ({ token: await sign({ ...base(), org: 42 }, TEST_JWT_SECRET, "HS256") }),
      ],
    ];
    it.each(attacks)("%s -> 401 with WWW-Authenticate", async (_name, make) => {
      const { token, path = "/api/v1/learners/lrn-a1/velocity" } = await make();
      const before = world.insights.calls.length;
      const res = await api.fetch(path, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
      await expectProblem(res, 401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="ms8"/);
      expect(world.insights.calls.length).toBe(before);
    });

    it("control: the same claims, properly signed, pass", async () => {
      const res = await api.fetch("/api/v1/learners/lrn-a1/velocity", {
        headers: { Authorization: `Bearer ${await sign(base(), TEST_JWT_SECRET, "HS256")}` },
      });
      expect(res.status).toBe(200);
    });

    it("no Authorization header -> 401 naming the Bearer scheme", async () => {
      const res = await api.fetch("/api/v1/me");
      const body = await expectProblem(res, 401);
      expect(body.detail).toContain("Bearer");
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="ms8"');
    });
  });

  describe(`access table: every role against every endpoint (${h.runtime})`, () => {
    // Hand-written expectations (not derived from the code under test).
    const widgets = ["velocity", "dropoff-risk", "forecast", "gamification", "recommendations"] as const;
    type Row = [CallerName, string, number];
    const rows: Row[] = [];
    const learnerEndpoints = (learner: string) => widgets.map((w) => `/api/v1/learners/${learner}/${w}`);
    const orgEndpoints = (org: string) => ["learners", "at-risk", "summary"].map((p) => `/api/v1/orgs/${org}/${p}`);
    const expect4 = (who: CallerName, learner: string, status: number | number[]) =>
      learnerEndpoints(learner).forEach((p, i) => {
        rows.push([who, p, Array.isArray(status) ? status[i]! : status]);
      });
    const expectOrg = (who: CallerName, org: string, status: number) =>
      orgEndpoints(org).forEach((p) => {
        rows.push([who, p, status]);
      });

    expect4("learnerA1", "lrn-a1", 200);
    expect4("learnerA1", "lrn-a2", 403);
    expect4("learnerA1", "lrn-g1", 404);
    expectOrg("learnerA1", "acme", 403);
    expectOrg("learnerA1", "globex", 404);
    expect4("learnerA2", "lrn-a1", 403);
    expect4("learnerA2", "lrn-a2", 200);
    expectOrg("learnerA2", "acme", 403);
    expect4("trainerA1", "lrn-a1", 200); // listed as lrn-a1's trainer
    expect4("trainerA1", "lrn-a2", 200); // the Directory lists no trainer for lrn-a2: org-wide
    expect4("trainerA1", "lrn-g1", 404);
    expectOrg("trainerA1", "acme", 200);
    expectOrg("trainerA1", "globex", 404);
    expect4("trainerA2", "lrn-a1", 403); // same org, but lrn-a1's courses are trained by tr-a1 only
    expect4("trainerA2", "lrn-a2", 200);
    expectOrg("trainerA2", "acme", 200);
    expect4("adminA", "lrn-a1", 200);
    expect4("adminA", "lrn-a2", 200);
    expect4("adminA", "lrn-g1", 404);
    expectOrg("adminA", "acme", 200);
    expectOrg("adminA", "globex", 404);
    expect4("embedA1", "lrn-a1", [200, 403, 403, 403, 403]); // embed token for lrn-a1's velocity widget only
    expect4("embedA1", "lrn-a2", 403);
    expect4("embedA1", "lrn-g1", 404);
    expectOrg("embedA1", "acme", 403);
    expectOrg("embedA1", "globex", 404);
    expect4("adminG", "lrn-a1", 404);
    expect4("adminG", "lrn-g1", 200);
    expectOrg("adminG", "acme", 404);
    expectOrg("adminG", "globex", 200);
    expect4("adminA", "no-such-learner", 404);
    // org-aurora from the simulator's world, where trainers are assigned to courses: trn-aurora-1
    // (the trainer persona) trains the courses of lrn-aurora-001 and lrn-aurora-005 only.
    for (const n of [1, 2, 3, 4, 5, 6]) {
      const learner = `lrn-aurora-00${n}`;
      expect4("trainerAurora", learner, AURORA_TRAINED_BY_PERSONA.includes(learner) ? 200 : 403);
      expect4("adminAurora", learner, 200);
    }
    expect4("trainerAurora", "lrn-a2", 404);
    expectOrg("trainerAurora", "org-aurora", 200);
    expectOrg("trainerAurora", "acme", 404);
    expectOrg("adminAurora", "org-aurora", 200);
    expectOrg("trainerA1", "org-aurora", 404);
    for (const who of Object.keys(callers) as CallerName[])
      rows.push([who, "/api/v1/me", who === "embedA1" ? 403 : 200]);
    // AI usage and cost: org admins of that organization only.
    const aiUsage: Record<CallerName, [number, number]> = {
      learnerA1: [403, 404],
      learnerA2: [403, 404],
      trainerA1: [403, 404],
      trainerA2: [403, 404],
      adminA: [200, 404],
      embedA1: [403, 404],
      adminG: [404, 200],
      trainerAurora: [404, 404],
      adminAurora: [404, 404],
    };
    for (const [who, [acme, globex]] of Object.entries(aiUsage) as [CallerName, [number, number]][]) {
      rows.push([who, "/api/v1/orgs/acme/ai-usage", acme], [who, "/api/v1/orgs/globex/ai-usage", globex]);
    }

    it.each(rows)("%s GET %s -> %i", async (who, path, status) => {
      const before = world.insights.analyticsCalls().length;
      const storeBefore = world.store.calls.length;
      const res = await api.fetch(path, await auth(who));
      if (status !== 200) {
        await expectProblem(res, status);
        // Refused before any analytics cache or store was consulted.
        expect(world.insights.analyticsCalls().length).toBe(before);
        expect(world.store.calls.length).toBe(storeBefore);
      } else {
        expect(res.status).toBe(200);
      }
    });

    it("a 404 for another organization's learner reads exactly like one for a learner that does not exist", async () => {
      const other = await (await api.fetch("/api/v1/learners/lrn-g1/velocity", await auth("adminA"))).json();
      const missing = await (await api.fetch("/api/v1/learners/lrn-zz/velocity", await auth("adminA"))).json();
      const strip = (b: Record<string, unknown>) => ({ ...b, instance: undefined });
      expect(strip(other as Record<string, unknown>)).toEqual(strip(missing as Record<string, unknown>));
    });
  });

  describe(`a trainer's organization lists (${h.runtime})`, () => {
    type ListBody = { items: { learnerId: string }[]; nextCursor: string | null; scope: string };
    const allPages = async (who: CallerName, path: string) => {
      const ids: string[] = [];
      const scopes = new Set<string>();
      let cursor: string | null = null;
      for (let pages = 0; pages < 30; pages++) {
        const res = await api.fetch(
          `${path}${path.includes("?") ? "&" : "?"}limit=1${cursor ? `&cursor=${cursor}` : ""}`,
          await auth(who),
        );
        expect(res.status).toBe(200);
        const body = (await res.json()) as ListBody;
        ids.push(...body.items.map((i) => i.learnerId));
        scopes.add(body.scope);
        cursor = body.nextCursor;
        if (!cursor) break;
      }
      return { ids, scopes: [...scopes] };
    };

    it("hold exactly the learners the trainer may open: each listed one opens, an unlisted one is 403", async () => {
      const learners = await allPages("trainerAurora", "/api/v1/orgs/org-aurora/learners");
      expect(learners).toEqual({ ids: AURORA_TRAINED_BY_PERSONA, scopes: ["trainer"] });
      const atRisk = await allPages("trainerAurora", "/api/v1/orgs/org-aurora/at-risk?minLevel=low");
      expect({ ids: [...atRisk.ids].sort(), scopes: atRisk.scopes }).toEqual({
        ids: AURORA_TRAINED_BY_PERSONA,
        scopes: ["trainer"],
      });
      const summary = await api.fetch("/api/v1/orgs/org-aurora/summary", await auth("trainerAurora"));
      expect(await summary.json()).toMatchObject({ scope: "trainer", learnerCount: AURORA_TRAINED_BY_PERSONA.length });
      // The route told the store whose learners to read.
      expect(world.store.calls.at(-1)).toMatchObject({
        method: "orgSummary",
        args: ["org-aurora", { scope: { kind: "trainer", trainerId: "trn-aurora-1" } }],
      });
      for (const learner of learners.ids) {
        for (const widget of ["velocity", "dropoff-risk"]) {
          const res = await api.fetch(`/api/v1/learners/${learner}/${widget}`, await auth("trainerAurora"));
          expect(res.status, `${learner} ${widget}`).toBe(200);
        }
      }
      const unlisted = await api.fetch("/api/v1/learners/lrn-aurora-002/dropoff-risk", await auth("trainerAurora"));
      await expectProblem(unlisted, 403);
    });

    it("include learners whose courses list no trainer; the org admin's cover everyone", async () => {
      const acme = await allPages("trainerA2", "/api/v1/orgs/acme/learners");
      expect(acme.scopes).toEqual(["trainer"]);
      expect(acme.ids).toContain("lrn-a2"); // no trainer listed for lrn-a2's courses
      expect(acme.ids).not.toContain("lrn-a1"); // trained by tr-a1 only
      expect(acme.ids).toHaveLength(world.store.rows.acme!.length - 1);
      const admin = await allPages("adminAurora", "/api/v1/orgs/org-aurora/learners");
      expect(admin.scopes).toEqual(["organization"]);
      expect(admin.ids).toEqual([1, 2, 3, 4, 5, 6].map((n) => `lrn-aurora-00${n}`));
      const summary = await api.fetch("/api/v1/orgs/org-aurora/summary", await auth("adminAurora"));
      expect(await summary.json()).toMatchObject({ scope: "organization", learnerCount: 6 });
    });
  });

  describe(`answers (${h.runtime})`, () => {
    it("analytics come in the {data, meta} envelope, with the request id passed to insights", async () => {
      const res = await api.fetch(
        "/api/v1/learners/lrn-a1/velocity",
        await auth("learnerA1", { headers: { "X-Request-Id": "req-velocity-1" } }),
      );
      expect(res.status).toBe(200);
      expect(res.headers.get("x-request-id")).toBe("req-velocity-1");
      const body = (await res.json()) as {
        data: { learnerId: string };
        meta: { dataSource: string; calculatedAt: string; expiresAt: string };
      };
      expect(body.data.learnerId).toBe("lrn-a1");
      expect(body.meta.dataSource).toBe("realtime");
      expect(new Date(body.meta.expiresAt).getTime() - new Date(body.meta.calculatedAt).getTime()).toBe(300_000);
      expect(world.insights.calls.filter((c) => c.requestId === "req-velocity-1").map((c) => c.method)).toEqual([
        "profile",
        "velocity",
      ]);
    });

    it("an invalid X-Request-Id is replaced by a fresh one", async () => {
      const res = await api.fetch(
        "/api/v1/me",
        await auth("learnerA1", { headers: { "X-Request-Id": "bad id with spaces" } }),
      );
      expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    });

    it("ETag and Cache-Control: private on analytics; If-None-Match answers 304 without a body", async () => {
      const first = await api.fetch("/api/v1/learners/lrn-a1/gamification", await auth("learnerA1"));
      const etag = first.headers.get("etag");
      expect(etag).toMatch(/^"[0-9a-f]+"$/);
      expect(first.headers.get("cache-control")).toBe("private, no-cache");
      const again = await api.fetch(
        "/api/v1/learners/lrn-a1/gamification",
        await auth("learnerA1", { headers: { "If-None-Match": etag! } }),
      );
      expect(again.status).toBe(304);
      expect(await again.text()).toBe("");
      expect(again.headers.get("etag")).toBe(etag);
      expect(again.headers.get("cache-control")).toBe("private, no-cache");
      // The answer does not depend on who asked (caches are keyed by learner, never by token).
      const asAdmin = await api.fetch("/api/v1/learners/lrn-a1/gamification", await auth("adminA"));
      expect(asAdmin.headers.get("etag")).toBe(etag);
      const stale = await api.fetch(
        "/api/v1/learners/lrn-a1/gamification",
        await auth("learnerA1", { headers: { "If-None-Match": '"not-it"' } }),
      );
      expect(stale.status).toBe(200);
    });

    it("risk and forecast carry their text with aiSource fallback (no Gemini key); the ETag covers that text", async () => {
      for (const [widget, field] of [
        ["dropoff-risk", "explanation"],
        ["forecast", "commentary"],
      ] as const) {
        const path = `/api/v1/learners/lrn-a1/${widget}`;
        const first = await api.fetch(path, await auth("learnerA1"));
        expect(first.status).toBe(200);
        const text = await first.text();
        const body = JSON.parse(text) as { data: Record<string, unknown>; meta: Record<string, unknown> };
        expect(body.data[field]).toEqual(expect.stringMatching(/\w{3,}/));
        expect(body.meta).toMatchObject({ aiSource: "fallback", fallbackReason: "no_api_key" });
        // The tag is the SHA-1 of the body actually sent, text included (not of the bare numbers).
        const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(text));
        const hex = Array.from(new Uint8Array(digest), (x) => x.toString(16).padStart(2, "0")).join("");
        const etag = first.headers.get("etag");
        expect(etag).toBe(`"${hex}"`);
        const again = await api.fetch(path, await auth("learnerA1", { headers: { "If-None-Match": etag! } }));
        expect(again.status).toBe(304);
        expect(await again.text()).toBe("");
      }
    });

    it("a cross-origin revalidation keeps its CORS headers on the 304 (else the browser blocks it)", async () => {
      const origin = { Origin: "https://dashboard.acme.test" };
      const first = await api.fetch(
        "/api/v1/learners/lrn-a1/gamification",
        await auth("learnerA1", { headers: origin }),
      );
      expect(first.headers.get("access-control-allow-origin")).toBe(origin.Origin);
      const again = await api.fetch(
        "/api/v1/learners/lrn-a1/gamification",
        await auth("learnerA1", { headers: { ...origin, "If-None-Match": first.headers.get("etag")! } }),
      );
      expect(again.status).toBe(304);
      expect(again.headers.get("access-control-allow-origin")).toBe(origin.Origin);
    });

    it("org lists page with a keyset cursor until the end", async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 10; pages++) {
        const q: string = cursor ? `?limit=7&cursor=${cursor}` : "?limit=7";
        const res = await api.fetch(`/api/v1/orgs/acme/learners${q}`, await auth("adminA"));
        expect(res.status).toBe(200);
        const body = (await res.json()) as { items: { learnerId: string }[]; nextCursor: string | null };
        seen.push(...body.items.map((i) => i.learnerId));
        cursor = body.nextCursor;
        if (!cursor) break;
      }
      expect(seen).toHaveLength(world.store.rows.acme!.length);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual([...seen].sort());
    });

    it("at-risk honours minLevel; the summary counts the organization", async () => {
      const res = await api.fetch("/api/v1/orgs/acme/at-risk?minLevel=critical&limit=100", await auth("trainerA1"));
      const body = (await res.json()) as { items: { riskLevel: string }[] };
      expect(body.items.length).toBeGreaterThan(0);
      expect(body.items.every((i) => i.riskLevel === "critical")).toBe(true);
      const summary = (await (await api.fetch("/api/v1/orgs/acme/summary", await auth("adminA"))).json()) as {
        learnerCount: number;
      };
      expect(summary.learnerCount).toBe(world.store.rows.acme!.length);
      // The dashboard's activity figures pass through the response schema.
      expect(summary).toMatchObject({
        activeLearners7d: world.store.rows.acme!.length,
        events7d: 11,
        totalPoints: 1230,
        badgesAwarded: 4,
      });
    });

    it("a database that cannot answer an org list is a 503 with Retry-After, not a 500", async () => {
      const original = world.store.orgSummary.bind(world.store);
      world.store.orgSummary = async () => {
        throw Object.assign(new Error("connection refused"), { name: "StoreError", code: "unavailable" });
      };
      try {
        const res = await api.fetch("/api/v1/orgs/acme/summary", await auth("adminA"));
        await expectProblem(res, 503);
        expect(res.headers.get("retry-after")).toBe("5");
      } finally {
        world.store.orgSummary = original;
      }
    });

    it("GET /me says who the token is", async () => {
      const res = await api.fetch("/api/v1/me", await auth("trainerA1"));
      expect(await res.json()).toMatchObject({ userId: "tr-a1", orgId: "acme", roles: ["trainer"], embed: null });
    });

    it("503 problem with Retry-After when insights cannot answer", async () => {
      world.insights.unavailable = true;
      try {
        const res = await api.fetch("/api/v1/learners/lrn-a1/forecast", await auth("learnerA1"));
        await expectProblem(res, 503);
        expect(res.headers.get("retry-after")).toBe("17");
      } finally {
        world.insights.unavailable = false;
      }
    });
  });

  describe(`sessions (${h.runtime})`, () => {
    const login = (body: unknown, headers: Record<string, string> = { "Content-Type": "application/json" }) =>
      api.fetch("/api/v1/auth/login", {
        method: "POST",
        headers,
        body: typeof body === "string" ? body : JSON.stringify(body),
      });

    it("login with the right password gives a 15-minute token that works", async () => {
      const res = await login({ email: "ada.one@acme.test", password: PASSWORD });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { token: string; expiresAt: string; user: { id: string } };
      expect(body.user).toEqual({ id: "lrn-a1", orgId: "acme", roles: ["learner"], displayName: "Ada One" });
      const ttl = (new Date(body.expiresAt).getTime() - Date.now()) / 1000;
      expect(ttl).toBeGreaterThan(890);
      expect(ttl).toBeLessThanOrEqual(900);
      const me = await api.fetch("/api/v1/me", { headers: { Authorization: `Bearer ${body.token}` } });
      expect(await me.json()).toMatchObject({ userId: "lrn-a1", orgId: "acme" });
    });

    it("a wrong password is a 401 problem", async () => {
      await expectProblem(await login({ email: "ada.one@acme.test", password: "nope" }), 401);
    });

    it("an Auth service that cannot answer is a 503, never a 401", async () => {
      world.identity.down = true;
      try {
        const res = await login({ email: "ada.one@acme.test", password: PASSWORD });
        await expectProblem(res, 503);
        expect(res.headers.get("retry-after")).toBeTruthy();
      } finally {
        world.identity.down = false;
      }
    });

    it("an embed token reads only its learner's chosen widgets, for at most 10 minutes", async () => {
      const res = await api.fetch(
        "/api/v1/auth/embed-token",
        await auth("adminA", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ learnerId: "lrn-a2", widgets: ["velocity", "gamification"] }),
        }),
      );
      expect(res.status).toBe(200);
      const body = (await res.json()) as { token: string; expiresAt: string; widgets: string[] };
      expect(body.widgets).toEqual(["velocity", "gamification"]);
      expect(new Date(body.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(600_000);
      const as = { headers: { Authorization: `Bearer ${body.token}` } };
      expect((await api.fetch("/api/v1/learners/lrn-a2/velocity", as)).status).toBe(200);
      expect((await api.fetch("/api/v1/learners/lrn-a2/gamification", as)).status).toBe(200);
      expect((await api.fetch("/api/v1/learners/lrn-a2/dropoff-risk", as)).status).toBe(403);
      expect((await api.fetch("/api/v1/learners/lrn-a1/velocity", as)).status).toBe(403);
      expect((await api.fetch("/api/v1/orgs/acme/summary", as)).status).toBe(403);
      const again = await api.fetch("/api/v1/auth/embed-token", { method: "POST", ...as });
      await expectProblem(again, 403);
    });

    it("with no body, an embed token is for the caller and every widget", async () => {
      const res = await api.fetch("/api/v1/auth/embed-token", await auth("learnerA1", { method: "POST" }));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        learnerId: "lrn-a1",
        widgets: ["velocity", "dropoff-risk", "forecast", "recommendations", "gamification"],
      });
    });

    it("a trainer or admin must say which learner an embed token is for (400, naming learnerId)", async () => {
      for (const who of ["adminA", "trainerA1"] as const) {
        const body = await expectProblem(
          await api.fetch("/api/v1/auth/embed-token", await auth(who, { method: "POST" })),
          400,
        );
        expect(body.errors).toEqual([
          { path: "body.learnerId", message: "required for a caller who is not a learner" },
        ]);
      }
    });

    it("nobody mints an embed token for a learner they may not read", async () => {
      const init = (learnerId: string) => ({
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ learnerId }),
      });
      await expectProblem(await api.fetch("/api/v1/auth/embed-token", await auth("learnerA1", init("lrn-a2"))), 403);
      await expectProblem(await api.fetch("/api/v1/auth/embed-token", await auth("adminA", init("lrn-g1"))), 404);
    });
  });

  describe(`bad input: status, problem body, and nothing done (${h.runtime})`, () => {
    const untouched = () => {
      const counts = {
        identity: world.identity.calls.length,
        store: world.store.calls.length,
        insights: world.insights.analyticsCalls().length,
      };
      return () => {
        expect(world.identity.calls.length).toBe(counts.identity);
        expect(world.store.calls.length).toBe(counts.store);
        expect(world.insights.analyticsCalls().length).toBe(counts.insights);
      };
    };
    const json = { "Content-Type": "application/json" };

    it.each([
      ["a learner id with a bad character", "/api/v1/learners/lrn.a1/velocity", "path.learnerId"],
      ["a learner id that is too long", `/api/v1/learners/${"a".repeat(65)}/velocity`, "path.learnerId"],
      ["an org id with a bad character", "/api/v1/orgs/ac%20me/summary", "path.orgId"],
      ["limit that is not a number", "/api/v1/orgs/acme/learners?limit=ten", "query.limit"],
      ["limit of 0", "/api/v1/orgs/acme/learners?limit=0", "query.limit"],
      ["limit over 200", "/api/v1/orgs/acme/learners?limit=201", "query.limit"],
      ["an unknown risk level", "/api/v1/orgs/acme/at-risk?minLevel=apocalyptic", "query.minLevel"],
      ["a cursor with bad characters", "/api/v1/orgs/acme/learners?cursor=%3Cscript%3E", "query.cursor"],
    ])("400 for %s", async (_name, path, field) => {
      const check = untouched();
      const body = await expectProblem(await api.fetch(path, await auth("adminA")), 400);
      expect(body.errors?.map((e) => e.path)).toContain(field);
      check();
    });

    it("400 for a cursor this API did not issue (the store refuses it)", async () => {
      const body = await expectProblem(
        await api.fetch("/api/v1/orgs/acme/learners?cursor=Zm9yZWlnbg", await auth("adminA")),
        400,
      );
      expect(body.errors?.[0]?.path).toBe("query.cursor");
    });

    it("400 for invalid JSON", async () => {
      const check = untouched();
      const res = await api.fetch("/api/v1/auth/login", {
        method: "POST",
        headers: json,
        body: '{"email": "ada.one@acme.test", ',
      });
      const body = await expectProblem(res, 400);
      expect(body.type).toContain("invalid-json");
      check();
    });

    it.each([
      ["no email", { password: PASSWORD }, "body.email"],
      ["an email that is not one", { email: "ada", password: PASSWORD }, "body.email"],
      ["an empty password", { email: "ada.one@acme.test", password: "" }, "body.password"],
      ["a JSON array", [1, 2], "body"],
    ])("400 for a login with %s, naming the field", async (_name, payload, field) => {
      const check = untouched();
      const res = await api.fetch("/api/v1/auth/login", {
        method: "POST",
        headers: json,
        body: JSON.stringify(payload),
      });
      const body = await expectProblem(res, 400);
      expect(body.errors?.map((e) => e.path)).toContain(field);
      check();
    });

    it("400 for an embed-token request with an unknown widget or field", async () => {
      for (const payload of [{ widgets: ["leaderboard"] }, { learnerId: "lrn-a1", admin: true }]) {
        const check = untouched();
        const res = await api.fetch(
          "/api/v1/auth/embed-token",
          await auth("adminA", { method: "POST", headers: json, body: JSON.stringify(payload) }),
        );
        const body = await expectProblem(res, 400);
        expect(body.errors?.length).toBeGreaterThan(0);
        check();
      }
    });

    it("405 with Allow for a wrong method on a known path", async () => {
      const check = untouched();
      const del = await api.fetch("/api/v1/learners/lrn-a1/velocity", await auth("adminA", { method: "DELETE" }));
      await expectProblem(del, 405);
      expect(del.headers.get("allow")).toBe("GET, HEAD");
      const get = await api.fetch("/api/v1/auth/login");
      await expectProblem(get, 405);
      expect(get.headers.get("allow")).toBe("POST");
      check();
    });

    it("404 problem for an unknown path", async () => {
      await expectProblem(await api.fetch("/api/v1/nowhere", await auth("adminA")), 404);
    });

    it("413 for a body over 64 KB", async () => {
      const check = untouched();
      const big = JSON.stringify({ email: "ada.one@acme.test", password: "x".repeat(65 * 1024) });
      await expectProblem(await api.fetch("/api/v1/auth/login", { method: "POST", headers: json, body: big }), 413);
      check();
    });

    it("415 for a body that is not JSON", async () => {
      const check = untouched();
      const res = await api.fetch("/api/v1/auth/login", {
        method: "POST",
        headers: { "Content-Type": "text/plain" },
        body: "email=ada.one@acme.test&password=x",
      });
      await expectProblem(res, 415);
      const form = await api.fetch("/api/v1/auth/login", {
        method: "POST",
        body: new URLSearchParams({ email: "a@b.c", password: "x" }),
      });
      await expectProblem(form, 415);
      check();
    });
  });

  describe(`POST /events: service tokens only, nothing written on refusal (${h.runtime})`, () => {
    const batch = (eventId: string) =>
      JSON.stringify({
        events: [
          {
            eventId,
            type: "lesson_completed",
            learnerId: "lrn-a1",
            orgId: "acme",
            occurredAt: new Date(Date.now() - 60_000).toISOString(),
            data: { courseId: "c1", unitId: "u1" },
          },
        ],
      });
    const post = (
      token: string | null,
      body: string,
      headers: Record<string, string> = { "Content-Type": "application/json" },
    ) =>
      api.fetch("/api/v1/events", {
        method: "POST",
        headers: { ...headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body,
      });
    const noWrites = () => {
      const before = world.ledger.writes.length;
      return () => expect(world.ledger.writes.length).toBe(before);
    };

    it("a service token with events:write is accepted and the event is written", async () => {
      const res = await post(
        await serviceToken("course-builder", "events:write"),
        batch("9f1c2b7e-0000-4000-8000-000000000001"),
      );
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ accepted: 1, rejected: 0 });
      expect(world.ledger.events.has("9f1c2b7e-0000-4000-8000-000000000001")).toBe(true);
    });

    it("ingestion checks the learner without warming the snapshot's five upstream calls", async () => {
      const from = world.insights.calls.length;
      const res = await post(
        await serviceToken("course-builder", "events:write"),
        batch("9f1c2b7e-0000-4000-8000-0000000000a2"),
      );
      expect(res.status).toBe(200);
      const lookups = world.insights.calls.slice(from).filter((call) => call.method === "profile");
      expect(lookups.length).toBeGreaterThan(0);
      for (const call of lookups) expect(call.warmSnapshot).toBe(false);
    });

    it.each([
      ["no token", async (): Promise<string | null> => null, 401],
      ["a user token (even an org admin's)", async () => userToken(callers.adminA), 401],
      [
        "a service token signed with the user secret",
        async () => serviceToken("course-builder", "events:write", TEST_JWT_SECRET),
        401,
      ],
      ["a service token without events:write", async () => serviceToken("course-builder", "reports:read"), 403],
    ] as const)("%s -> %i, nothing written", async (_name, token, status) => {
      const check = noWrites();
      await expectProblem(await post(await token(), batch("9f1c2b7e-0000-4000-8000-000000000002")), status);
      check();
    });

    it("invalid JSON, a non-JSON body and a body over 512 KB are refused before anything is written", async () => {
      const token = await serviceToken("course-builder", "events:write");
      const check = noWrites();
      const bad = await expectProblem(await post(token, '{"events": ['), 400);
      expect(bad.type).toContain("invalid-json");
      await expectProblem(await post(token, "events=1", { "Content-Type": "application/x-www-form-urlencoded" }), 415);
      // Event batches may be larger than other bodies (500 events), up to 512 KB.
      await expectProblem(await post(token, JSON.stringify({ events: [], pad: "x".repeat(513 * 1024) })), 413);
      const noArray = await expectProblem(await post(token, JSON.stringify({ events: "many" })), 400);
      expect(noArray.errors?.map((e) => e.path)).toContain("body.events");
      check();
    });
  });

  describe(`rate limits (${h.runtime})`, () => {
    let limited: Served;
    let limitedWorld: TestWorld;
    beforeAll(async () => {
      limitedWorld = createTestWorld({
        runtime: h.runtime,
        rateLimits: { user: h.limiter("user", 3), ip: h.limiter("ip", 5) },
      });
      limited = await h.serve(createApp(limitedWorld.deps));
    });
    afterAll(() => limited.close());

    it("429 per user with Retry-After and RateLimit-* once over the limit; other users unaffected", async () => {
      await awayFromWindowEdge();
      const as = await auth("trainerA1", { headers: { "X-Test-Client-Ip": "10.0.0.1" } });
      for (let i = 0; i < 3; i++) expect((await limited.fetch("/api/v1/me", as)).status).toBe(200);
      const over = await limited.fetch("/api/v1/me", as);
      await expectProblem(over, 429);
      expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(over.headers.get("ratelimit-limit")).toBe("3");
      expect(over.headers.get("ratelimit-reset")).toBeTruthy();
      const other = await limited.fetch(
        "/api/v1/me",
        await auth("adminA", { headers: { "X-Test-Client-Ip": "10.0.0.2" } }),
      );
      expect(other.status).toBe(200);
    });

    it("429 per IP, before any token is looked at", async () => {
      const from = { headers: { "X-Test-Client-Ip": "10.9.9.9" } };
      await awayFromWindowEdge();
      for (let i = 0; i < 5; i++) expect((await limited.fetch("/api/v1/me", from)).status).toBe(401);
      const over = await limited.fetch("/api/v1/me", from);
      await expectProblem(over, 429);
      expect(over.headers.get("retry-after")).toBeTruthy();
    });
  });

  describe(`CORS, security headers, logging, health (${h.runtime})`, () => {
    it("answers preflight for a listed origin, and gives other origins no CORS headers", async () => {
      const pre = await api.fetch("/api/v1/learners/lrn-a1/velocity", {
        method: "OPTIONS",
        headers: {
          Origin: "https://dashboard.acme.test",
          "Access-Control-Request-Method": "GET",
          "Access-Control-Request-Headers": "authorization",
        },
      });
      expect(pre.status).toBe(204);
      expect(pre.headers.get("access-control-allow-origin")).toBe("https://dashboard.acme.test");
      expect(pre.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
      const evil = await api.fetch("/api/v1/me", await auth("learnerA1", { headers: { Origin: "https://evil.test" } }));
      expect(evil.status).toBe(200);
      expect(evil.headers.get("access-control-allow-origin")).toBeNull();
      const evilPre = await api.fetch("/api/v1/me", {
        method: "OPTIONS",
        headers: { Origin: "https://evil.test", "Access-Control-Request-Method": "GET" },
      });
      expect(evilPre.headers.get("access-control-allow-origin")).toBeNull();
      expect(evilPre.headers.get("access-control-allow-methods")).toBeNull();
    });

    it("sets the secure headers", async () => {
      const res = await api.fetch("/health");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
      expect(res.headers.get("strict-transport-security")).toContain("max-age=");
    });

    it("logs one JSON line per request with route, status, duration, request id and user, and no secrets", async () => {
      const token = await userToken(callers.learnerA1);
      world.logs.length = 0;
      await api.fetch("/api/v1/learners/lrn-a1/velocity", {
        headers: { Authorization: `Bearer ${token}`, "X-Request-Id": "log-check-1" },
      });
      await api.fetch("/api/v1/auth/login", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Request-Id": "log-check-2" },
        body: JSON.stringify({ email: "ada.one@acme.test", password: PASSWORD }),
      });
      const lines = world.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === "request");
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatchObject({
        method: "GET",
        route: "/api/v1/learners/:learnerId/velocity",
        status: 200,
        requestId: "log-check-1",
        userId: "lrn-a1",
      });
      expect(typeof lines[0]!.durationMs).toBe("number");
      expect(lines[1]).toMatchObject({
        method: "POST",
        route: "/api/v1/auth/login",
        status: 200,
        requestId: "log-check-2",
      });
      const all = world.logs.join("\n");
      expect(all).not.toContain(token);
      expect(all).not.toContain(PASSWORD);
      expect(all).not.toContain("ada.one@acme.test");
      expect(all).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    });

    it("/health reports database, cache and upstreams; 503 when it cannot serve", async () => {
      const ok = await api.fetch("/health");
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({
        status: "healthy",
        runtime: h.runtime,
        database: { state: "healthy" },
        cache: { state: "healthy" },
        upstreams: { auth: { state: "healthy", breaker: "closed" } },
      });
      world.insights.upstreams = {
        ...world.insights.upstreams,
        directory: { state: "down", breaker: "open", lastError: "timeout" },
      };
      const degraded = await api.fetch("/health");
      expect(degraded.status).toBe(200);
      expect(((await degraded.json()) as { status: string }).status).toBe("degraded");
      world.health.database = "down";
      try {
        const down = await api.fetch("/health");
        expect(down.status).toBe(503);
        expect(((await down.json()) as { status: string }).status).toBe("down");
      } finally {
        world.health.database = "healthy";
        world.insights.upstreams = { ...world.insights.upstreams, directory: { state: "healthy", breaker: "closed" } };
      }
    });
  });
}

export type { AppDeps };
