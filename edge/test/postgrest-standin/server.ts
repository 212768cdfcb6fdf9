/**
 * A PostgREST stand-in for tests: a real HTTP server answering supabase-js's `rpc()` calls
 * (`POST /rest/v1/rpc/<fn>` with named arguments as a JSON object) the way PostgREST does. It
 * verifies the JWT (HS256, the project secret), then runs the call against the real Postgres in
 * one transaction under the token's role and claims (`role` and `request.jwt.claims` as
 * transaction-local settings), so row-level security and grants decide what the caller gets.
 * Function signatures come from pg_catalog (PostgREST's schema cache); errors come back in
 * PostgREST's shape and HTTP statuses. Served: RPC (all MS8's adapter uses) and plain table reads,
 * `GET /rest/v1/<table>?select=a,b&col=eq.v&order=col.desc&limit=n` (eq, neq, gt, gte, lt, lte),
 * which show row-level security at work for any client.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { verify } from "hono/jwt";
import postgres from "postgres";

const ROLES = new Set(["anon", "authenticated", "service_role"]);
const OPERATORS: Record<string, string> = { eq: "=", neq: "<>", gt: ">", gte: ">=", lt: "<", lte: "<=" };

interface FunctionSignature {
  names: string[];
  types: string[];
}

/** PostgREST's SQLSTATE to HTTP status table (the parts our functions can raise). */
function statusFor(code: string, authenticated: boolean): number {
  if (code === "42501") return authenticated ? 403 : 401;
  if (code === "42883" || code === "42P01") return 404;
  if (code === "23503" || code === "23505") return 409;
  if (code === "P0001") return 400;
  if (/^(08|53)/.test(code)) return 503;
  if (/^(09|25|2D|38|39|3B|40|54|55|57|58|F0|HV|P0|XX)/.test(code)) return 500;
  return 400;
}

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** A JSON value as a parameter of the given Postgres type (everything travels as text). */
function argument(type: string, value: unknown, n: number): { sql: string; param: string | null } {
  if (value === null || value === undefined) return { sql: `$${n}::text::${type}`, param: null };
  if (type === "jsonb" || type === "json") return { sql: `$${n}::text::${type}`, param: JSON.stringify(value) };
  if (type.endsWith("[]")) {
    return {
      sql: `coalesce(array(select jsonb_array_elements_text($${n}::text::jsonb)), '{}')::${type}`,
      param: JSON.stringify(value),
    };
  }
  return { sql: `$${n}::text::${type}`, param: typeof value === "string" ? value : JSON.stringify(value) };
}

export interface PostgrestStandin {
  url: string;
  /** Calls served, by function name (tests use it to prove traffic went over HTTP). */
  calls: Map<string, number>;
  close(): Promise<void>;
}

