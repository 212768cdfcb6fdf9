/**
 * Test support (never imported by the app): a fresh, migrated database per test file on the
 * server of $MS8_TEST_DATABASE_URL (a superuser URL; the root runner passes one) or on a
 * throwaway server of our own, and a migrated in-memory PGlite.
 */
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { migrate } from "./migrate.ts";
import { pgliteClient, postgresClient, type SqlClient } from "./sql.ts";

interface Server {
  url: string;
  stop(): void;
}
// Our own server when $MS8_TEST_DATABASE_URL is unset: started by the first freshDatabase() of the
// process and stopped when its last database is dropped (a vitest worker may never see "exit").
let ownServer: Promise<Server> | null = null;
let openDatabases = 0;

async function serverUrl(): Promise<string> {
  if (process.env.MS8_TEST_DATABASE_URL) return process.env.MS8_TEST_DATABASE_URL;
  // A path held in a variable: scripts/*.mjs is plain JS outside the TypeScript project.
  const script = new URL("../../../scripts/postgres-server.mjs", import.meta.url).href;
  ownServer ??= (import(script) as Promise<{ startPostgres(): Promise<Server> }>).then(async (m) => {
    const server = await m.startPostgres();
    process.once("exit", () => server.stop());
    return server;
  });
  return (await ownServer).url;
}

async function released() {
  openDatabases -= 1;
  if (openDatabases === 0 && ownServer) {
    const server = await ownServer;
    ownServer = null;
    server.stop();
  }
}

export interface TestDatabase {
  /** Superuser URL of the fresh database. */
  url: string;
  client: SqlClient;
  drop(): Promise<void>;
}

/** Create `ms8_test_<random>`, apply compat + migrations (+ seed), connect. */
export async function freshDatabase(opts: { seed?: boolean; max?: number } = {}): Promise<TestDatabase> {
  openDatabases += 1;
  const admin = new URL(await serverUrl());
  const name = `ms8_test_${randomBytes(6).toString("hex")}`;
  const root = postgres(admin.href, { max: 1, onnotice: () => {} });
  await root.unsafe(`create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const client = postgresClient(url.href, { max: opts.max ?? 10 });
  await migrate(client, { seed: opts.seed ?? false });
  return {
    url: url.href,
    client,
    async drop() {
      await client.close();
      await root.unsafe(`drop database if exists ${name} with (force)`);
      await root.end();
      await released();
    },
  };
}

export async function freshPglite(opts: { seed?: boolean } = {}): Promise<SqlClient> {
  const client = pgliteClient(await PGlite.create());
  await migrate(client, { seed: opts.seed ?? false });
  return client;
}
