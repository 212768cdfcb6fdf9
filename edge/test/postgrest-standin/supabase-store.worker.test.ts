/**
 * The supabase-js adapter inside workerd (the Workers runtime it is for), against the PostgREST
 * stand-in that global-setup.ts runs in Node: the same data-access suite as on Node.
 */
import { sign } from "hono/jwt";
import { describe, inject, it } from "vitest";
import { storeContractSuite } from "../../src/store/contract-suite.ts";
import { createSupabaseStore } from "../../src/store/supabase.ts";
import type {} from "./provided.ts";

const standin = inject("supabaseStandin");

if (standin) {
  storeContractSuite("supabase-js adapter inside workerd", async () => {
    const now = Math.floor(Date.now() / 1000);
    const serviceRoleKey = await sign({ role: "service_role", iat: now, exp: now + 3600 }, standin.jwtSecret, "HS256");
    return {
      store: createSupabaseStore({ url: standin.url, serviceRoleKey, jwtSecret: standin.jwtSecret }),
      teardown: async () => {},
    };
  });
} else {
  // Visible as skipped until vitest.workers.config.ts lists ./test/postgrest-standin/global-setup.ts.
  describe.skip("supabase-js adapter inside workerd (globalSetup not wired)", () => {
    it("runs the shared data-access suite", () => {});
  });
}
