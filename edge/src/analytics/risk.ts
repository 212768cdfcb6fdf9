/**
 * Drop-off risk: a calibrated logistic model over five signals the product has (risk-features.ts),
 * trained and validated on real learners (OULAD 2013, docs/risk-model.md). The coefficients live in
 * dropoff-model.ts, written by the training script; the API and `ms8 risk` both read them here.
 *
 * Explanation is exact, not a story told afterwards: the model's log-odds are the reference
 * learner's log-odds plus one term per feature, coefficient x (value - reference). The factors are
 * those terms: the ones that raise the risk, each weighted by its share of the total raise (or,
 * when nothing raises it, the ones that lower it, by share of the total fall).
 *
 * The level is relative, the score absolute: riskScore is the calibrated probability of leaving,
 * while riskLevel compares it with the typical learner at the same week of the course (every other
 * signal at its reference). Withdrawal thins out as a course goes on (about 19 % leave after week 2,
 * 10 % late on), so a fixed probability threshold would call a silent learner late in a course "low"
 * and put every new joiner, who sits at the early-weeks base rate, on a level boundary.
 */
import type { RiskMessage } from "../contract.ts";
import { dropoffModel } from "./dropoff-model.ts";
import {
  COMFORTABLE_SCORE,
  REFERENCE_CREDITS,
  RISK_FEATURES,
  type RiskFeatureName,
  type RiskSignals,
  riskSignals,
} from "./risk-features.ts";
import { inEnglish } from "./risk-texts.ts";
import type { LearnerSnapshot } from "./snapshot.ts";

export type RiskLevel = "low" | "medium" | "high" | "critical";

export interface DropoffModel {
  version: string;
  /** What the weights were fitted on, in words. */
  trainedOn: string;
  /** Log-odds of withdrawing for the reference learner (every feature at its reference value). */
  intercept: number;
  features: Record<RiskFeatureName, { coefficient: number; reference: number }>;
  /**
   * Lower bounds, for each level above low, of riskScore / the typical learner's risk at the same
   * course week (typicalDropoffRisk): 2 means twice as likely to leave as a typical learner then.
   */
  levels: { basis: "relative_to_typical"; medium: number; high: number; critical: number };
}

export interface RiskFactorResult {
  /** Stable machine id of the model term (for code, analytics and translations). */
  name: RiskFeatureName;
  /** Short human-readable name of the factor, for people ("Missed work"). */
  label: string;
  /** Share of the answer's total push (up, or down when nothing pushes up); weights sum to 1. */
  weight: number;
  reason: string;
  /** `reason` as a message, for clients that word it in their reader's language. */
  reasonMessage: RiskMessage;
  effect: "raises" | "lowers";
}