export async function startPostgrestStandin(opts: {
  databaseUrl: string;
  jwtSecret: string;
}): Promise<PostgrestStandin> {
  const sql = postgres(opts.databaseUrl, { max: 10, prepare: false, onnotice: () => {} });
  const calls = new Map<string, number>();
  let schemaCache: Map<string, FunctionSignature> | null = null;

  async function functions() {
    if (schemaCache) return schemaCache;
    const rows = await sql<{ name: string; names: string[] | null; types: string[] }[]>`
      select p.proname as name, p.proargnames as names,
             array(select format_type(t, null) from unnest(p.proargtypes::oid[]) t) as types
      from pg_proc p where p.pronamespace = 'public'::regnamespace`;
    schemaCache = new Map(rows.map((r) => [r.name, { names: r.names ?? [], types: r.types }]));
    return schemaCache;
  }

  async function claimsOf(req: IncomingMessage): Promise<Record<string, unknown> | { error: string; code: string }> {
    const header = req.headers.authorization;
    if (!header) return { role: "anon" };
    const token = /^Bearer (.+)$/i.exec(header)?.[1];
    if (!token) return { code: "PGRST301", error: "the Authorization header is not a Bearer token" };
    try {
      return (await verify(token, opts.jwtSecret, "HS256")) as Record<string, unknown>;
    } catch (error) {
      const expired = (error as Error).name === "JwtTokenExpired";
      return expired
        ? { code: "PGRST303", error: "JWT expired" }
        : { code: "PGRST301", error: (error as Error).message };
    }
  }

  let tableCache: Map<string, Set<string>> | null = null;
  async function tables() {
    if (tableCache) return tableCache;
    const rows = await sql<{ table: string; column: string }[]>`
      select c.relname as table, a.attname as column
      from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'v')`;
    const cache = new Map<string, Set<string>>();
    for (const r of rows) cache.set(r.table, (cache.get(r.table) ?? new Set()).add(r.column));
    tableCache = cache;
    return cache;
  }

  /** A table read as SQL: identifiers checked against pg_catalog, values passed as parameters. */
  async function tableRead(
    table: string,
    query: URLSearchParams,
  ): Promise<{ text: string; params: string[] } | string> {
    const columns = (await tables()).get(table);
    if (!columns) return `relation "public.${table}" does not exist`;
    const ident = (name: string) => (columns.has(name) ? `"${name}"` : null);
    const select = (query.get("select") ?? "*").split(",").map((c) => c.trim());
    const selected = select.includes("*") ? ["*"] : select.map(ident);
    if (selected.includes(null)) return `a selected column is not in ${table}`;
    const where: string[] = [];
    const params: string[] = [];
    for (const [key, value] of query) {
      if (["select", "order", "limit"].includes(key)) continue;
      const match = /^([a-z]+)\.(.*)$/s.exec(value);
      const column = ident(key);
      const operator = match ? OPERATORS[match[1]!] : undefined;
      if (!column || !operator) return `cannot filter ${key}=${value}`;
      params.push(match![2]!);
      where.push(`${column}::text ${operator} $${params.length}`);
    }
    let order = "";
    const orderBy = query.get("order");
    if (orderBy) {
      const [column = "", direction = "asc"] = orderBy.split(".");
      if (!ident(column) || !["asc", "desc"].includes(direction)) return `cannot order by ${orderBy}`;
      order = ` order by ${ident(column)} ${direction}`;
    }
    const limit = Number(query.get("limit") ?? Number.NaN);
    const text =
      `select coalesce(jsonb_agg(to_jsonb(r)), '[]'::jsonb) as result from (select ${selected.join(", ")} ` +
      `from public."${table}"${where.length ? ` where ${where.join(" and ")}` : ""}${order}` +
      `${Number.isInteger(limit) && limit >= 0 ? ` limit ${limit}` : ""}) r`;
    return { text, params };
  }

  /** One transaction under the caller's role and claims, as PostgREST runs every request. */
  async function asCaller(
    res: ServerResponse,
    caller: { role: string; claims: Record<string, unknown> },
    text: string,
    params: (string | null)[],
  ) {
    try {
      const result = await sql.begin(async (tx) => {
        await tx.unsafe("select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)", [
          caller.role,
          JSON.stringify(caller.claims),
        ]);
        const [row] = await tx.unsafe(text, params);
        return row?.result ?? null;
      });
      send(res, 200, result);
    } catch (error) {
      const e = error as { code?: string; message: string; detail?: string; hint?: string };
      const code = e.code ?? "XX000";
      send(res, statusFor(code, caller.role !== "anon"), {
        code,
        message: e.message,
        details: e.detail ?? null,
        hint: e.hint ?? null,
      });
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://x");
    const rpc = /^\/rest\/v1\/rpc\/([a-z_][a-z0-9_]*)$/.exec(url.pathname);
    const table = rpc ? null : /^\/rest\/v1\/([a-z_][a-z0-9_]*)$/.exec(url.pathname);
    if (!(rpc && req.method === "POST") && !(table && req.method === "GET")) {
      return send(res, 404, {
        code: "PGRST000",
        message: "this stand-in serves POST /rest/v1/rpc/<function> and GET /rest/v1/<table>",
      });
    }
    const claims = await claimsOf(req);
    if ("error" in claims)
      return send(res, 401, { code: claims.code, message: claims.error, details: null, hint: null });
    const role = String(claims.role ?? "anon");
    if (!ROLES.has(role))
      return send(res, 401, { code: "PGRST301", message: `role ${role} is not allowed`, details: null, hint: null });

    if (table) {
      const read = await tableRead(table[1]!, url.searchParams);
      if (typeof read === "string")
        return send(res, 400, { code: "PGRST100", message: read, details: null, hint: null });
      return asCaller(res, { role, claims }, read.text, read.params);
    }

    const fn = rpc![1]!;
    let args: Record<string, unknown>;
    try {
      const text = await readBody(req);
      args = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      return send(res, 400, { code: "PGRST102", message: "Empty or invalid json", details: null, hint: null });
    }
    const signature = (await functions()).get(fn);
    const given = Object.keys(args).sort();
    if (!signature || given.join(",") !== [...signature.names].sort().join(",")) {
      return send(res, 404, {
        code: "PGRST202",
        message: `Could not find the function public.${fn}(${given.join(", ")}) in the schema cache`,
        details: null,
        hint: null,
      });
    }
    calls.set(fn, (calls.get(fn) ?? 0) + 1);
    const parts = signature.names.map((name, i) => ({ name, ...argument(signature.types[i]!, args[name], i + 1) }));
    const text = `select public.${fn}(${parts.map((p) => `${p.name} => ${p.sql}`).join(", ")}) as result`;
    return asCaller(
      res,
      { role, claims },
      text,
      parts.map((p) => p.param),
    );
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => send(res, 500, { code: "PGRST000", message: error.message }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sql.end({ timeout: 5 });
    },
  };
}
