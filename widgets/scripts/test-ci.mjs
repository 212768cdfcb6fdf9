// `pnpm test:ci` for the widgets: the Chromium suite (web-test-runner) and `storybook build`, as
// {"passed","failed","skipped"} in $MS8_RESULTS_DIR/widgets.json for the root runner to add up.
// The Storybook build counts as one check. The script-tag tests need dist/, so build if missing.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const resultsDir = process.env.MS8_RESULTS_DIR ?? join(root, "..", ".test-results");
mkdirSync(resultsDir, { recursive: true });
const wtrResults = join(resultsDir, "widgets-wtr.tmp");
const env = { ...process.env, STORYBOOK_DISABLE_TELEMETRY: "1", MS8_WTR_RESULTS: wtrResults };
const run = (args) => spawnSync("pnpm", args, { cwd: root, stdio: "inherit", env }).status === 0;

const totals = { passed: 0, failed: 0, skipped: 0 };

if (!existsSync(join(root, "dist", "ms8-widgets.js")) && !run(["run", "build"])) totals.failed += 1;

rmSync(wtrResults, { force: true });
const wtrOk = run(["exec", "wtr"]);
if (existsSync(wtrResults)) {
  const counted = JSON.parse(readFileSync(wtrResults, "utf8"));
  totals.passed += counted.passed;
  totals.failed += counted.failed;
  totals.skipped += counted.skipped;
  rmSync(wtrResults);
}
if (!wtrOk && totals.failed === 0) totals.failed += 1;

console.log("\n▶ storybook build");
if (run(["run", "build-storybook"])) totals.passed += 1;
else totals.failed += 1;

writeFileSync(join(resultsDir, "widgets.json"), `${JSON.stringify(totals)}\n`);
console.log(`widgets: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed === 0 ? 0 : 1);
