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

// Each says what a missing signal means for the score (the model takes the typical value: no push).
const missingReason: Record<RiskFeatureName, string> = {
  missedWork: "Missed work: nothing has been due yet, so the score counts it as typical.",
  scoreShortfall: "Scores: nothing has been marked yet, so the score counts them as typical.",
  lateWork: "Late hand-ins: nothing has been handed in against a due date yet, so the score counts them as typical.",
  studyLoad: "Study load: the learner's credits are not on record, so the score assumes a typical load.",
  courseWeek: "Time in the course: the learner is not enrolled in any course, so the score assumes a typical week.",
};

/** How soon to act, by level: the factors say what to do, the level says how urgently. */
const URGENCY: Record<RiskLevel, { learner: string; trainer: string }> = {
  low: { learner: "Next time you study", trainer: "At your next check-in" },
  medium: { learner: "This week", trainer: "This week" },
  high: { learner: "In the next few days", trainer: "In the next few days" },
  critical: { learner: "Today", trainer: "Today" },
};

/** A learner counts as new (nothing to judge yet) for their first two weeks in a course. */
export const NEW_LEARNER_DAYS = 14;
/** Two weeks without a finished unit, with units left, is called out even when the model sees no risk. */
export const QUIET_DAYS = 14;

const MONTHS = "January February March April May June July August September October November December".split(" ");
/** "2026-03-29" -> "29 March": how people write a due date. */
const dayAndMonth = (date: string) => `${Number(date.slice(8, 10))} ${MONTHS[Number(date.slice(5, 7)) - 1]}`;

function listOf(items: string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** The missed work by name ("Assignment 2 and the assessment due 29 March"); at most three named. */
function missedWorkNamed(s: RiskSignals): string {
  const missed = s.facts.missedAssessments;
  const names = missed.map((a) => a.title ?? `the assessment due ${dayAndMonth(a.dueDate)}`);
  if (names.length <= 3) return listOf(names);
  return `the ${missed.length} missed assessments, starting with ${listOf(names.slice(0, 2))}`;
}

const actions: Record<RiskFeatureName, { learner: (s: RiskSignals) => string; trainer: (s: RiskSignals) => string }> = {
  missedWork: {
    learner: (s) =>
      `catch up on ${missedWorkNamed(s)}, past ${s.facts.assessmentsMissed === 1 ? "its due date" : "their due dates"}, or ask your trainer about an extension.`,
    trainer: (s) => `reach out about the missed work (${missedWorkNamed(s)}) and agree a catch-up plan.`,
  },
  scoreShortfall: {
    learner: () => "revisit your weakest topics, going through the feedback on your marked work, and ask for help.",
    trainer: (s) =>
      `offer help on the topics behind the low scores (average ${Math.round(s.facts.meanScore!)} out of 100).`,
  },
  lateWork: {
    learner: () =>
      "plan your hand-ins, putting the next due dates in your calendar and starting each assessment a week ahead.",
    trainer: (s) =>
      `ask what gets in the way of deadlines (${s.facts.assessmentsLate} of ${plural(s.facts.assessmentsSubmittedWhenDue, "hand-in")} came in late).`,
  },
  courseWeek: {
    learner: () => "fix two study slots a week in your calendar, as the first weeks set the rhythm.",
    trainer: () => "check in during these first weeks, when most withdrawals happen.",
  },
  studyLoad: {
    learner: () => "plan your week across all your courses; consider deferring one if the load is too much.",
    trainer: (s) => `talk about workload, as the learner carries ${s.facts.studiedCredits} credits at once.`,
  },
};

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
): { learner: string[]; trainer: string[] } {
  const learner: string[] = [];
  const trainer: string[] = [];
  const when = URGENCY[level];
  for (const name of raising.slice(0, 2)) {
    learner.push(`${when.learner}: ${actions[name].learner(s)}`);
    trainer.push(`${when.trainer}: ${actions[name].trainer(s)}`);
  }
  // Not a model term (the OULAD data has no unit completions): said beside the factors, never in them.
  const quiet = s.facts.daysSinceLastUnit;
  if (quiet !== null && quiet >= QUIET_DAYS && s.facts.unitsLeft > 0) {
    const weeks = plural(Math.floor(quiet / 7), "week");
    learner.push(`No lesson finished for ${weeks}: pick up where you left off with one lesson this week.`);
    trainer.push(`No lesson finished for ${weeks}: ask the learner what stopped them and help them restart.`);
  }
  const nothingToJudge = missing.includes("missedWork") && missing.includes("scoreShortfall");
  const days = s.facts.daysEnrolled;
  if (nothingToJudge && s.facts.unitsCompleted === 0) {
    if (days === null || days < NEW_LEARNER_DAYS) {
      learner.push("Complete your first lesson and assessment so your progress can be tracked.");
      trainer.push("Welcome the learner and check they can reach the first lesson: there is no history yet to judge.");
    } else {
      const weeks = plural(Math.floor(days / 7), "week");
      learner.push(
        `No lesson or assessment is recorded for you after ${weeks} in the course: complete a first lesson this week, or tell your trainer what is in the way.`,
      );
      trainer.push(
        `No work recorded after ${weeks} in the course: contact the learner to check they can reach it and what is in the way.`,
      );
    }
  }
  // Only what the model and the units can vouch for: nothing here raises the risk (pace is velocity's).
  if (learner.length === 0) learner.push("Keep your current rhythm: nothing in your work so far raises your risk.");
  if (trainer.length === 0)
    trainer.push("No action needed on drop-off risk now; review again after the next assessment.");
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
  const factors = named.map((name, i) => ({
    name,
    label: FACTOR_LABELS[name],
    weight: weights[i]!,
    reason: reasonFor(name, signals, effect, model),
    effect,
  })) satisfies RiskFactorResult[];

  const missing = RISK_FEATURES.filter((n) => signals.values[n] === null);
  const recommendedActions = recommendedActionsFor(raising, missing, riskLevel, signals);

  return {
    learnerId: snapshot.learnerId,
    riskScore,
    typicalRiskScore: round(typical, 3),
    riskLevel,
    factors,
    recommendedActions,
    missingSignals: missing.map((n) => missingReason[n]),
    modelVersion: model.version,
  };
}
