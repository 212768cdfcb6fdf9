/**
 * Fitting the drop-off model on OULAD snapshots, and validating it by module.
 *
 * 1. Each snapshot becomes its five signals (src/analytics/risk-features.ts, the same code the API
 *    runs). A feature's reference is its mean over the training rows that have it; a missing signal
 *    takes the reference, so it contributes nothing.
 * 2. A ridge-penalised logistic regression on (value - reference) gives the raw weights.
 * 3. Calibration by module: the weights are refitted leaving out one training module at a time, and
 *    a one-dimensional logistic fit of the outcome on those out-of-module log-odds (Platt scaling)
 *    gives a slope and a shift. They are folded into the coefficients, so the committed model is
 *    still one logistic formula whose terms are the factors.
 * 4. Validation repeats 1-3 inside an outer leave-one-module-out loop: every figure we report for a
 *    module comes from a model that never saw that module.
 */

import { type DropoffModel, riskContributions, typicalDropoffRisk } from "../../src/analytics/risk.ts";
import { RISK_FEATURES, type RiskFeatureName, riskSignals } from "../../src/analytics/risk-features.ts";
import type { LearnerSnapshot } from "../../src/analytics/snapshot.ts";
import { fitLogistic, sigmoid } from "./logistic.ts";

/**
 * Level thresholds (lower bounds) on the relative risk: riskScore over the typical learner's risk at
 * the same course week (typicalDropoffRisk in risk.ts). Chosen from the OULAD bands in
 * docs/risk-model.md: below 1.5 times typical the observed rate stays near the base rate; from 1.5
 * ("medium") learners leave at about 1.5-2 times the day's rate, from 2 ("high") about twice or
 * more, from 3 ("critical") about three times (over half at day 28). Relative, not absolute, so a
 * learner gone quiet late in a course (base rate near 10 %) is not "low" at 17 %, and a new joiner
 * with only the week signal sits at exactly 1, far from any boundary.
 */
export const LEVELS: DropoffModel["levels"] = { basis: "relative_to_typical", medium: 1.5, high: 2, critical: 3 };
/** Ridge strength: enough to keep a module's quirks out of the weights, not enough to blunt them. */
export const RIDGE = 1;
/** Days the evaluation reports (issue 10). */
export const EVALUATION_DAYS = [14, 28, 56];
/**
 * Snapshot days the model learns from: the evaluation days and the weeks around them, so that the
 * one model the API runs on any day of a course has seen learners early, midway and late.
 */
export const TRAINING_DAYS = [7, 14, 21, 28, 42, 56, 84, 112];

export interface LabelledSignals {
  values: Record<RiskFeatureName, number | null>;
  withdrew: boolean;
  module: string;
  day: number;
}

export function labelledSignals(
  cases: { snapshot: LearnerSnapshot; withdrawsAfterDay: boolean; module: string }[],
  day: number,
): LabelledSignals[] {
  return cases.map((c) => ({
    values: riskSignals(c.snapshot).values,
    withdrew: c.withdrawsAfterDay,
    module: c.module,
    day,
  }));
}

function references(rows: LabelledSignals[]): Record<RiskFeatureName, number> {
  const refs = {} as Record<RiskFeatureName, number>;
  for (const name of RISK_FEATURES) {
    const known = rows.map((r) => r.values[name]).filter((v): v is number => v !== null);
    refs[name] = known.length ? known.reduce((a, b) => a + b, 0) / known.length : 0;
  }
  return refs;
}

function design(rows: LabelledSignals[], refs: Record<RiskFeatureName, number>): number[][] {
  return rows.map((r) => RISK_FEATURES.map((n) => (r.values[n] ?? refs[n]) - refs[n]));
}

/** Steps 1-2: raw weights, no calibration. */
export function fitRaw(rows: LabelledSignals[], version = "raw"): DropoffModel {
  const refs = references(rows);
  const fit = fitLogistic(
    design(rows, refs),
    rows.map((r) => r.withdrew),
    RIDGE,
  );
  const features = {} as DropoffModel["features"];
  RISK_FEATURES.forEach((name, j) => {
    features[name] = { coefficient: fit.coefficients[j]!, reference: refs[name] };
  });
  return { version, trainedOn: "", intercept: fit.intercept, features, levels: LEVELS };
}

export function logOddsOf(model: DropoffModel, row: LabelledSignals): number {
  return riskContributions(row, model).logOdds;
}

export function riskOf(model: DropoffModel, row: LabelledSignals): number {
  return sigmoid(logOddsOf(model, row));
}

const modulesOf = (rows: LabelledSignals[]) => [...new Set(rows.map((r) => r.module))].sort();

/** Step 3: fold a Platt slope and shift, learnt on out-of-module log-odds, into the raw weights. */
export function fitCalibrated(rows: LabelledSignals[], version: string, trainedOn: string): DropoffModel {
  const raw = fitRaw(rows, version);
  const modules = modulesOf(rows);
  if (modules.length < 2) return { ...raw, trainedOn };
  const outOfModule: number[] = [];
  const labels: boolean[] = [];
  for (const m of modules) {
    const inner = fitRaw(rows.filter((r) => r.module !== m));
    for (const r of rows) {
      if (r.module !== m) continue;
      outOfModule.push(logOddsOf(inner, r));
      labels.push(r.withdrew);
    }
  }
  const platt = fitLogistic(
    outOfModule.map((z) => [z]),
    labels,
    0,
  );
  const slope = platt.coefficients[0]!;
  const features = {} as DropoffModel["features"];
  for (const name of RISK_FEATURES) {
    features[name] = { coefficient: slope * raw.features[name].coefficient, reference: raw.features[name].reference };
  }
  return { version, trainedOn, intercept: platt.intercept + slope * raw.intercept, features, levels: LEVELS };
}

/**
 * Step 4: out-of-module predicted risk for every row (each from a model that never saw its module),
 * with that model's typical risk at the row's course week, for the row's level.
 */
export function crossValidate(
  rows: LabelledSignals[],
  usedForTraining: (row: LabelledSignals) => boolean = () => true,
): { row: LabelledSignals; risk: number; typical: number }[] {
  const out: { row: LabelledSignals; risk: number; typical: number }[] = [];
  for (const m of modulesOf(rows)) {
    const model = fitCalibrated(
      rows.filter((r) => r.module !== m && usedForTraining(r)),
      `cv-without-${m}`,
      "",
    );
    for (const r of rows)
      if (r.module === m) out.push({ row: r, risk: riskOf(model, r), typical: typicalDropoffRisk(r, model) });
  }
  return out;
}

/** Source of src/analytics/dropoff-model.ts for a fitted model. */
export function modelSource(model: DropoffModel): string {
  const rounded = {
    ...model,
    intercept: Number(model.intercept.toFixed(6)),
    features: Object.fromEntries(
      RISK_FEATURES.map((n) => [
        n,
        {
          coefficient: Number(model.features[n].coefficient.toFixed(6)),
          reference: Number(model.features[n].reference.toFixed(6)),
        },
      ]),
    ),
  };
  return `/**
 * The drop-off model the API and \`ms8 risk\` use. Generated by \`pnpm --dir edge run train:risk\`
 * (edge/scripts/oulad/train.ts) from the OULAD 2013 presentations; do not edit by hand.
 * Features, method and validation: docs/risk-model.md.
 */
import type { DropoffModel } from "./risk.ts";

export const dropoffModel: DropoffModel = ${JSON.stringify(rounded, null, 2)};
`;
}
