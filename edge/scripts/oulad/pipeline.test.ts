/**
 * The whole risk pipeline on a slice of the real OULAD 2013 tables: convert -> snapshots (JSON
 * lines) -> `ms8 risk` as a process -> evaluation. The full run is `pnpm --dir edge run bench:risk`.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type OuladTables, ouladCases, readOuladTables } from "./convert.ts";
import { evaluateOulad } from "./evaluation.ts";
import { evaluate } from "./metrics.ts";
import { defaultOuladDir } from "./paths.ts";

const ms8 = fileURLToPath(new URL("../../src/cli/ms8.ts", import.meta.url));

/** Every sixth registration of every presentation, with the tables it needs. */
function slice(tables: OuladTables): OuladTables {
  return { ...tables, registrations: tables.registrations.filter((_, i) => i % 6 === 0) };
}

describe("risk pipeline on real OULAD rows", () => {
  it("finds the OULAD tables beside the repository", () => {
    expect(existsSync(defaultOuladDir), `OULAD 2013 expected at ${defaultOuladDir}`).toBe(true);
  });

  const tables = slice(readOuladTables(defaultOuladDir));

  it("converts, scores through `ms8 risk` and evaluates to finite figures", () => {
    const cases = ouladCases(tables, 28);
    expect(cases.length).toBeGreaterThan(1500);
    const input = cases.map((c) => JSON.stringify(c.snapshot)).join("\n");
    const stdout = execFileSync(process.execPath, [ms8, "risk"], { input, maxBuffer: 256 << 20 }).toString();
    const answers = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(answers.map((a) => a.learnerId)).toEqual(cases.map((c) => c.snapshot.learnerId));
    const result = evaluate(answers.map((a, i) => ({ risk: a.riskScore, withdrew: cases[i]!.withdrawsAfterDay })));
    expect(Number.isFinite(result.auc)).toBe(true);
    expect(Number.isFinite(result.brier)).toBe(true);
    // The model ranks real leavers above stayers and beats always guessing the base rate.
    expect(result.auc).toBeGreaterThan(0.6);
    expect(result.brier).toBeLessThan(result.baseRateBrier);
    expect(result.calibration).toHaveLength(10);
  });

  it("cross-validates by module on the slice", () => {
    const results = evaluateOulad(tables, { days: [28], mode: "cross-validated" });
    expect(results).toHaveLength(1);
    const [r] = results;
    expect(Object.keys(r!.moduleAuc)).toEqual(["AAA", "BBB", "DDD", "EEE", "FFF", "GGG"]);
    expect(Number.isFinite(r!.auc)).toBe(true);
    expect(r!.brier).toBeGreaterThan(0);
    expect(r!.top20Capture).toBeGreaterThan(0.2); // better than picking one learner in five at random
  });
});
