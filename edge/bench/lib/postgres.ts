/**
 * A throwaway PostgreSQL server with MS8's schema applied as on the test server: the compat auth
 * schema (Supabase's roles and helpers), then supabase/migrations in name order.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import { onCleanup } from "./proc.ts";
import type { BenchContext } from "./types.ts";
import { NotReady } from "./types.ts";

export interface Database {
  url: string;
  sql: postgres.Sql;
  serverVersion: string;
  stop(): Promise<void>;
}

function psqlFile(url: string, file: string) {
  const result = spawnSync("psql", [url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`psql -f ${file} failed:\n${result.stderr || result.stdout}`);
}

/**
 * `applySchema: false` leaves the database empty, for a BFF that migrates it itself at start
 * (its migration bookkeeping must see every file as its own).
 */
export async function startDatabase(ctx: BenchContext, options: { applySchema?: boolean } = {}): Promise<Database> {
  const migrationsDir = join(ctx.root, "supabase", "migrations");
  const migrations = readdirSync(migrationsDir)
    .filter((f) => f.endsWith(".sql"))
    .sort();
  if (!migrations.length) throw new NotReady("no migrations in supabase/migrations yet");
  const { startPostgres } = (await import(join(ctx.root, "scripts", "postgres-server.mjs"))) as {
    startPostgres(): Promise<{ url: string; stop(): void }>;
  };
  const server = await startPostgres();
  try {
    if (options.applySchema ?? true) {
      psqlFile(server.url, join(ctx.root, "supabase", "compat", "auth.sql"));
      for (const file of migrations) psqlFile(server.url, join(migrationsDir, file));
    }
  } catch (error) {
    server.stop();
    throw error;
  }
  const sql = postgres(server.url, { max: 4, onnotice: () => {}, prepare: false });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    forget();
    await sql.end({ timeout: 5 }).catch(() => {});
    server.stop();
  };
  const forget = onCleanup(stop);
  const [row] = await sql<{ server_version: string }[]>`show server_version`;
  return { url: server.url, sql, serverVersion: row?.server_version ?? "unknown", stop };
}
