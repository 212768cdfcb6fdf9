/**
 * `pnpm ms8 oulad-snapshots <dir> --day <D>`: OULAD tables (courses, assessments,
 * studentAssessment, studentRegistration, studentInfo CSVs) -> one LearnerSnapshot per
 * registration still open at the end of day D, as JSON lines. Only what was known on day D goes in;
 * see edge/scripts/oulad/convert.ts and docs/risk-model.md. With --outcomes, each line is instead
 * {learnerId, module, withdrawsAfterDay} (the labels, kept out of the snapshots).
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { ouladCases, readOuladTables } from "../../../scripts/oulad/convert.ts";

export const summary = "convert OULAD tables to learner snapshots as of day D (JSON lines)";

const usage = "usage: pnpm ms8 oulad-snapshots <oulad-dir> --day <D> [--outcomes]";

export async function run(args: string[]): Promise<number> {
  let values: { day?: string; outcomes?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { day: { type: "string" }, outcomes: { type: "boolean" }, help: { type: "boolean" } },
    }));
  } catch (err) {
    console.error(`ms8 oulad-snapshots: ${(err as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.error(usage);
    return 0;
  }
  const dir = positionals[0];
  const day = Number(values.day);
  if (!dir || positionals.length > 1 || values.day === undefined || !Number.isInteger(day) || day < 0) {
    console.error(`ms8 oulad-snapshots: need one directory and --day as a whole number >= 0\n${usage}`);
    return 2;
  }
  if (!existsSync(dir)) {
    console.error(`ms8 oulad-snapshots: no such directory: ${dir}`);
    return 2;
  }
  let cases: ReturnType<typeof ouladCases>;
  try {
    cases = ouladCases(readOuladTables(dir), day);
  } catch (err) {
    console.error(`ms8 oulad-snapshots: ${(err as Error).message}`);
    return 1;
  }
  const lines = cases.map((c) =>
    JSON.stringify(
      values.outcomes
        ? { learnerId: c.snapshot.learnerId, module: c.module, withdrawsAfterDay: c.withdrawsAfterDay }
        : c.snapshot,
    ),
  );
  for (let i = 0; i < lines.length; i += 1000) {
    const chunk = `${lines.slice(i, i + 1000).join("\n")}\n`;
    if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once("drain", resolve));
  }
  return 0;
}
