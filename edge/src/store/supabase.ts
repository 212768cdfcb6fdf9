/**
 * The supabase-js adapter (Workers, or anywhere without a Postgres connection): each store call
 * is `rpc(<fn>, {...})` over PostgREST, the same SQL function the SQL adapter calls. Service
 * calls carry the service_role key; user calls a short-lived JWT with the user's claims, signed
 * with the project's JWT secret, so PostgREST applies row-level security to them exactly as the
 * SQL adapter does.
 */
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { sign } from "hono/jwt";
import { createStore } from "./store.ts";
import { type AnalyticsStore, type StoreActor, type StoreCall, StoreError, storeErrorFrom } from "./types.ts";

export interface SupabaseStoreOptions {
  /** The project URL, e.g. https://<ref>.supabase.co */
  url: string;
  /** The service_role key: service calls run as service_role (bypassing RLS; the BFF authorized). */
  serviceRoleKey: string;
  /**
   * The project's JWT secret (legacy HS256 signing), needed for `forUser()` reads: they run under
   * a 60-second token carrying the user's sub, org and roles. Without it `forUser()` refuses.
   */
  jwtSecret?: string;
  /** The anon key sent as `apikey` on user calls (minted from jwtSecret when absent). */
  anonKey?: string;
  fetch?: typeof fetch;
}

const clientOptions = (f: typeof fetch | undefined) => ({
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  ...(f ? { global: { fetch: f } } : {}),
});

export function createSupabaseStore(opts: SupabaseStoreOptions): AnalyticsStore {
  const service = createClient(opts.url, opts.serviceRoleKey, clientOptions(opts.fetch));
  let anonKey: Promise<string> | null = null;

  async function userClient(actor: Extract<StoreActor, { kind: "user" }>): Promise<SupabaseClient> {
    const secret = opts.jwtSecret;
    if (!secret) throw new StoreError("permission_denied", "user-scoped reads need the project's JWT secret");
    anonKey ??= Promise.resolve(opts.anonKey ?? sign({ role: "anon", iss: "ms8" }, secret, "HS256"));
    const now = Math.floor(Date.now() / 1000);
    const token = await sign(
      {
        role: "authenticated",
        aud: "authenticated",
        sub: actor.userId,
        org: actor.orgId,
        roles: actor.roles,
        iat: now,
        exp: now + 60,
      },
      secret,
      "HS256",
    );
    return createClient(opts.url, await anonKey, { ...clientOptions(opts.fetch), accessToken: async () => token });
  }

  const call: StoreCall = async (fn, args, actor) => {
    const client = actor.kind === "service" ? service : await userClient(actor);
    let result: Awaited<ReturnType<SupabaseClient["rpc"]>>;
    try {
      result = await client.rpc(fn, args);
    } catch (error) {
      throw new StoreError("unavailable", `supabase rpc ${fn} failed: ${(error as Error).message}`);
    }
    if (result.error) throw storeErrorFrom(result.error.code, result.error.message);
    return result.data ?? null;
  };

  return createStore(call, async () => {});
}
