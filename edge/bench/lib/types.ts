/** What every benchmark returns to the runner, which keeps it as JSON and renders the report. */

export interface Goal {
  /** What is measured, e.g. "BFF req/s vs Express". */
  label: string;
  /** The goal as the issue states it, e.g. ">= 3x". */
  target: string;
  /** The measured figure, formatted for the report. */
  figure: string;
  /** null when the figure is information only. */
  met: boolean | null;
  /** For a missed goal: the reason found in this run (profile, timeline, plan), in one sentence. */
  reason?: string;
}

export interface BenchResult {
  name: string;
  title: string;
  startedAt: string;
  durationSec: number;
  /** "ok" measured; "not_ready" the subject is not in this checkout yet; "failed" the run broke. */
  status: "ok" | "not_ready" | "failed";
  goals: Goal[];
  /** Markdown body: method, raw numbers, plans, profiles. */
  markdown: string;
  raw?: unknown;
}

export interface BenchContext {
  /** Repository root and the edge package. */
  root: string;
  edgeDir: string;
  /** Where child programs write their logs for this run. */
  logDir: string;
  /** Shorter rounds for debugging the harness (`--quick`); the report says so. */
  quick: boolean;
  say(line: string): void;
}

export interface Benchmark {
  name: string;
  title: string;
  /** Rough wall time of a full run, for the budget check. */
  budgetSec: number;
  run(ctx: BenchContext): Promise<Omit<BenchResult, "name" | "title" | "startedAt" | "durationSec" | "status">>;
}

/** Thrown when the piece a benchmark measures has not landed: the report says what is missing. */
export class NotReady extends Error {
  override name = "NotReady";
}