export interface DropoffRiskResult {
  learnerId: string;
  riskScore: number;
  /** The typical learner's riskScore at the same course week: what riskLevel compares with. */
  typicalRiskScore: number;
  riskLevel: RiskLevel;
  factors: RiskFactorResult[];
  recommendedActions: { learner: string[]; trainer: string[] };
  recommendedActionMessages: { learner: RiskMessage[]; trainer: RiskMessage[] };
  missingSignals: string[];
  missingSignalMessages: RiskMessage[];
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

/**
 * The typical learner's risk at the same point of the course: every signal at its reference except
 * the course week (the baseline for the day), so only the intercept and the week term count. A
 * missing week contributes nothing, as in riskContributions.
 */
export function typicalDropoffRisk(
  signals: Pick<RiskSignals, "values">,
  model: Pick<DropoffModel, "intercept" | "features"> = dropoffModel,
): number {
  const week = signals.values.courseWeek;
  const { coefficient, reference } = model.features.courseWeek;
  const logOdds = model.intercept + (week === null ? 0 : coefficient * (week - reference));
  return 1 / (1 + Math.exp(-logOdds));
}

/**
 * The level for a relative risk (riskScore / typicalDropoffRisk): low below 1.5 times the typical
 * learner, medium from 1.5, high from about twice, critical from three times (the model file's levels).
 */
export function riskLevelOf(relativeRisk: number, levels: DropoffModel["levels"] = dropoffModel.levels): RiskLevel {
  if (relativeRisk >= levels.critical) return "critical";
  if (relativeRisk >= levels.high) return "high";
  if (relativeRisk >= levels.medium) return "medium";
  return "low";
}

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

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

/** Why a factor pushes the score the way it does, in the learner's own figures. */
function reasonFor(
  name: RiskFeatureName,
  s: RiskSignals,
  effect: "raises" | "lowers",
  model: DropoffModel,
): RiskMessage {
  const f = s.facts;
  switch (name) {
    case "missedWork":
      return f.assessmentsMissed > 0
        ? {
            id: "reason.missedWork.some",
            values: {
              missed: f.assessmentsMissed,
              due: f.assessmentsDue,
              weightPercent: f.dueWeight > 0 ? Math.round((100 * f.missedWeight) / f.dueWeight) : null,
            },
          }
        : { id: "reason.missedWork.none", values: { due: f.assessmentsDue } };
    case "lateWork":
      return f.assessmentsLate > 0
        ? { id: "reason.lateWork.some", values: { late: f.assessmentsLate, submitted: f.assessmentsSubmittedWhenDue } }
        : { id: "reason.lateWork.none", values: { submitted: f.assessmentsSubmittedWhenDue } };
    case "scoreShortfall": {
      const values = {
        mean: Math.round(f.meanScore!),
        marked: f.scoredCount,
        typical: Math.round(typical(name, model)),
      };
      return effect === "raises"
        ? { id: "reason.scoreShortfall.below", values }
        : { id: "reason.scoreShortfall.above", values };
    }
    case "courseWeek": {
      const week = Math.floor((f.courseDay ?? 0) / 7) + 1;
      return effect === "raises"
        ? { id: "reason.courseWeek.early", values: { week } }
        : { id: "reason.courseWeek.past", values: { week } };
    }
    case "studyLoad": {
      const values = { credits: f.studiedCredits!, typical: Math.round(typical(name, model)) };
      return effect === "raises" ? { id: "reason.studyLoad.more", values } : { id: "reason.studyLoad.less", values };
    }
  }
}

/** A learner counts as new (nothing to judge yet) for their first two weeks in a course. */
export const NEW_LEARNER_DAYS = 14;
/** Two weeks without a finished unit, with units left, is called out even when the model sees no risk. */
export const QUIET_DAYS = 14;

/** The step for a factor that raises the risk, for the learner and for the trainer. */
function stepsFor(
  name: RiskFeatureName,
  urgency: RiskLevel,
  s: RiskSignals,
): { learner: RiskMessage; trainer: RiskMessage } {
  const f = s.facts;
  switch (name) {
    case "missedWork":
      return {
        learner: { id: "action.learner.missedWork", values: { urgency, missed: f.missedAssessments } },
        trainer: { id: "action.trainer.missedWork", values: { urgency, missed: f.missedAssessments } },
      };
    case "scoreShortfall":
      return {
        learner: { id: "action.learner.scoreShortfall", values: { urgency } },
        trainer: { id: "action.trainer.scoreShortfall", values: { urgency, mean: Math.round(f.meanScore!) } },
      };
    case "lateWork":
      return {
        learner: { id: "action.learner.lateWork", values: { urgency } },
        trainer: {
          id: "action.trainer.lateWork",
          values: { urgency, late: f.assessmentsLate, submitted: f.assessmentsSubmittedWhenDue },
        },
      };
    case "courseWeek":
      return {
        learner: { id: "action.learner.courseWeek", values: { urgency } },
        trainer: { id: "action.trainer.courseWeek", values: { urgency } },
      };
    case "studyLoad":
      return {
        learner: { id: "action.learner.studyLoad", values: { urgency } },
        trainer: { id: "action.trainer.studyLoad", values: { urgency, credits: f.studiedCredits! } },
      };
  }
}

/**
 * What the learner and the trainer should do: one action each for the two largest factors that
 * raise the risk, whatever the level (the level only sets the urgency); a note when no unit was
 * finished for two weeks; a getting-started or no-work-yet pair when no assessment can be judged.
 * "Keep your current rhythm" only when none of these applies.
 */
function recommendedActionsFor(
  raising: RiskFeatureName[],
  missing: RiskFeatureName[],
  level: RiskLevel,
  s: RiskSignals,
): { learner: RiskMessage[]; trainer: RiskMessage[] } {
  const learner: RiskMessage[] = [];
  const trainer: RiskMessage[] = [];
  for (const name of raising.slice(0, 2)) {
    const steps = stepsFor(name, level, s);
    learner.push(steps.learner);
    trainer.push(steps.trainer);
  }
  // Not a model term (the OULAD data has no unit completions): said beside the factors, never in them.
  const quiet = s.facts.daysSinceLastUnit;
  if (quiet !== null && quiet >= QUIET_DAYS && s.facts.unitsLeft > 0) {
    const weeks = Math.floor(quiet / 7);
    learner.push({ id: "action.learner.quiet", values: { weeks } });
    trainer.push({ id: "action.trainer.quiet", values: { weeks } });
  }
  const nothingToJudge = missing.includes("missedWork") && missing.includes("scoreShortfall");
  const days = s.facts.daysEnrolled;
  if (nothingToJudge && s.facts.unitsCompleted === 0) {
    if (days === null || days < NEW_LEARNER_DAYS) {
      learner.push({ id: "action.learner.firstSteps", values: {} });
      trainer.push({ id: "action.trainer.firstSteps", values: {} });
    } else {
      const weeks = Math.floor(days / 7);
      learner.push({ id: "action.learner.noWorkYet", values: { weeks } });
      trainer.push({ id: "action.trainer.noWorkYet", values: { weeks } });
    }
  }
  // Only what the model and the units can vouch for: nothing here raises the risk (pace is velocity's).
  if (learner.length === 0) learner.push({ id: "action.learner.steady", values: {} });
  if (trainer.length === 0) trainer.push({ id: "action.trainer.steady", values: {} });
  return { learner, trainer };
}

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
  const probability = 1 / (1 + Math.exp(-logOdds));
  const riskScore = round(probability, 3);
  // The unrounded ratio: a learner with only the week signal is exactly 1, never nudged by rounding.
  const typical = typicalDropoffRisk(signals, model);
  const riskLevel = riskLevelOf(probability / typical, model.levels);

