/**
 * How well predicted withdrawal probabilities match what happened: ROC AUC (ranking), Brier score
 * (calibration and sharpness together), a calibration table by deciles of predicted risk, and the
 * share of withdrawals caught in the riskiest 20 % (what a trainer with time for one learner in
 * five would catch).
 */

export interface Outcome {
  risk: number;
  withdrew: boolean;
}

/** Mann-Whitney AUC with tied scores counted half; NaN when only one class is present. */
export function rocAuc(outcomes: Outcome[]): number {
  const sorted = [...outcomes].sort((a, b) => a.risk - b.risk);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]!.risk === sorted[i]!.risk) j++;
    const midRank = (i + 1 + j) / 2; // ranks i+1..j share their mean
    for (let k = i; k < j; k++) {
      if (sorted[k]!.withdrew) {
        positives++;
        rankSum += midRank;
      }
    }
    i = j;
  }
  const negatives = sorted.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function brierScore(outcomes: Outcome[]): number {
  let sum = 0;
  for (const o of outcomes) sum += (o.risk - (o.withdrew ? 1 : 0)) ** 2;
  return sum / outcomes.length;
}

export function baseRate(outcomes: Outcome[]): number {
  return outcomes.filter((o) => o.withdrew).length / outcomes.length;
}

/** Brier score of always predicting the base rate: p(1 - p). A useful model must beat it. */
export function baseRateBrier(outcomes: Outcome[]): number {
  const p = baseRate(outcomes);
  return p * (1 - p);
}

export interface CalibrationBin {
  decile: number;
  count: number;
  meanPredicted: number;
  observed: number;
}

/** Ten equal-count bins by predicted risk, lowest first. */
export function calibrationDeciles(outcomes: Outcome[]): CalibrationBin[] {
  const sorted = [...outcomes].sort((a, b) => a.risk - b.risk);
  const bins: CalibrationBin[] = [];
  for (let d = 0; d < 10; d++) {
    const slice = sorted.slice(Math.floor((d * sorted.length) / 10), Math.floor(((d + 1) * sorted.length) / 10));
    if (slice.length === 0) continue;
    bins.push({
      decile: d + 1,
      count: slice.length,
      meanPredicted: slice.reduce((s, o) => s + o.risk, 0) / slice.length,
      observed: slice.filter((o) => o.withdrew).length / slice.length,
    });
  }
  return bins;
}

/** Share of all withdrawals found among the `share` riskiest learners (ties broken by input order). */
export function captureAtTop(outcomes: Outcome[], share = 0.2): number {
  const withdrawals = outcomes.filter((o) => o.withdrew).length;
  if (withdrawals === 0) return Number.NaN;
  const top = [...outcomes].sort((a, b) => b.risk - a.risk).slice(0, Math.round(outcomes.length * share));
  return top.filter((o) => o.withdrew).length / withdrawals;
}

export interface Evaluation {
  count: number;
  withdrawals: number;
  baseRate: number;
  auc: number;
  brier: number;
  baseRateBrier: number;
  top20Capture: number;
  calibration: CalibrationBin[];
}

export function evaluate(outcomes: Outcome[]): Evaluation {
  return {
    count: outcomes.length,
    withdrawals: outcomes.filter((o) => o.withdrew).length,
    baseRate: baseRate(outcomes),
    auc: rocAuc(outcomes),
    brier: brierScore(outcomes),
    baseRateBrier: baseRateBrier(outcomes),
    top20Capture: captureAtTop(outcomes, 0.2),
    calibration: calibrationDeciles(outcomes),
  };
}
