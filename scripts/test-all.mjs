// The whole test suite behind `npm test`: lint, typecheck, build, then every workspace package's
// `test:ci` with the services they need (a real PostgreSQL server, Chromium), ending with one
// line "N passed, N failed" that adds up every suite.
//
// Contract for a package's `test:ci`: write one or more JSON result files into $MS8_RESULTS_DIR,
// either Vitest/Jest JSON (numPassedTests, numFailedTests) or {"passed", "failed", "skipped"}.
// A suite that exits non-zero without reporting a failure counts as one failure.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { startPostgres } from "./postgres-server.mjs";
import { ensureSystemDeps } from "./system-deps.mjs";

const root = new URL("..", import.meta.url).pathname;
const resultsDir = join(root, ".test-results");
const packages = ["edge", "supabase", "widgets", "demo-host"];

const tally = [];
const record = (suite, passed, failed, skipped = 0) => tally.push({ suite, passed, failed, skipped });

function run(cmd, args, env = {}) {
  const started = Date.now();
  const result = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  return { ok: result.status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1) };
}

function check(name, cmd, args) {
  console.log(`\n▶ ${name}`);
  const { ok, seconds } = run(cmd, args);
  console.log(`${ok ? "✓" : "✗"} ${name} (${seconds} s)`);
  record(name, ok ? 1 : 0, ok ? 0 : 1);
  return ok;
}

function readResults(suite) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const file of readdirSync(resultsDir).filter((f) => f.endsWith(".json"))) {
    const r = JSON.parse(readFileSync(join(resultsDir, file), "utf8"));
    if (typeof r.numPassedTests === "number") {
      passed += r.numPassedTests;
      failed += r.numFailedTests;
      skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
      // Vitest reports errors outside tests (a file that fails to import) as success: false.
      if (r.success === false && r.numFailedTests === 0) failed += 1;
    } else {
      passed += r.passed ?? 0;
      failed += r.failed ?? 0;
      skipped += r.skipped ?? 0;
    }
  }
  return { suite, passed, failed, skipped };
}

let postgres;
try {
  ensureSystemDeps();
  check("lint (biome)", "pnpm", ["exec", "biome", "check", "--diagnostic-level=error", "."]);
  check("typecheck (tsc --build, workerd types)", "bash", ["scripts/typecheck.sh"]);
  check("build", "pnpm", ["-r", "--if-present", "run", "build"]);

  postgres = await startPostgres();
  const env = {
    MS8_RESULTS_DIR: resultsDir,
    MS8_TEST_DATABASE_URL: postgres.url,
    CHROMIUM_PATH: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    STORYBOOK_DISABLE_TELEMETRY: "1",
    WRANGLER_SEND_METRICS: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    // Plain text: the log of a CI run is read in places that show escape codes as noise.
    NO_COLOR: "1",
  };
  for (const pkg of packages) {
    rmSync(resultsDir, { recursive: true, force: true });
    mkdirSync(resultsDir, { recursive: true });
    console.log(`\n▶ ${pkg}`);
    const { ok, seconds } = run("pnpm", ["--dir", pkg, "run", "--silent", "test:ci"], env);
    const r = readResults(pkg);
    if (!ok && r.failed === 0) r.failed = 1;
    if (ok && r.passed === 0) r.failed += 1; // a suite that ran nothing proves nothing
    console.log(`${r.failed ? "✗" : "✓"} ${pkg}: ${r.passed} passed, ${r.failed} failed (${seconds} s)`);
    tally.push(r);
  }
} catch (error) {
  console.error(`\n✗ test run stopped: ${error.message}`);
  record("setup", 0, 1);
} finally {
  postgres?.stop();
}

const sum = (key) => tally.reduce((n, t) => n + t[key], 0);
console.log("\nSummary:");
for (const t of tally) console.log(`  ${t.failed ? "✗" : "✓"} ${t.suite}: ${t.passed} passed, ${t.failed} failed`);
const skipped = sum("skipped");
console.log(`${sum("passed")} passed, ${sum("failed")} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(sum("failed") === 0 ? 0 : 1);
