/**
 * `pnpm ms8 risk-eval <oulad-dir> [--days 14,28,56] [--cross-validate] [--json]`: how well the
 * drop-off model predicts "withdraws after day D" on a set of OULAD presentations: ROC AUC,
 * Brier score against the base rate's, calibration by deciles, share of withdrawals in the
 * riskiest 20 %, per risk level. By default it scores with the committed model (the API's), which
 * is how it is judged on presentations it never saw; --cross-validate refits it leaving out one
 * module at a time (the figures of docs/risk-model.md).
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { readOuladTables } from "../../../scripts/oulad/convert.ts";
import { evaluateOulad, evaluationMarkdown } from "../../../scripts/oulad/evaluation.ts";

export const summary = "evaluate the drop-off model on OULAD tables (AUC, Brier, calibration, top-20 % capture)";

const usage = "usage: pnpm ms8 risk-eval <oulad-dir> [--days 14,28,56] [--cross-validate] [--json]";

export async function run(args: string[]): Promise<number> {
  let values: { days?: string; "cross-validate"?: boolean; json?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        days: { type: "string", default: "14,28,56" },
        "cross-validate": { type: "boolean" },
        json: { type: "boolean" },
        help: { type: "boolean" },
      },
    }));
  } catch (err) {
    console.error(`ms8 risk-eval: ${(err as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.error(usage);
    return 0;
  }
  const days = (values.days ?? "").split(",").map(Number);
  const dir = positionals[0];
  if (!dir || positionals.length > 1 || days.some((d) => !Number.isInteger(d) || d < 0)) {
    console.error(`ms8 risk-eval: need one directory and --days as whole numbers >= 0\n${usage}`);
    return 2;
  }
  if (!existsSync(dir)) {
    console.error(`ms8 risk-eval: no such directory: ${dir}`);
    return 2;
  }
  const results = evaluateOulad(readOuladTables(dir), {
    days,
    mode: values["cross-validate"] ? "cross-validated" : "committed",
  });
  console.log(values.json ? JSON.stringify(results, null, 2) : evaluationMarkdown(results));
  return 0;
}
