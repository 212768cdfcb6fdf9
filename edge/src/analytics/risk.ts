/**
 * Drop-off risk: a calibrated logistic model over five signals the product has (risk-features.ts),
 * trained and validated on real learners (OULAD 2013, docs/risk-model.md). The coefficients live in
 * dropoff-model.ts, written by the training script; the API and `ms8 risk` both read them here.
 *
 * Explanation is exact, not a story told afterwards: the model's log-odds are the reference
 * learner's log-odds plus one term per feature, coefficient x (value - reference). The factors are
 * those terms: the ones that raise the risk, each weighted by its share of the total raise (or,
 * when nothing raises it, the ones that lower it, by share of the total fall).
 */
import { dropoffModel } from "./dropoff-model.ts";
import {
  COMFORTABLE_SCORE,
  REFERENCE_CREDITS,
  RISK_FEATURES,
  type RiskFeatureName,
  type RiskSignals,
  riskSignals,
} from "./risk-features.ts";
import type { LearnerSnapshot } from "./snapshot.ts";

export type RiskLevel = "low" | "medium" | "high" | "critical";

export interface DropoffModel {
  version: string;
  /** What the weights were fitted on, in words. */
  trainedOn: string;
  /** Log-odds of withdrawing for the reference learner (every feature at its reference value). */
  intercept: number;
  features: Record<RiskFeatureName, { coefficient: number; reference: number }>;
  /** Lower bounds of riskScore for each level above low. */
  levels: { medium: number; high: number; critical: number };
}

export interface RiskFactorResult {
  /** Stable machine id of the model term (for code, analytics and translations). */
  name: RiskFeatureName;
  /** Short human-readable name of the factor, for people ("Missed work"). */
  label: string;
  /** Share of the answer's total push (up, or down when nothing pushes up); weights sum to 1. */
  weight: number;
  reason: string;
  effect: "raises" | "lowers";
}

export interface DropoffRiskResult {
  learnerId: string;
  riskScore: number;
  riskLevel: RiskLevel;
  factors: RiskFactorResult[];
  recommendedActions: { learner: string[]; trainer: string[] };
  missingSignals: string[];
  modelVersion: string;
}

/** Per-feature log-odds terms; a missing signal sits at its reference value and contributes 0. */
export function riskContributions(
  signals: Pick<RiskSignals, "values">,
  model: DropoffModel = dropoffModel,
): { logOdds: number; terms: Record<RiskFeatureName, number> } {
  const terms = {} as Record<RiskFeatureName, number>;
  let logOdds = model.intercept;
  for (const name of RISK_FEATURES) {
    const { coefficient, reference } = model.features[name];
    const value = signals.values[name];
    terms[name] = value === null ? 0 : coefficient * (value - reference);
    logOdds += terms[name];
  }
  return { logOdds, terms };
}

export function riskLevelOf(score: number, levels: DropoffModel["levels"] = dropoffModel.levels): RiskLevel {
  if (score >= levels.critical) return "critical";
  if (score >= levels.high) return "high";
  if (score >= levels.medium) return "medium";
  return "low";
}

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The typical learner's value of a feature, in the feature's own units, for reasons. */
function typical(name: RiskFeatureName, model: DropoffModel): number {
  const ref = model.features[name].reference;
  if (name === "scoreShortfall") return COMFORTABLE_SCORE - 10 * ref;
  if (name === "studyLoad") return REFERENCE_CREDITS * Math.exp(ref);
  return ref;
}

/** What a person reads for each factor; `name` stays the stable id. */
export const FACTOR_LABELS: Record<RiskFeatureName, string> = {
  missedWork: "Missed work",
  lateWork: "Late hand-ins",
  scoreShortfall: "Scores",
  studyLoad: "Study load",
  courseWeek: "Time in the course",
};

function reasonFor(name: RiskFeatureName, s: RiskSignals, effect: "raises" | "lowers", model: DropoffModel): string {
  const f = s.facts;
  switch (name) {
    case "missedWork": {
      const share =
        f.dueWeight > 0 ? ` (${Math.round((100 * f.missedWeight) / f.dueWeight)} % of the grade weight due)` : "";
      return f.assessmentsMissed > 0
        ? `Has not handed in ${f.assessmentsMissed} of the ${plural(f.assessmentsDue, "assessment")} due so far${share}.`
        : `Handed in all ${plural(f.assessmentsDue, "assessment")} due so far.`;
    }
    case "lateWork":
      return f.assessmentsLate > 0
        ? `Handed in ${f.assessmentsLate} of ${plural(f.assessmentsSubmittedWhenDue, "submitted assessment")} after the due date.`
        : `Handed in all ${plural(f.assessmentsSubmittedWhenDue, "submitted assessment")} on time.`;
    case "scoreShortfall":
      return `Averages ${Math.round(f.meanScore!)} out of 100 over ${plural(f.scoredCount, "marked assessment")}, ${
        effect === "raises" ? "below" : "above"
      } the usual ${Math.round(typical(name, model))}.`;
    case "courseWeek": {
      const week = Math.floor((f.courseDay ?? 0) / 7) + 1;
      return effect === "raises"
        ? `In week ${week} of the course: most learners who leave do so in the first weeks.`
        : `In week ${week} of the course: past the weeks when most learners who leave do so.`;
    }
    case "studyLoad":
      return `Taking ${f.studiedCredits} credits of study at once, ${effect === "raises" ? "more" : "less"} than the usual ${Math.round(typical(name, model))}.`;
  }
}

