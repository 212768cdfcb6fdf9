/**
 * `pnpm --dir edge run train:risk [dir]`: fits the drop-off model on the OULAD tables in `dir`
 * (default: the 2013 presentations) and writes src/analytics/dropoff-model.ts.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ouladCases, readOuladTables } from "./convert.ts";
import { defaultOuladDir } from "./paths.ts";
import { fitCalibrated, labelledSignals, modelSource, TRAINING_DAYS } from "./train.ts";

const dir = process.argv[2] ?? defaultOuladDir;
const tables = readOuladTables(dir);
const rows = TRAINING_DAYS.flatMap((day) => labelledSignals(ouladCases(tables, day), day));
const presentations = [...new Set(tables.courses.map((c) => c.presentation))].sort().join(", ");
// v2: the same weights as v1; the levels became relative to the typical learner at the same week.
const model = fitCalibrated(
  rows,
  "oulad-2013-v2",
  `OULAD presentations ${presentations}: ${rows.length} snapshots at days ${TRAINING_DAYS.join(", ")}`,
);
const target = new URL("../../src/analytics/dropoff-model.ts", import.meta.url);
writeFileSync(target, modelSource(model));
// House format, so a retrain with unchanged data leaves the committed file byte for byte as it was.
execFileSync("pnpm", ["exec", "biome", "format", "--write", fileURLToPath(target)], { stdio: "ignore" });
console.log(JSON.stringify(model, null, 2));
