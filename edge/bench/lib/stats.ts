/**
 * The arithmetic of the report: medians of rounds, percentiles of samples and ratios, kept apart
 * from the runs so the test can prove them on known numbers.
 */

/** Median of a list (mean of the two middle values for an even count); NaN for an empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..100) of samples: the value at or below which p % of them fall. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  if (p < 0 || p > 100) throw new RangeError(`percentile ${p} is outside 0..100`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** a / b, NaN when b is zero or missing, so a dead comparison can never look like a win. */
export function ratio(a: number, b: number): number {
  return b > 0 && Number.isFinite(a) ? a / b : Number.NaN;
}

/** A number for the report: fixed digits, thousands separated, "n/a" for NaN. */
export function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return "n/a";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Summary of latency samples in milliseconds. */
export function summarize(samplesMs: readonly number[]) {
  return {
    n: samplesMs.length,
    p50: percentile(samplesMs, 50),
    p95: percentile(samplesMs, 95),
    p99: percentile(samplesMs, 99),
    min: samplesMs.length ? Math.min(...samplesMs) : Number.NaN,
    max: samplesMs.length ? Math.max(...samplesMs) : Number.NaN,
  };
}