const missingReason: Record<RiskFeatureName, string> = {
  missedWork: "Missed work: no assessment has been due yet.",
  scoreShortfall: "Scores: nothing has been marked yet.",
  lateWork: "Late hand-ins: nothing has been handed in against a due date yet.",
  studyLoad: "Study load: how many credits the learner is taking in all is not known.",
  courseWeek: "Time in the course: the learner is not enrolled in any course.",
};

const actions: Record<RiskFeatureName, { learner: (s: RiskSignals) => string; trainer: (s: RiskSignals) => string }> = {
  missedWork: {
    learner: (s) =>
      `Submit your ${plural(s.facts.assessmentsMissed, "overdue assessment")}, or ask your trainer about an extension.`,
    trainer: (s) =>
      `Contact the learner about the ${plural(s.facts.assessmentsMissed, "missed assessment")} and agree a catch-up plan.`,
  },
  scoreShortfall: {
    learner: () => "Go through the feedback on your marked work and ask for help on the weakest topic.",
    trainer: () => "Offer a review session on the topics behind the low scores.",
  },
  lateWork: {
    learner: () => "Put your next due dates in your calendar and start each assessment a week ahead.",
    trainer: (s) =>
      `Ask what gets in the way of deadlines: ${plural(s.facts.assessmentsLate, "assessment")} handed in late.`,
  },
  courseWeek: {
    learner: () => "Fix two study slots a week in your calendar now: the first weeks set the rhythm.",
    trainer: () => "Check in during these first weeks, when most withdrawals happen.",
  },
  studyLoad: {
    learner: () => "Plan your week across all your courses; consider deferring one if the load is too much.",
    trainer: (s) => `Talk about workload: the learner carries ${s.facts.studiedCredits} credits at once.`,
  },
};

/** Shares that sum to exactly 1 after rounding to 3 places (the rounding error goes to the largest). */
function shares(values: number[]): number[] {
  const total = values.reduce((a, b) => a + b, 0);
  const rounded = values.map((v) => round(v / total, 3));
  const drift = round(1 - rounded.reduce((a, b) => a + b, 0), 3);
  if (drift !== 0 && rounded.length) rounded[0] = round(rounded[0]! + drift, 3);
  return rounded;
}

/** The drop-off risk of a learner as of the snapshot's moment. Pure: same snapshot, same answer. */
export function scoreDropoffRisk(snapshot: LearnerSnapshot, model: DropoffModel = dropoffModel): DropoffRiskResult {
  const signals = riskSignals(snapshot);
  const { logOdds, terms } = riskContributions(signals, model);
  const riskScore = round(1 / (1 + Math.exp(-logOdds)), 3);
  const riskLevel = riskLevelOf(riskScore, model.levels);

  // Terms below 0.01 log-odds (about a 0.2-point change in risk) explain nothing a person could act on.
  const raising = RISK_FEATURES.filter((n) => terms[n] >= 0.01).sort((a, b) => terms[b] - terms[a]);
  const lowering = RISK_FEATURES.filter((n) => terms[n] <= -0.01).sort((a, b) => terms[a] - terms[b]);
  const effect = raising.length ? "raises" : "lowers";
  const named = raising.length ? raising : lowering;
  const weights = shares(named.map((n) => Math.abs(terms[n])));
  const factors = named.map((name, i) => ({
    name,
    label: FACTOR_LABELS[name],
    weight: weights[i]!,
    reason: reasonFor(name, signals, effect, model),
    effect,
  })) satisfies RiskFactorResult[];

  const missing = RISK_FEATURES.filter((n) => signals.values[n] === null);
  const learner: string[] = [];
  const trainer: string[] = [];
  if (riskLevel !== "low") {
    for (const name of raising.slice(0, 2)) {
      learner.push(actions[name].learner(signals));
      trainer.push(actions[name].trainer(signals));
    }
  }
  if (missing.includes("missedWork") && missing.includes("scoreShortfall")) {
    learner.push("Complete your first lesson and assessment so your progress can be tracked.");
    trainer.push("Welcome the learner and check they can reach the first lesson: there is no history yet to judge.");
  }
  if (learner.length === 0) learner.push("Keep your current rhythm: you are on course.");
  if (trainer.length === 0) trainer.push("No action needed now; review again after the next assessment.");

  return {
    learnerId: snapshot.learnerId,
    riskScore,
    riskLevel,
    factors,
    recommendedActions: { learner, trainer },
    missingSignals: missing.map((n) => missingReason[n]),
    modelVersion: model.version,
  };
}
