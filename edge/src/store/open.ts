/**
 * Node start-up (node.ts, the CLI, dev): the store for `DATABASE_URL`, or the embedded PGlite
 * under a data directory when it is unset, migrated to the current schema. Node only (files).
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { migrate } from "./migrate.ts";
import { createSqlStore, pgliteClient, postgresClient, type SqlClient } from "./sql.ts";
import type { AnalyticsStore } from "./types.ts";

export const DEFAULT_PGLITE_DIR = fileURLToPath(new URL("../../../.data/pglite", import.meta.url));

export interface OpenedStore {
  store: AnalyticsStore;
  engine: "postgres" | "pglite";
  /** For GET /health: one round trip within `timeoutMs`; resolves, never throws. */
  health(timeoutMs?: number): Promise<{ state: "healthy" | "down"; detail?: string }>;
}

export async function openNodeStore(
  opts: {
    databaseUrl?: string;
    /** PGlite's directory when databaseUrl is unset; "memory" keeps it in memory. */
    dataDir?: string;
    /** Apply pending migrations (and the compat file off Supabase) first; default true. */
    migrate?: boolean;
    /** Also apply supabase/seed.sql (the demo organizations); default false. */
    seed?: boolean;
    /** postgres.js pool size. */
    max?: number;
  } = {},
): Promise<OpenedStore> {
  let client: SqlClient;
  let engine: OpenedStore["engine"];
  if (opts.databaseUrl) {
    client = postgresClient(opts.databaseUrl, { max: opts.max ?? 10 });
    engine = "postgres";
  } else {
    const dir = opts.dataDir ?? DEFAULT_PGLITE_DIR;
    if (dir !== "memory") mkdirSync(dir, { recursive: true });
    client = pgliteClient(await PGlite.create(dir === "memory" ? undefined : dir));
    engine = "pglite";
  }
  if (opts.migrate ?? true) await migrate(client, { seed: opts.seed ?? false });
  const store = createSqlStore(client);
  return {
    store,
    engine,
    async health(timeoutMs = 1000) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([store.ping(), timeout]);
        return { state: "healthy" };
      } catch (error) {
        return { state: "down", detail: (error as Error).message };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