  // Terms below 0.01 log-odds (about a 0.2-point change in risk) explain nothing a person could act on.
  const raising = RISK_FEATURES.filter((n) => terms[n] >= 0.01).sort((a, b) => terms[b] - terms[a]);
  const lowering = RISK_FEATURES.filter((n) => terms[n] <= -0.01).sort((a, b) => terms[a] - terms[b]);
  const effect = raising.length ? "raises" : "lowers";
  const named = raising.length ? raising : lowering;
  const weights = shares(named.map((n) => Math.abs(terms[n])));
  const factors = named.map((name, i) => {
    const reasonMessage = reasonFor(name, signals, effect, model);
    return {
      name,
      label: FACTOR_LABELS[name],
      weight: weights[i]!,
      reason: inEnglish(reasonMessage),
      reasonMessage,
      effect,
    };
  }) satisfies RiskFactorResult[];

  const missing = RISK_FEATURES.filter((n) => signals.values[n] === null);
  const steps = recommendedActionsFor(raising, missing, riskLevel, signals);
  const missingSignalMessages = missing.map((n): RiskMessage => ({ id: `missing.${n}`, values: {} }));

  return {
    learnerId: snapshot.learnerId,
    riskScore,
    typicalRiskScore: round(typical, 3),
    riskLevel,
    factors,
    recommendedActions: { learner: steps.learner.map(inEnglish), trainer: steps.trainer.map(inEnglish) },
    recommendedActionMessages: steps,
    missingSignals: missingSignalMessages.map(inEnglish),
    missingSignalMessages,
    modelVersion: model.version,
  };
}
