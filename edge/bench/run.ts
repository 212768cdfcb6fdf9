/**
 * `pnpm bench [name...] [--quick]`: runs the benchmarks (all of them by default, in order), keeps
 * each result as JSON under bench/.results/ and writes docs/benchmarks.md from the latest result of
 * every benchmark. Each benchmark starts what it measures on loopback and stops it again; a hard
 * time limit per benchmark keeps the whole run bounded.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchmarks } from "./benchmarks/index.ts";
import { describeMachine } from "./lib/machine.ts";
import { stopAll } from "./lib/proc.ts";
import { renderReport } from "./lib/report.ts";
import { type BenchContext, type BenchResult, NotReady } from "./lib/types.ts";

const edgeDir = fileURLToPath(new URL("..", import.meta.url));
const root = join(edgeDir, "..");
const resultsDir = join(edgeDir, "bench", ".results");
const reportPath = join(root, "docs", "benchmarks.md");

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const names = args.filter((a) => !a.startsWith("--"));

if (args.includes("--list") || args.includes("--help")) {
  console.log("pnpm bench [name...] [--quick]\n");
  for (const b of benchmarks) console.log(`  ${b.name.padEnd(14)} ${b.title} (~${b.budgetSec} s)`);
  process.exit(0);
}
const unknown = names.filter((n) => !benchmarks.some((b) => b.name === n));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; known: ${benchmarks.map((b) => b.name).join(", ")}`);
  process.exit(2);
}
const selected = names.length ? benchmarks.filter((b) => names.includes(b.name)) : benchmarks;

const runId = new Date().toISOString().replaceAll(":", "-").slice(0, 19);
const logDir = join(root, ".data", "bench-logs", runId);
mkdirSync(resultsDir, { recursive: true });
const say = (line: string) => console.log(`bench: ${line}`);
const ctx: BenchContext = { root, edgeDir, logDir, quick, say };

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    interrupted = true;
    await stopAll();
    process.exit(130);
  });
}

const started = Date.now();
const machine = describeMachine(root, edgeDir);
let failures = 0;
const thisRun = new Map<string, BenchResult>();
for (const bench of selected) {
  if (interrupted) break;
  say(`${bench.name}: ${bench.title}`);
  const t0 = Date.now();
  const startedAt = new Date().toISOString();
  let result: BenchResult;
  const limitMs = (bench.budgetSec * 2 + 60) * 1000;
  let timer: NodeJS.Timeout | undefined;
  try {
    const outcome = await Promise.race([
      bench.run(ctx),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`stopped after the hard limit of ${limitMs / 1000} s`)), limitMs);
      }),
    ]);
    result = {
      name: bench.name,
      title: bench.title,
      startedAt,
      durationSec: (Date.now() - t0) / 1000,
      status: "ok",
      ...outcome,
    };
  } catch (error) {
    const notReady = error instanceof NotReady;
    if (!notReady) failures++;
    const message = error instanceof Error ? error.message : String(error);
    say(`${bench.name}: ${notReady ? "not ready" : "FAILED"}: ${message}`);
    result = {
      name: bench.name,
      title: bench.title,
      startedAt,
      durationSec: (Date.now() - t0) / 1000,
      status: notReady ? "not_ready" : "failed",
      goals: [],
      markdown: `${notReady ? "Not measured: the subject is not in this checkout yet." : "The run failed."}\n\n\`\`\`\n${message.slice(0, 4000)}\n\`\`\``,
    };
  } finally {
    clearTimeout(timer);
    await stopAll();
  }
  thisRun.set(bench.name, result);
  writeFileSync(join(resultsDir, `${bench.name}.json`), JSON.stringify({ ...result, quick }, null, 2));
  for (const goal of result.goals)
    say(
      `  ${goal.label}: ${goal.figure} (goal ${goal.target}) ${goal.met === null ? "" : goal.met ? "met" : "MISSED"}`,
    );
  say(`${bench.name}: ${result.status} in ${result.durationSec.toFixed(0)} s`);
}

// A full run reports only its own results. A sub-command refreshes its sections and keeps the
// latest kept result of the others (each section says when it was measured).
const results = new Map<string, BenchResult>(thisRun);
let anyQuick = quick;
if (names.length) {
  for (const bench of benchmarks) {
    const file = join(resultsDir, `${bench.name}.json`);
    if (thisRun.has(bench.name) || !existsSync(file)) continue;
    const kept = JSON.parse(readFileSync(file, "utf8")) as BenchResult & { quick?: boolean };
    anyQuick ||= Boolean(kept.quick);
    results.set(bench.name, kept);
  }
}
machine["Load average at the end"] = loadavg()
  .map((l) => l.toFixed(2))
  .join(" / ");
const totalSec = (Date.now() - started) / 1000;
mkdirSync(join(root, "docs"), { recursive: true });
writeFileSync(
  reportPath,
  renderReport({
    machine,
    order: benchmarks,
    results,
    command: `pnpm bench${names.length ? ` ${names.join(" ")}` : ""}${quick ? " --quick" : ""}`,
    totalSec: names.length ? null : totalSec,
    quick: anyQuick,
  }),
);
say(`wrote ${reportPath} (${totalSec.toFixed(0)} s)`);
process.exit(failures ? 1 : 0);
