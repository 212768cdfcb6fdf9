/**
 * `pnpm ms8 refresh` as a real process against a real PostgreSQL database and the simulator over
 * HTTP, configured through the environment exactly as the BFF is.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../../simulator/server.ts";
import { defaultAnalytics } from "../../insights/analytics.ts";
import { createSqlStore } from "../../store/sql.ts";
import { freshDatabase, type TestDatabase } from "../../store/testing.ts";
import type { AnalyticsStore } from "../../store/types.ts";

const ms8 = fileURLToPath(new URL("../ms8.ts", import.meta.url));
const SECRET = "local-dev-only-refresh-cli-service-secret-0123456789";

let sim: Simulator;
let db: TestDatabase;
let store: AnalyticsStore;

beforeAll(async () => {
  sim = await startSimulator({ serviceSecret: SECRET, learners: 40 });
  db = await freshDatabase();
  store = createSqlStore(db.client);
});
afterAll(async () => {
  await sim.stop();
  await db.drop();
});

function runMs8(args: string[], extraEnv: Record<string, string> = {}) {
  const env = {
    PATH: process.env.PATH ?? "",
    NODE_ENV: "test",
    LOG_LEVEL: "warn",
    DATABASE_URL: db.url,
    SERVICE_SECRET: SECRET,
    JWT_SECRET: "local-dev-only-refresh-cli-jwt-secret-0123456789abcdef",
    MOCK_FALLBACK: "false",
    ...sim.env,
    ...extraEnv,
  };
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [ms8, "refresh", ...args], { env }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("ms8 refresh", () => {
  it("--org fills an organization's lists with every learner the Directory lists, before any event", async () => {
    const orgId = "org-cascade";
    const learners = [...sim.world.learners.keys()].filter((id) => sim.world.users.get(id)!.orgId === orgId);
    expect((await store.listLearners(orgId, { limit: 200 })).items).toEqual([]);

    const { code, stdout, stderr } = await runMs8(["--org", orgId]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const summary = JSON.parse(stdout.trim());
    expect(summary).toMatchObject({ orgId, learners: learners.length, failed: [] });
    expect(summary.bySource.realtime).toBe(learners.length);
    const listed = (await store.listLearners(orgId, { limit: 200 })).items.map((l) => l.learnerId);
    expect(listed.sort()).toEqual([...learners].sort());
    expect((await store.orgSummary(orgId)).learnerCount).toBe(learners.length);
  });

  it("without --org runs the timer's job once: the due snapshots, then nothing", async () => {
    // One stored learner's snapshot, from older formulas: due at once.
    const [learnerId] = [...sim.world.learners.keys()].filter((id) => sim.world.users.get(id)!.orgId === "org-cascade");
    const stored = (await store.readSnapshot(learnerId!, "dropoff_risk"))!;
    await store.writeSnapshot({
      ...stored,
      computationVersion: "analytics-v1+oulad-2013-v1",
      calculatedAt: new Date(stored.calculatedAt.getTime() + 1),
    });
    // A batch of one: the due learner fills it, no room for a roster check.
    const first = await runMs8(["--batch", "1"]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout.trim())).toMatchObject({
      due: 1,
      otherVersion: 1,
      bySource: { realtime: 1 },
      rosters: [],
    });
    expect((await store.readSnapshot(learnerId!, "dropoff_risk"))!.computationVersion).toBe(defaultAnalytics.version);
    expect(JSON.parse((await runMs8(["--batch", "1"])).stdout.trim())).toMatchObject({ due: 0 });
  });

  it("with room in the batch checks organizations' rosters, until every learner the Directory lists is stored", async () => {
    const orgs = [...new Set([...sim.world.users.values()].map((u) => u.orgId))].sort();
    const checked: string[] = [];
    for (let run = 0; run < orgs.length + 2; run++) {
      const { code, stdout } = await runMs8([]);
      expect(code).toBe(0);
      const summary = JSON.parse(stdout.trim());
      if (summary.rosters.length === 0) break;
      checked.push(...summary.rosters.map((r: { orgId: string }) => r.orgId));
    }
    expect([...new Set(checked)].sort()).toEqual(orgs);
    for (const orgId of orgs) {
      const learners = [...sim.world.learners.keys()].filter((id) => sim.world.users.get(id)!.orgId === orgId);
      const listed = (await store.listLearners(orgId, { limit: 200 })).items.map((l) => l.learnerId);
      expect(listed.sort(), orgId).toEqual(learners.sort());
    }
  });

  it("refuses bad arguments with a message and exit code 2, touching nothing", async () => {
    const badBatch = await runMs8(["--batch", "0"]);
    expect(badBatch.code).toBe(2);
    expect(badBatch.stderr).toMatch(/^ms8 refresh: --batch must be 1 or more/);
    const unknown = await runMs8(["--orgs", "x"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/usage:/);
  });
});
