/**
 * The drop-off model's inputs, read from a learner snapshot. Each is something the product itself
 * knows about a learner (the simulator's learners and OULAD registrations alike): no clickstream,
 * and no demographic field exists in the snapshot to be tempted by.
 *
 * A signal the snapshot cannot give (nothing due yet, no score yet, no study load recorded) is
 * reported as missing (`value: null`); the model then uses the typical learner's value, so a
 * missing signal neither raises nor lowers the risk, and the answer says it was missing.
 */
import { daysBetween, localDateOf } from "./calendar.ts";
import type { LearnerSnapshot } from "./snapshot.ts";

export const RISK_FEATURES = ["missedWork", "lateWork", "scoreShortfall", "studyLoad", "courseWeek"] as const;
export type RiskFeatureName = (typeof RISK_FEATURES)[number];

export interface RiskSignals {
  /** Feature values on the model's scale; null when the signal is missing. */
  values: Record<RiskFeatureName, number | null>;
  /** Raw facts behind them, for plain-language reasons. */
  facts: {
    today: string;
    courseDay: number | null;
    assessmentsDue: number;
    assessmentsMissed: number;
    missedWeight: number;
    dueWeight: number;
    meanScore: number | null;
    scoredCount: number;
    assessmentsLate: number;
    assessmentsSubmittedWhenDue: number;
    studiedCredits: number | null;
    /** The missed assessments, oldest due first: title (when the snapshot has one) and local due date. */
    missedAssessments: { title: string | null; dueDate: string }[];
    /** Units finished by asOf, over all enrollments. */
    unitsCompleted: number;
    /** Days since the last unit finished by asOf (null before the first); units still to do. */
    daysSinceLastUnit: number | null;
    unitsLeft: number;
    /**
     * Days the learner has been in a course: since the earliest enrollment's start, or its
     * registration when that came later (a late joiner is new to a course that began long ago).
     * Null without an enrollment.
     */
    daysEnrolled: number | null;
  };
}

/** Credits a full-time-equivalent OU module load is measured against (60 = one module at a time). */
export const REFERENCE_CREDITS = 60;
/** A score below this is a shortfall; 70 is a comfortable pass on a 0-100 scale. */
export const COMFORTABLE_SCORE = 70;
/** Last course day the model was fitted on (week 16); later days count as week 16. */
export const MAX_COURSE_DAY = 112;

export function riskSignals(snapshot: LearnerSnapshot): RiskSignals {
  const tz = snapshot.timeZone;
  const asOf = Date.parse(snapshot.asOf);
  const today = localDateOf(snapshot.asOf, tz);

  const starts = snapshot.enrollments.map((e) => e.startDate).sort();
  const firstStart = starts[0] ?? null;
  const courseDay = firstStart === null ? null : daysBetween(firstStart, today);

  // Graded work whose deadline has passed (exams excluded: they close a course, they do not pace it).
  const due = snapshot.assessments.filter((a) => a.kind !== "exam" && a.dueAt !== null && Date.parse(a.dueAt) <= asOf);
  // A submission stamped after asOf was not known then: it counts as not (yet) submitted.
  const submitted = (a: (typeof due)[number]) => a.submittedAt !== null && Date.parse(a.submittedAt) <= asOf;
  const missed = due.filter((a) => !submitted(a) && !a.banked);
  const dueWeight = due.reduce((s, a) => s + a.weight, 0);
  const missedWeight = missed.reduce((s, a) => s + a.weight, 0);
  // Weighted by grade weight; when the due work carries no weight (formative quizzes), by count.
  const missedWork = due.length === 0 ? null : dueWeight > 0 ? missedWeight / dueWeight : missed.length / due.length;

  const scored = snapshot.assessments.filter((a) => submitted(a) && !a.banked && a.score !== null);
  const meanScore = scored.length === 0 ? null : scored.reduce((s, a) => s + a.score!, 0) / scored.length;
  const scoreShortfall = meanScore === null ? null : (COMFORTABLE_SCORE - meanScore) / 10;

  // Handed in, but after the due date (compared as local calendar days: the same evening is on time).
  const dueSubmitted = due.filter((a) => submitted(a) && !a.banked);
  const late = dueSubmitted.filter((a) => localDateOf(a.submittedAt!, tz) > localDateOf(a.dueAt!, tz));
  const lateWork = dueSubmitted.length === 0 ? null : late.length / dueSubmitted.length;

  // Withdrawals thin out as a course goes on: the week of the course shifts the baseline. Capped
  // at week 16, the last the model was fitted on.
  const courseWeek = courseDay === null ? null : Math.min(Math.max(courseDay, 0), MAX_COURSE_DAY) / 7;

  const credits = snapshot.enrollments.map((e) => e.studiedCredits).filter((c): c is number => c !== undefined);
  const studiedCredits = credits.length ? Math.max(...credits) : null;
  const studyLoad = studiedCredits === null ? null : Math.log(Math.max(studiedCredits, 10) / REFERENCE_CREDITS);

  const missedAssessments = missed
    .map((a) => ({ title: a.title ?? null, dueDate: localDateOf(a.dueAt!, tz) }))
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  const unitDays = snapshot.enrollments
    .flatMap((e) => e.unitsCompleted)
    .filter((u) => Date.parse(u.completedAt) <= asOf)
    .map((u) => localDateOf(u.completedAt, tz))
    .sort();
  const unitsCompleted = unitDays.length;
  const daysSinceLastUnit = unitDays.length ? daysBetween(unitDays.at(-1)!, today) : null;
  const unitsLeft = Math.max(0, snapshot.enrollments.reduce((s, e) => s + e.unitsTotal, 0) - unitsCompleted);
  const joined = snapshot.enrollments
    .map((e) => {
      const registered = e.enrolledAt ? localDateOf(e.enrolledAt, tz) : null;
      return registered !== null && registered > e.startDate ? registered : e.startDate;
    })
    .sort();
  const daysEnrolled = joined[0] === undefined ? null : daysBetween(joined[0], today);

  return {
    values: { missedWork, lateWork, scoreShortfall, studyLoad, courseWeek },
    facts: {
      today,
      courseDay,
      assessmentsDue: due.length,
      assessmentsMissed: missed.length,
      missedWeight,
      dueWeight,
      meanScore,
      scoredCount: scored.length,
      assessmentsLate: late.length,
      assessmentsSubmittedWhenDue: dueSubmitted.length,
      studiedCredits,
      missedAssessments,
      unitsCompleted,
      daysSinceLastUnit,
      unitsLeft,
      daysEnrolled,
    },
  };
}
