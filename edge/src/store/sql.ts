/**
 * The SQL adapter: postgres.js (Node, Railway, Supabase's pooler) or the embedded PGlite behind one
 * small `SqlClient`. Each call is one transaction: take the caller's role and claims (as PostgREST
 * does, so row-level security applies to users), then `select public.<fn>(name => value, ...)`.
 */
import type { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { createStore } from "./store.ts";
import {
  type AnalyticsStore,
  type SqlArgType,
  STORE_FUNCTIONS,
  type StoreActor,
  type StoreCall,
  StoreError,
  storeErrorFrom,
} from "./types.ts";

export type SqlParam = string | null;
/**
 * One statement with parameters, or (params omitted) a script of several statements over the
 * simple protocol (migrations); a script answers the rows of its last statement.
 */
export type SqlQuery = (text: string, params?: SqlParam[]) => Promise<Record<string, unknown>[]>;

export interface SqlClient {
  /** Run `work` in one transaction (committed when it resolves, rolled back when it throws). */
  transaction<T>(work: (query: SqlQuery) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * postgres.js. `prepare: false` because Supabase's pooled port (6543) runs in transaction mode,
 * where a prepared statement may land on another server connection.
 */
export function postgresClient(url: string, opts: { max?: number } = {}): SqlClient {
  const sql = postgres(url, { prepare: false, max: opts.max ?? 10, idle_timeout: 30, onnotice: () => {} });
  return {
    async transaction(work) {
      return (await sql.begin((tx) =>
        work(async (text, params) =>
          params ? [...(await tx.unsafe(text, params as string[]))] : [...(await tx.unsafe(text).simple())],
        ),
      )) as Awaited<ReturnType<typeof work>>;
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

/** The embedded PGlite (one connection: its transactions run one at a time). */
export function pgliteClient(db: PGlite): SqlClient {
  return {
    transaction: (work) =>
      db.transaction((tx) =>
        work(async (text, params) => {
          if (params) return (await tx.query<Record<string, unknown>>(text, params)).rows;
          return (await tx.exec(text)).at(-1)?.rows ?? [];
        }),
      ),
    close: () => db.close(),
  };
}

/**
 * `$n` as the argument's type. Everything travels as text (arrays and JSON as JSON text) and is
 * cast by the server, so no driver re-encodes a value by the type it infers for the parameter.
 */
function placeholder(type: SqlArgType, n: number): string {
  if (type === "text[]") return `coalesce(array(select jsonb_array_elements_text($${n}::text::jsonb)), '{}')`;
  return `$${n}::text::${type}`;
}

function toParam(type: SqlArgType, value: unknown): SqlParam {
  if (value === null || value === undefined) return null;
  if (type === "jsonb" || type === "text[]") return JSON.stringify(value);
  return String(value);
}

function claimsOf(actor: StoreActor) {
  return actor.kind === "service"
    ? { role: "service_role" }
    : { role: "authenticated", sub: actor.userId, org: actor.orgId, roles: actor.roles };
}

export function sqlCall(client: SqlClient): StoreCall {
  return async (fn, args, actor) => {
    const signature: Record<string, SqlArgType> = STORE_FUNCTIONS[fn];
    const names = Object.keys(signature);
    const text = `select public.${fn}(${names.map((name, i) => `${name} => ${placeholder(signature[name]!, i + 1)}`).join(", ")}) as result`;
    const params = names.map((name) => toParam(signature[name]!, args[name]));
    const claims = claimsOf(actor);
    try {
      return await client.transaction(async (query) => {
        await query("select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)", [
          claims.role,
          JSON.stringify(claims),
        ]);
        const [row] = await query(text, params);
        return row?.result ?? null;
      });
    } catch (error) {
      if (error instanceof StoreError) throw error;
      const e = error as { code?: unknown; message?: string };
      throw storeErrorFrom(typeof e.code === "string" ? e.code : undefined, e.message ?? String(error));
    }
  };
}

export function createSqlStore(client: SqlClient): AnalyticsStore {
  return createStore(sqlCall(client), () => client.close());
}
