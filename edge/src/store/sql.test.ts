import { describe, expect, expectTypeOf, it } from "vitest";
import type { AnalyticsStore as ApiStorePort, AppDeps } from "../deps.ts";
import { storeContractSuite } from "./contract-suite.ts";
import { migrate, migrationFiles } from "./migrate.ts";
import { createSqlStore } from "./sql.ts";
import { freshDatabase, freshPglite } from "./testing.ts";
import type { AnalyticsStore } from "./types.ts";

storeContractSuite("SQL adapter on the PostgreSQL server (postgres.js, prepare: false)", async () => {
  const db = await freshDatabase();
  return { store: createSqlStore(db.client), teardown: () => db.drop() };
});

storeContractSuite("SQL adapter on the embedded PGlite", async () => {
  const client = await freshPglite();
  return { store: createSqlStore(client), teardown: () => client.close() };
});

it("is what the API's ports ask for (checked by tsc)", () => {
  expectTypeOf<AnalyticsStore>().toExtend<ApiStorePort>();
  expectTypeOf<AnalyticsStore>().toExtend<NonNullable<AppDeps["ledger"]>>();
});

describe("migrations from zero", () => {
  const expected = migrationFiles().map((f) => `${f.version}_${f.name}`);

  it("apply on the PostgreSQL server, then are recorded and not applied twice", async () => {
    const db = await freshDatabase(); // freshDatabase itself migrates from an empty database
    try {
      const [row] = await db.client.transaction((q) =>
        q(
          "select array_agg(version || '_' || name order by version) as v from supabase_migrations.schema_migrations",
          [],
        ),
      );
      expect(row?.v).toEqual(expected);
      expect(await migrate(db.client)).toEqual({ applied: [], compat: true });
    } finally {
      await db.drop();
    }
  });

  it("apply on PGlite with the same files", async () => {
    const { PGlite } = await import("@electric-sql/pglite");
    const { pgliteClient } = await import("./sql.ts");
    const client = pgliteClient(await PGlite.create());
    try {
      expect(await migrate(client, { seed: true })).toEqual({ applied: expected, compat: true });
      const [row] = await client.transaction((q) =>
        q(
          "select count(*)::int as n from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' and relrowsecurity",
          [],
        ),
      );
      expect(row?.n).toBe(11);
    } finally {
      await client.close();
    }
  });
});
