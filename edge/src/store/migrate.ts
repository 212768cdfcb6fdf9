/**
 * Applies supabase/migrations (and, off Supabase, supabase/compat/auth.sql first) to a plain
 * PostgreSQL server or to PGlite. Node only: it reads the files. Applied versions are recorded in
 * the table the Supabase CLI uses, so a database stays migratable by either. One transaction
 * under an advisory lock, so two processes starting together do not both migrate.
 */
import { readdirSync, readFileSync } from "node:fs";
import type { SqlClient } from "./sql.ts";

const supabaseDir = new URL("../../../supabase/", import.meta.url);

export interface MigrationReport {
  applied: string[];
  compat: boolean;
}

export function migrationFiles(): { version: string; name: string; sql: string }[] {
  return readdirSync(new URL("migrations/", supabaseDir))
    .filter((f) => /^\d{14}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: f.slice(0, 14),
      name: f.slice(15, -4),
      sql: readFileSync(new URL(`migrations/${f}`, supabaseDir), "utf8"),
    }));
}

export async function migrate(
  client: SqlClient,
  opts: { compat?: boolean | "auto"; seed?: boolean } = {},
): Promise<MigrationReport> {
  const files = migrationFiles();
  const compatSql = readFileSync(new URL("compat/auth.sql", supabaseDir), "utf8");
  const seedSql = readFileSync(new URL("seed.sql", supabaseDir), "utf8");
  return client.transaction(async (query) => {
    await query("select pg_advisory_xact_lock(hashtextextended('ms8.migrate', 0))", []);
    // Supabase has its own auth schema and roles; supabase_admin only exists there.
    const onSupabase = (
      await query("select exists (select from pg_roles where rolname = 'supabase_admin') as yes", [])
    )[0]?.yes;
    const compat = opts.compat === undefined || opts.compat === "auto" ? !onSupabase : opts.compat;
    if (compat) await query(compatSql);
    await query(`create schema if not exists supabase_migrations;
      create table if not exists supabase_migrations.schema_migrations (version text primary key, statements text[], name text)`);
    const done = new Set(
      (await query("select version from supabase_migrations.schema_migrations", [])).map((r) => r.version),
    );
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file.version)) continue;
      await query(file.sql);
      await query("insert into supabase_migrations.schema_migrations (version, name) values ($1, $2)", [
        file.version,
        file.name,
      ]);
      applied.push(`${file.version}_${file.name}`);
    }
    if (opts.seed) await query(seedSql);
    return { applied, compat: Boolean(compat) };
  });
}
