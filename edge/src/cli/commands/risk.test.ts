import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ouladCases, readOuladTables } from "../../../scripts/oulad/convert.ts";
import { writeMiniOulad } from "../../../scripts/oulad/mini-oulad.ts";
import { scoreDropoffRisk } from "../../analytics/risk.ts";

const ms8 = fileURLToPath(new URL("../ms8.ts", import.meta.url));
const dir = writeMiniOulad();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `ms8 <args>` as a real process, feeding `input` on stdin. */
function runMs8(args: string[], input = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [ms8, ...args], { maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(input);
  });
}

describe("ms8 oulad-snapshots", () => {
  it("writes one snapshot per open registration as JSON lines", async () => {
    const { code, stdout } = await runMs8(["oulad-snapshots", dir, "--day", "28"]);
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toEqual(ouladCases(readOuladTables(dir), 28).map((c) => c.snapshot));
    const outcomes = await runMs8(["oulad-snapshots", dir, "--day", "28", "--outcomes"]);
    expect(
      outcomes.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { learnerId: "XXX-2013J-100", module: "XXX", withdrawsAfterDay: false },
      { learnerId: "XXX-2013J-101", module: "XXX", withdrawsAfterDay: true },
      { learnerId: "YYY-2014B-100", module: "YYY", withdrawsAfterDay: false },
    ]);
  });

  it("refuses a missing day or directory with a usage message", async () => {
    const noDay = await runMs8(["oulad-snapshots", dir]);
    expect(noDay.code).toBe(2);
    expect(noDay.stderr).toMatch(/--day/);
    const noDir = await runMs8(["oulad-snapshots", `${dir}-missing`, "--day", "3"]);
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toMatch(/no such directory/);
  });
});

describe("ms8 risk", () => {
  it("prints scoreDropoffRisk's answer for each snapshot, and names the bad line without losing the rest", async () => {
    const snapshots = ouladCases(readOuladTables(dir), 28).map((c) => c.snapshot);
    const bad = { ...snapshots[0], timeZone: "Mars/Olympus" };
    const input = [
      JSON.stringify(snapshots[0]),
      "",
      JSON.stringify(bad),
      "{not json",
      JSON.stringify(snapshots[1]),
      JSON.stringify(snapshots[2]),
    ].join("\n");
    const { code, stdout, stderr } = await runMs8(["risk"], input);
    expect(code).toBe(1);
    const answers = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(answers).toEqual([snapshots[0], snapshots[1], snapshots[2]].map((s) => scoreDropoffRisk(s!)));
    expect(answers[0]).toHaveProperty("riskLevel");
    expect(stderr).toMatch(/line 3: not a learner snapshot: timeZone: an IANA time zone/);
    expect(stderr).toMatch(/line 4: not JSON/);
    expect(stderr).toMatch(/2 of 6 lines rejected/);
  });

  it("exits 0 on clean input", async () => {
    const snapshots = ouladCases(readOuladTables(dir), 14).map((c) => JSON.stringify(c.snapshot));
    const { code, stdout, stderr } = await runMs8(["risk"], `${snapshots.join("\n")}\n`);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout.trim().split("\n")).toHaveLength(snapshots.length);
  });
});

describe("ms8 risk-eval", () => {
  it("reports the figures per day as JSON, scoring with the committed model", async () => {
    const { code, stdout } = await runMs8(["risk-eval", dir, "--days", "28", "--json"]);
    expect(code).toBe(0);
    const [day28] = JSON.parse(stdout);
    expect(day28).toMatchObject({ day: 28, mode: "committed", count: 3, withdrawals: 1 });
    const risks = ouladCases(readOuladTables(dir), 28).map((c) => ({
      risk: scoreDropoffRisk(c.snapshot).riskScore,
      withdrew: c.withdrawsAfterDay,
    }));
    const expectedBrier = risks.reduce((s, r) => s + (r.risk - (r.withdrew ? 1 : 0)) ** 2, 0) / 3;
    expect(day28.brier).toBeCloseTo(expectedBrier, 12);
    expect(day28.baseRateBrier).toBeCloseTo((1 / 3) * (2 / 3), 12);
  });

  it("refuses days that are not whole numbers", async () => {
    const { code, stderr } = await runMs8(["risk-eval", dir, "--days", "28,abc"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--days/);
  });
});
