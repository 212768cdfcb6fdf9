/**
 * The refresh job's cron trigger inside workerd: worker.ts's `scheduled` handler, deps from
 * bindings, reads the due snapshots through supabase-js (the PostgREST stand-in in front of a real
 * Postgres) and recomputes them from the simulator's nine services over real HTTP, all of which
 * global-setup.ts runs in a Node child (workerd cannot start servers).
 */
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { sign } from "hono/jwt";
import { describe, expect, inject, it } from "vitest";
import { defaultAnalytics } from "../src/insights/analytics.ts";
import { createSupabaseStore } from "../src/store/supabase.ts";
import worker, { type WorkerBindings } from "../src/worker.ts";
import type {} from "./postgrest-standin/provided.ts";

const standin = inject("supabaseStandin");
const OLDER_FORMULAS = "analytics-v1+oulad-2013-v1";
/** The test bindings of vitest.workers.config.ts (secrets, no database, no upstream URLs). */
const testBindings = env as unknown as WorkerBindings;

async function runCron(bindings: WorkerBindings) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: "*/15 * * * *" }), bindings, ctx);
  await waitOnExecutionContext(ctx);
}

describe.runIf(standin)("the refresh job's cron trigger inside workerd", () => {
  it("recomputes a snapshot of older formulas through supabase-js and the simulator", async () => {
    const { url, jwtSecret, simulator } = standin!;
    const now = Math.floor(Date.now() / 1000);
    const serviceRoleKey = await sign({ role: "service_role", iat: now, exp: now + 3600 }, jwtSecret, "HS256");
    const store = createSupabaseStore({ url, serviceRoleKey, jwtSecret });
    const { learnerId, orgId } = simulator.learners[0]!;
    await store.upsertDirectoryUsers([
      { userId: learnerId, orgId, displayName: learnerId, roles: ["learner"], timeZone: "UTC", trainerIds: [] },
    ]);
    // Stored long ago by older formulas: first in the queue, whatever else this database holds.
    const calculatedAt = new Date("2000-01-01T00:00:00Z");
    await store.writeSnapshot({
      learnerId,
      orgId,
      kind: "dropoff_risk",
      computationVersion: OLDER_FORMULAS,
      payload: { learnerId, riskScore: 0.5, riskLevel: "high", factors: [] },
      calculatedAt,
      expiresAt: new Date("2000-01-01T04:00:00Z"),
    });
    await runCron({
      ...testBindings,
      ...simulator.env,
      SERVICE_SECRET: simulator.serviceSecret,
      SUPABASE_URL: url,
      SUPABASE_SERVICE_ROLE_KEY: serviceRoleKey,
      SUPABASE_JWT_SECRET: jwtSecret,
      // One learner: the oldest due row is this test's, and the store contract suite, which may
      // share this database, keeps its own rows unclaimed.
      SNAPSHOT_REFRESH_BATCH: "1",
      MOCK_FALLBACK: "false",
    });

    const after = (await store.readSnapshot<{ riskScore: number }>(learnerId, "dropoff_risk"))!;
    expect(after.computationVersion).toBe(defaultAnalytics.version);
    expect(after.calculatedAt.getTime()).toBeGreaterThan(calculatedAt.getTime());
    expect(after.payload.riskScore).toBeGreaterThan(0);
    // Velocity and forecast were computed with it, by the same formulas.
    expect((await store.readSnapshot(learnerId, "velocity"))?.computationVersion).toBe(defaultAnalytics.version);
  });

  it("without a database has nothing to refresh, and says so instead of failing", async () => {
    await expect(runCron({ ...testBindings })).resolves.toBeUndefined();
  });
});
