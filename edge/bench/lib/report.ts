/** Renders docs/benchmarks.md from the kept results of every benchmark. */
import type { BenchResult } from "./types.ts";

const verdict = (met: boolean | null) => (met === null ? "information" : met ? "**met**" : "**missed**");

export function renderReport(options: {
  machine: Record<string, string>;
  order: { name: string; title: string }[];
  results: Map<string, BenchResult>;
  command: string;
  totalSec: number | null;
  quick: boolean;
}): string {
  const { machine, order, results } = options;
  const lines: string[] = [];
  lines.push("# Benchmarks");
  lines.push("");
  lines.push(
    "Written by `pnpm bench` (edge/bench/run.ts); do not edit by hand. Every server runs in its own process on loopback; figures measured side by side come from the same run, with rounds interleaved and the median of the rounds reported. The machine is shared and small, so read ratios rather than absolute numbers.",
  );
  lines.push("");
  lines.push(
    `Command: \`${options.command}\`${options.quick ? " (quick mode: shorter rounds, for debugging only)" : ""}`,
  );
  if (options.totalSec !== null)
    lines.push(
      `Wall time of the whole run: ${options.totalSec.toFixed(0)} s (${options.totalSec <= 600 ? "within" : "**over**"} the 10 minutes allowed).`,
    );
  lines.push("");
  lines.push("## Machine and versions");
  lines.push("");
  lines.push("| | |");
  lines.push("| --- | --- |");
  for (const [key, value] of Object.entries(machine)) lines.push(`| ${key} | ${value.replaceAll("|", "\\|")} |`);
  lines.push("");
  lines.push("## Goals");
  lines.push("");
  lines.push("| Benchmark | Measure | Goal | Figure | Verdict | Why, when missed (details in the section) |");
  lines.push("| --- | --- | --- | --- | --- | --- |");
  for (const { name, title } of order) {
    const result = results.get(name);
    if (!result) {
      lines.push(`| ${title} | | | not run | not measured | |`);
      continue;
    }
    if (result.status !== "ok" && result.goals.length === 0) {
      lines.push(
        `| ${title} | | | ${result.status === "not_ready" ? "subject not ready" : "run failed"} | not measured |`,
      );
      continue;
    }
    for (const goal of result.goals)
      lines.push(
        `| ${title} | ${goal.label} | ${goal.target} | ${goal.figure} | ${verdict(goal.met)} | ${goal.met === false ? (goal.reason ?? "").replaceAll("|", "\\|") : ""} |`,
      );
  }
  lines.push("");
  for (const { name, title } of order) {
    const result = results.get(name);
    lines.push(`## ${title}`);
    lines.push("");
    if (!result) {
      lines.push(`Not run yet: \`pnpm bench ${name}\`.`);
      lines.push("");
      continue;
    }
    lines.push(
      `\`pnpm bench ${name}\` · measured ${result.startedAt.replace("T", " ").slice(0, 19)} UTC · ${result.durationSec.toFixed(0)} s · ${result.status === "ok" ? "completed" : result.status === "not_ready" ? "subject not ready" : "failed"}`,
    );
    lines.push("");
    lines.push(result.markdown.trim());
    lines.push("");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

/** A markdown table. */
export function table(head: string[], rows: (string | number)[][]): string {
  const out = [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`];
  for (const row of rows) out.push(`| ${row.join(" | ")} |`);
  return out.join("\n");
}
