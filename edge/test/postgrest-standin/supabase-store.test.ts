/**
 * The supabase-js adapter runs the same data-access suite as the SQL adapter, its traffic going
 * over real HTTP to the PostgREST stand-in, which runs each call against the real Postgres under
 * the caller's role and claims.
 */
import { createClient } from "@supabase/supabase-js";
import { sign } from "hono/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeContractSuite } from "../../src/store/contract-suite.ts";
import { createSupabaseStore } from "../../src/store/supabase.ts";
import { freshDatabase, type TestDatabase } from "../../src/store/testing.ts";
import { type PostgrestStandin, startPostgrestStandin } from "./server.ts";

const JWT_SECRET = "local-dev-only-supabase-jwt-secret-0123456789abcdef";
const key = (claims: Record<string, unknown>) =>
  sign(
    {
      iss: "supabase-standin",
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 3600,
      ...claims,
    },
    JWT_SECRET,
    "HS256",
  );

storeContractSuite("supabase-js adapter through the PostgREST stand-in", async () => {
  const db = await freshDatabase();
  const standin = await startPostgrestStandin({ databaseUrl: db.url, jwtSecret: JWT_SECRET });
  const store = createSupabaseStore({
    url: standin.url,
    serviceRoleKey: await key({ role: "service_role" }),
    jwtSecret: JWT_SECRET,
  });
  return {
    store,
    async teardown() {
      // Every call of the suite went over HTTP, as rpc, to the stand-in.
      expect(standin.calls.get("ingest_event")).toBeGreaterThan(0);
      expect(standin.calls.get("list_learners")).toBeGreaterThan(0);
      await standin.close();
      await db.drop();
    },
  };
});

describe("the PostgREST stand-in enforces what PostgREST enforces", () => {
  let db: TestDatabase;
  let standin: PostgrestStandin;
  const rpc = (fn: string, body: unknown, token?: string) =>
    fetch(`${standin.url}/rest/v1/rpc/${fn}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    db = await freshDatabase();
    standin = await startPostgrestStandin({ databaseUrl: db.url, jwtSecret: JWT_SECRET });
  });
  afterAll(async () => {
    await standin.close();
    await db.drop();
  });

  it("refuses a token signed with another secret, and an expired one", async () => {
    const forged = await sign({ role: "service_role" }, "another-secret-entirely-0123456789", "HS256");
    expect((await rpc("store_health", {}, forged)).status).toBe(401);
    const expired = await key({ role: "service_role", exp: Math.floor(Date.now() / 1000) - 10 });
    const res = await rpc("store_health", {}, expired);
    expect(res.status).toBe(401);
    expect((await res.json()).code).toBe("PGRST303");
  });

  it("answers anon 401 and a user 403 for a service-only function, the service role 200", async () => {
    expect((await rpc("store_health", {})).status).toBe(401);
    const user = await key({ role: "authenticated", sub: "lrn-1", org: "org-a", roles: ["org_admin"] });
    const denied = await rpc("store_health", {}, user);
    expect(denied.status).toBe(403);
    expect((await denied.json()).code).toBe("42501");
    const ok = await rpc("store_health", {}, await key({ role: "service_role" }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ok: true });
  });

  it("serves table reads under row-level security, as supabase-js from() sends them", async () => {
    const service = createSupabaseStore({ url: standin.url, serviceRoleKey: await key({ role: "service_role" }) });
    // No trainer listed for their courses (trainerIds []), so every trainer of org-a may read them.
    await service.upsertDirectoryUsers([
      { userId: "lrn-1", orgId: "org-a", displayName: "Ada", roles: ["learner"], timeZone: "UTC", trainerIds: [] },
      { userId: "lrn-2", orgId: "org-a", displayName: "Ben", roles: ["learner"], timeZone: "UTC", trainerIds: [] },
      { userId: "lrn-9", orgId: "org-b", displayName: "Gus", roles: ["learner"], timeZone: "UTC", trainerIds: [] },
    ]);
    const as = async (claims: Record<string, unknown>) =>
      createClient(standin.url, await key({ role: "anon" }), {
        auth: { persistSession: false },
        accessToken: async () => key(claims),
      });
    const ada = await as({ role: "authenticated", sub: "lrn-1", org: "org-a", roles: ["learner"] });
    const own = await ada.from("directory_users").select("id,display_name").order("id");
    expect(own).toMatchObject({ error: null, data: [{ id: "lrn-1", display_name: "Ada" }] });
    const trainer = await as({ role: "authenticated", sub: "trn-1", org: "org-a", roles: ["trainer"] });
    const org = await trainer.from("directory_users").select("id").order("id", { ascending: false });
    expect(org.data).toEqual([{ id: "lrn-2" }, { id: "lrn-1" }]);
    expect((await trainer.from("directory_users").select("id").eq("org_id", "org-b")).data).toEqual([]);
    const anon = createClient(standin.url, await key({ role: "anon" }), { auth: { persistSession: false } });
    expect((await anon.from("directory_users").select("id")).error).toMatchObject({ code: "42501" });
  });

  it("answers 404 PGRST202 for an unknown function or wrong argument names", async () => {
    const service = await key({ role: "service_role" });
    expect((await (await rpc("drop_everything", {}, service)).json()).code).toBe("PGRST202");
    expect((await rpc("read_snapshot", { learner: "x" }, service)).status).toBe(404);
  });
});
