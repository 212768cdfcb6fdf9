/**
 * Outcome forecast: when the learner will finish, and with what final score, each with an interval.
 * Formulas and a worked example: docs/analytics.md.
 *
 * - Completion: the remaining units at the current pace (velocity.ts). The interval treats the
 *   units finished in the pace window as a Poisson count k and uses k +- 1.96 sqrt(k) as the slow
 *   and fast pace: few completions make a wide interval, many a narrow one.
 * - Final score: marked work counts at its score, missed past-due work at 0, and the work still to
 *   come at the learner's average so far, each by grade weight. The interval is the uncertainty
 *   of that average (1.96 standard errors) times the share of the grade still to come.
 * - Confidence: the evidence (marked scores, active weeks), capped by the width of each interval.
 */
import { addDays, daysBetween, localDateOf } from "./calendar.ts";
import type { LearnerSnapshot } from "./snapshot.ts";
import { computeVelocity, paceWindow } from "./velocity.ts";

export interface ForecastResult {
  learnerId: string;
  projectedCompletion: string | null;
  completionInterval: { earliest: string; latest: string } | null;
  expectedFinalScore: number | null;
  scoreInterval: { low: number; high: number } | null;
  confidence: "low" | "medium" | "high";
  commentary?: string;
}

type Confidence = ForecastResult["confidence"];
/** Interval widths (days) up to which a completion range allows high, then medium confidence. */
export const COMPLETION_WIDTH_DAYS = { high: 28, medium: 84 };
/** Interval widths (points of 100) up to which a final-score range allows high, then medium confidence. */
export const SCORE_WIDTH_POINTS = { high: 10, medium: 20 };

/** The most confidence an interval this wide allows. */
function byWidth(width: number, limits: { high: number; medium: number }): Confidence {
  return width <= limits.high ? "high" : width <= limits.medium ? "medium" : "low";
}

const ORDER: Confidence[] = ["low", "medium", "high"];
const lowestOf = (levels: Confidence[]) => ORDER[Math.min(...levels.map((l) => ORDER.indexOf(l)))]!;

/** Spread assumed for a single score before a learner has two (points on a 0-100 scale). */
const PRIOR_SCORE_SD = 15;
const Z95 = 1.96;

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const round1 = (x: number) => Math.round(x * 10) / 10;

export function forecastOutcome(snapshot: LearnerSnapshot): ForecastResult {
  const velocity = computeVelocity(snapshot);
  const today = localDateOf(snapshot.asOf, snapshot.timeZone);
  const asOf = Date.parse(snapshot.asOf);
  const remaining = velocity.unitsTotal - velocity.unitsCompleted;

  // Completion date and its interval from the pace window's completion count.
  let completionInterval: ForecastResult["completionInterval"] = null;
  const { windowDays, unitsInWindow: k } = paceWindow(snapshot);
  if (remaining > 0 && k > 0) {
    const weeks = windowDays / 7;
    const fast = (k + Z95 * Math.sqrt(k)) / weeks;
    // Half a unit in the window is the slowest pace we still call a pace.
    const slow = Math.max(k - Z95 * Math.sqrt(k), 0.5) / weeks;
    completionInterval = {
      earliest: addDays(today, Math.ceil((remaining / fast) * 7)),
      latest: addDays(today, Math.ceil((remaining / slow) * 7)),
    };
  } else if (remaining === 0 && velocity.estimatedCompletion) {
    completionInterval = { earliest: velocity.estimatedCompletion, latest: velocity.estimatedCompletion };
  }

  // Final score by grade weight; formative work (weight 0) counts only when nothing carries weight.
  const graded = snapshot.assessments;
  const useWeights = graded.some((a) => a.weight > 0);
  const weightOf = (a: (typeof graded)[number]) => (useWeights ? a.weight : 1);
  const marked = graded.filter((a) => a.submittedAt !== null && a.score !== null && Date.parse(a.submittedAt) <= asOf);
  const missed = graded.filter((a) => a.submittedAt === null && a.dueAt !== null && Date.parse(a.dueAt) <= asOf);
  const future = graded.filter((a) => !marked.includes(a) && !missed.includes(a));
  const totalWeight = graded.reduce((s, a) => s + weightOf(a), 0);

  let expectedFinalScore: number | null = null;
  let scoreInterval: ForecastResult["scoreInterval"] = null;
  if (marked.length > 0 && totalWeight > 0) {
    const scores = marked.map((a) => a.score!);
    const markedWeight = marked.reduce((s, a) => s + weightOf(a), 0);
    const average =
      markedWeight > 0
        ? marked.reduce((s, a) => s + a.score! * weightOf(a), 0) / markedWeight
        : scores.reduce((a, b) => a + b, 0) / scores.length;
    const futureShare = future.reduce((s, a) => s + weightOf(a), 0) / totalWeight;
    const expected = (average * markedWeight) / totalWeight + average * futureShare; // missed work adds 0
    const n = scores.length;
    const mean = scores.reduce((a, b) => a + b, 0) / n;
    const sd = n >= 2 ? Math.sqrt(scores.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : PRIOR_SCORE_SD;
    const halfWidth = (Z95 * sd * futureShare) / Math.sqrt(n);
    expectedFinalScore = round1(clamp(expected, 0, 100));
    scoreInterval = {
      low: round1(clamp(expected - halfWidth, 0, 100)),
      high: round1(clamp(expected + halfWidth, 0, 100)),
    };
  }

  // Confidence covers both projections: the evidence behind them, capped by how wide each interval
  // is (a completion range of years is low confidence however many scores there are).
  const weeksOfHistory = velocity.weekly.filter((w) => w.units > 0).length;
  const evidence: Confidence =
    marked.length >= 4 && weeksOfHistory >= 4 ? "high" : marked.length >= 2 || weeksOfHistory >= 2 ? "medium" : "low";
  const completionDays = completionInterval ? daysBetween(completionInterval.earliest, completionInterval.latest) : 0;
  const scorePoints = scoreInterval ? scoreInterval.high - scoreInterval.low : 0;
  // With nothing projected there is nothing to be confident about: "medium" beside two nulls read
  // as a claim (a missing interval is not a narrow one).
  const projectsNothing = velocity.estimatedCompletion === null && expectedFinalScore === null;
  const confidence = projectsNothing
    ? "low"
    : lowestOf([evidence, byWidth(completionDays, COMPLETION_WIDTH_DAYS), byWidth(scorePoints, SCORE_WIDTH_POINTS)]);

  const notes: string[] = [];
  if (velocity.unitsCompleted === 0 && marked.length === 0)
    notes.push("No completed units or marked work yet: nothing to project from.");
  else {
    if (velocity.estimatedCompletion === null && remaining > 0)
      notes.push("No units finished in the last four weeks, so no completion date can be projected.");
    if (expectedFinalScore === null) notes.push("No marked work yet, so no final score can be projected.");
  }

  return {
    learnerId: snapshot.learnerId,
    projectedCompletion: velocity.estimatedCompletion,
    completionInterval,
    expectedFinalScore,
    scoreInterval,
    confidence,
    ...(notes.length ? { commentary: notes.join(" ") } : {}),
  };
}
