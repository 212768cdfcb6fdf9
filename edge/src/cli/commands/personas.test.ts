import { afterEach, describe, expect, it, vi } from "vitest";
import { startSimulator } from "../../../simulator/server.ts";
import { run } from "./personas.ts";

async function captured(args: string[], env: Record<string, string | undefined> = {}) {
  const lines: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return { code: await run(args), out: lines.join("\n") };
  } finally {
    log.mockRestore();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
afterEach(() => vi.restoreAllMocks());

describe("ms8 personas", () => {
  it("prints a learner, trainer and org admin per organization with credentials and every learner id", async () => {
    const { code, out } = await captured(["--json"], { SIM_NOW: "2026-11-20T12:00:00Z" });
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.personas).toHaveLength(9);
    for (const orgId of ["org-aurora", "org-borealis", "org-cascade"]) {
      const roles = report.personas
        .filter((p: { orgId: string }) => p.orgId === orgId)
        .map((p: { role: string }) => p.role);
      expect(roles.sort()).toEqual(["learner", "org_admin", "trainer"]);
    }
    expect(report.personas[0]).toMatchObject({
      userId: "lrn-aurora-001",
      orgId: "org-aurora",
      roles: ["learner"],
      email: "learner@aurora.example",
      password: expect.stringMatching(/^local-dev-only-/),
    });
    const counts = report.organizations.map((o: { learnerIds: string[] }) => o.learnerIds.length);
    expect(counts.reduce((a: number, b: number) => a + b, 0)).toBe(500);
  });

  it("asks a running simulator when SIM_ADMIN_URL is set, and its personas sign in there", async () => {
    const sim = await startSimulator({ now: new Date("2026-11-20T12:00:00Z"), seed: 3, learners: 30 });
    try {
      const { code, out } = await captured(["--json"], { SIM_ADMIN_URL: sim.baseUrl });
      expect(code).toBe(0);
      const report = JSON.parse(out);
      expect(report.seed).toBe(3);
      expect(report.organizations[0].learnerIds).toHaveLength(10);
    } finally {
      await sim.stop();
    }
  });

  it("refuses unknown flags with a usage line", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    expect((await captured(["--yaml"])).code).toBe(2);
    expect(error.mock.calls[0]![0]).toContain("usage: pnpm ms8 personas");
  });
});
