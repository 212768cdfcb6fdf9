/**
 * `pnpm ms8 risk < snapshots.jsonl`: the drop-off risk of each learner snapshot on standard input
 * (one JSON LearnerSnapshot per line), as one JSON line each on standard output: exactly the
 * `data` of the API's GET .../dropoff-risk answer, from the same function and the same model.
 * A line that is not a valid snapshot is reported on standard error with its line number and the
 * offending field; the other lines are still scored, and the exit code is 1.
 */
import { createInterface } from "node:readline";
import { scoreDropoffRisk } from "../../analytics/risk.ts";
import { LearnerSnapshot } from "../../analytics/snapshot.ts";

export const summary = "score drop-off risk for learner snapshots (JSON lines on stdin -> JSON lines on stdout)";

const usage = `usage: pnpm ms8 risk < snapshots.jsonl
  each input line: a LearnerSnapshot (edge/src/analytics/learner-snapshot.schema.json)
  each output line: {learnerId, riskScore, riskLevel, factors, recommendedActions, missingSignals, modelVersion}`;

export async function run(args: string[], input: NodeJS.ReadableStream = process.stdin): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.error(usage);
    return 0;
  }
  if (args.length > 0) {
    console.error(`ms8 risk: unexpected argument "${args[0]}"\n${usage}`);
    return 2;
  }
  let lineNumber = 0;
  let failures = 0;
  const out: string[] = [];
  const flush = () => {
    if (out.length) process.stdout.write(`${out.join("\n")}\n`);
    out.length = 0;
  };
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    lineNumber++;
    if (line.trim() === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      failures++;
      console.error(`ms8 risk: line ${lineNumber}: not JSON (${(err as Error).message})`);
      continue;
    }
    const parsed = LearnerSnapshot.safeParse(json);
    if (!parsed.success) {
      failures++;
      const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
      console.error(`ms8 risk: line ${lineNumber}: not a learner snapshot: ${issues}`);
      continue;
    }
    out.push(JSON.stringify(scoreDropoffRisk(parsed.data)));
    if (out.length >= 500) flush();
  }
  flush();
  if (failures > 0) console.error(`ms8 risk: ${failures} of ${lineNumber} lines rejected`);
  return failures > 0 ? 1 : 0;
}
