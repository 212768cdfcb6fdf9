/**
 * `pnpm --dir edge run bench:risk [dir]`: the full evaluation of the drop-off model on the OULAD
 * tables (default: the 2013 presentations), cross-validated by module and with the committed
 * model, for days 14, 28 and 56. Prints the figures and writes them into docs/risk-model.md
 * between the bench:risk markers, so the document always carries the last measured numbers.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dropoffModel } from "../../src/analytics/dropoff-model.ts";
import { readOuladTables } from "./convert.ts";
import { evaluateOulad, evaluationDetails, evaluationTable } from "./evaluation.ts";
import { defaultOuladDir } from "./paths.ts";

const dir = process.argv[2] ?? defaultOuladDir;
const started = performance.now();
const tables = readOuladTables(dir);
const crossValidated = evaluateOulad(tables, { mode: "cross-validated" });
const committed = evaluateOulad(tables, { mode: "committed" });
const seconds = ((performance.now() - started) / 1000).toFixed(1);

const section = [
  `Measured by \`pnpm --dir edge run bench:risk\` on ${new Date().toISOString().slice(0, 10)} (${seconds} s), model`,
  `\`${dropoffModel.version}\`. *cross-validated*: each module scored by a model fitted without it (the honest`,
  "figure for a module the model has not seen); *committed*: the committed model, as the API runs it, on the data it",
  "was fitted on.",
  "",
  evaluationTable([...crossValidated, ...committed].sort((a, b) => a.day - b.day || a.mode.localeCompare(b.mode))),
  "",
  "#### Cross-validated by module",
  "",
  evaluationDetails(crossValidated),
  "#### Committed model",
  "",
  evaluationDetails(committed),
].join("\n");

console.log(section);
const doc = new URL("../../../docs/risk-model.md", import.meta.url);
const start = "<!-- bench:risk:start -->";
const end = "<!-- bench:risk:end -->";
const text = readFileSync(doc, "utf8");
const from = text.indexOf(start);
const to = text.indexOf(end);
if (from < 0 || to < from) {
  console.error(`bench:risk: ${doc.pathname} has no ${start} ... ${end} section; figures not written`);
  process.exitCode = 1;
} else {
  writeFileSync(doc, `${text.slice(0, from + start.length)}\n${section}\n${text.slice(to)}`);
  console.error(`bench:risk: figures written to docs/risk-model.md`);
}
