import { describe, expect, expectTypeOf, it } from "vitest";
import type { AnalyticsStore as ApiStorePort, AppDeps } from "../deps.ts";
import { storeContractSuite } from "./contract-suite.ts";
import { migrate, migrationFiles } from "./migrate.ts";
import { createSqlStore, postgresClient } from "./sql.ts";
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
      expect(row?.n).toBe(12);
    } finally {
      await client.close();
    }
  });
});

describe("the refresh queue under concurrent claims (PostgreSQL server)", () => {
  it("never hands the same learner to two instances claiming at once", async () => {
    const db = await freshDatabase();
    // Two BFF instances: two stores, each with its own connections to the one database.
    const second = postgresClient(db.url, { max: 4 });
    try {
      const one = createSqlStore(db.client);
      const two = createSqlStore(second);
      const ids = Array.from({ length: 60 }, (_, i) => `lrn-q-${String(i).padStart(2, "0")}`);
      await one.upsertDirectoryUsers(
        ids.map((userId) => ({ userId, orgId: "org-q", displayName: userId, roles: ["learner"], timeZone: "UTC" })),
      );
      for (const [i, learnerId] of ids.entries()) {
        await one.writeSnapshot({
          learnerId,
          orgId: "org-q",
          kind: "dropoff_risk",
          computationVersion: "v2",
          payload: { riskScore: 0.2, riskLevel: "low", factors: [] },
          calculatedAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
          expiresAt: new Date(Date.UTC(2026, 0, 1, 4, i)),
        });
      }
      const now = new Date("2026-01-02T00:00:00Z");
      const claim = (store: AnalyticsStore) =>
        store.claimDueRiskSnapshots({ now, version: "v2", retiredVersions: [], limit: 25, leaseSeconds: 600 });
      // Eight claims in flight at once, four from each instance.
      const claims = await Promise.all([one, two, one, two, one, two, one, two].map(claim));
      const claimed = claims.flatMap((c) => c.map((d) => d.learnerId));
      expect(new Set(claimed).size).toBe(claimed.length); // no learner twice
      expect(claimed.length).toBeGreaterThanOrEqual(25); // and the work did get handed out
      // What no claim got is still there for the next one, oldest first.
      const rest = await claim(one);
      expect(rest.map((d) => d.learnerId)).toEqual(ids.filter((id) => !claimed.includes(id)).slice(0, 25));
    } finally {
      await second.close();
      await db.drop();
    }
  });

  it("never hands one organization's roster check to two instances claiming at once", async () => {
    const db = await freshDatabase();
    const second = postgresClient(db.url, { max: 4 });
    try {
      const one = createSqlStore(db.client);
      const two = createSqlStore(second);
      const orgIds = Array.from({ length: 6 }, (_, i) => `org-r-${i}`);
      const now = new Date("2026-01-02T00:00:00Z");
      const claim = (store: AnalyticsStore) =>
        store.claimDueRosterCheck({ now, everySeconds: 3600, leaseSeconds: 600, orgIds });
      // Ten claims in flight at once, five from each instance, for six organizations.
      const claimed = await Promise.all([one, two, one, two, one, two, one, two, one, two].map(claim));
      const got = claimed.filter((id): id is string => id !== null);
      expect(new Set(got).size).toBe(got.length); // no organization twice
      expect(got.length).toBeGreaterThanOrEqual(1);
      // Whatever no claim got is still there for the next ones, and then none is left.
      const rest: string[] = [];
      for (let id = await claim(one); id !== null; id = await claim(one)) rest.push(id);
      expect([...got, ...rest].sort()).toEqual(orgIds);
    } finally {
      await second.close();
      await db.drop();
    }
  });
});
