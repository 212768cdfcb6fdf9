/**
 * The drop-off risk answer's sentences: built once as messages (an id and the values in it, see
 * `RiskMessages` in contract.ts) and worded here in English. Clients that speak another language
 * word the same messages themselves (the widgets' catalogues), so the values, not the wording, are
 * the contract.
 */
import type { MissedAssessment, RiskLevel, RiskMessage, RiskMessageId, RiskMessages } from "../contract.ts";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const MONTHS = "January February March April May June July August September October November December".split(" ");
/** "2026-03-29" -> "29 March": how people write a due date. */
const dayAndMonth = (date: string) => `${Number(date.slice(8, 10))} ${MONTHS[Number(date.slice(5, 7)) - 1]}`;

function listOf(items: string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** The missed work by name ("Assignment 2 and the assessment due 29 March"); at most three named. */
function missedWorkNamed(missed: MissedAssessment[]): string {
  const names = missed.map((a) => a.title ?? `the assessment due ${dayAndMonth(a.dueDate)}`);
  if (names.length <= 3) return listOf(names);
  return `the ${missed.length} missed assessments, starting with ${listOf(names.slice(0, 2))}`;
}

/** How soon to act, by level: the factors say what to do, the level says how urgently. */
const URGENCY: Record<RiskLevel, { learner: string; trainer: string }> = {
  low: { learner: "Next time you study", trainer: "At your next check-in" },
  medium: { learner: "This week", trainer: "This week" },
  high: { learner: "In the next few days", trainer: "In the next few days" },
  critical: { learner: "Today", trainer: "Today" },
};

type English = { [K in RiskMessageId]: (v: RiskMessages[K]) => string };

export const english: English = {
  "reason.missedWork.some": (v) =>
    `Has not handed in ${v.missed} of the ${plural(v.due, "assessment")} due so far${
      v.weightPercent === null ? "" : ` (${v.weightPercent} % of the grade weight due)`
    }.`,
  "reason.missedWork.none": (v) => `Handed in all ${plural(v.due, "assessment")} due so far.`,
  "reason.lateWork.some": (v) =>
    `Handed in ${v.late} of ${plural(v.submitted, "submitted assessment")} after the due date.`,
  "reason.lateWork.none": (v) => `Handed in all ${plural(v.submitted, "submitted assessment")} on time.`,
  "reason.scoreShortfall.below": (v) =>
    `Averages ${v.mean} out of 100 over ${plural(v.marked, "marked assessment")}, below the usual ${v.typical}.`,
  "reason.scoreShortfall.above": (v) =>
    `Averages ${v.mean} out of 100 over ${plural(v.marked, "marked assessment")}, above the usual ${v.typical}.`,
  "reason.courseWeek.early": (v) =>
    `In week ${v.week} of the course: most learners who leave do so in the first weeks.`,
  "reason.courseWeek.past": (v) =>
    `In week ${v.week} of the course: past the weeks when most learners who leave do so.`,
  "reason.studyLoad.more": (v) => `Taking ${v.credits} credits of study at once, more than the usual ${v.typical}.`,
  "reason.studyLoad.less": (v) => `Taking ${v.credits} credits of study at once, less than the usual ${v.typical}.`,
  // Each says what a missing signal means for the score (the model takes the typical value: no push).
  "missing.missedWork": () => "Missed work: nothing has been due yet, so the score counts it as typical.",
  "missing.scoreShortfall": () => "Scores: nothing has been marked yet, so the score counts them as typical.",
  "missing.lateWork": () =>
    "Late hand-ins: nothing has been handed in against a due date yet, so the score counts them as typical.",
  "missing.studyLoad": () =>
    "Study load: the learner's credits are not on record, so the score assumes a typical load.",
  "missing.courseWeek": () =>
    "Time in the course: the learner is not enrolled in any course, so the score assumes a typical week.",
  "action.learner.missedWork": (v) =>
    `${URGENCY[v.urgency].learner}: catch up on ${missedWorkNamed(v.missed)}, past ${
      v.missed.length === 1 ? "its due date" : "their due dates"
    }, or ask your trainer about an extension.`,
  "action.trainer.missedWork": (v) =>
    `${URGENCY[v.urgency].trainer}: reach out about the missed work (${missedWorkNamed(v.missed)}) and agree a catch-up plan.`,
  "action.learner.scoreShortfall": (v) =>
    `${URGENCY[v.urgency].learner}: revisit your weakest topics, going through the feedback on your marked work, and ask for help.`,
  "action.trainer.scoreShortfall": (v) =>
    `${URGENCY[v.urgency].trainer}: offer help on the topics behind the low scores (average ${v.mean} out of 100).`,
  "action.learner.lateWork": (v) =>
    `${URGENCY[v.urgency].learner}: plan your hand-ins, putting the next due dates in your calendar and starting each assessment a week ahead.`,
  "action.trainer.lateWork": (v) =>
    `${URGENCY[v.urgency].trainer}: ask what gets in the way of deadlines (${v.late} of ${plural(v.submitted, "hand-in")} came in late).`,
  "action.learner.courseWeek": (v) =>
    `${URGENCY[v.urgency].learner}: fix two study slots a week in your calendar, as the first weeks set the rhythm.`,
  "action.trainer.courseWeek": (v) =>
    `${URGENCY[v.urgency].trainer}: check in during these first weeks, when most withdrawals happen.`,
  "action.learner.studyLoad": (v) =>
    `${URGENCY[v.urgency].learner}: plan your week across all your courses; consider deferring one if the load is too much.`,
  "action.trainer.studyLoad": (v) =>
    `${URGENCY[v.urgency].trainer}: talk about workload, as the learner carries ${v.credits} credits at once.`,
  "action.learner.quiet": (v) =>
    `No lesson finished for ${plural(v.weeks, "week")}: pick up where you left off with one lesson this week.`,
  "action.trainer.quiet": (v) =>
    `No lesson finished for ${plural(v.weeks, "week")}: ask the learner what stopped them and help them restart.`,
  "action.learner.firstSteps": () => "Complete your first lesson and assessment so your progress can be tracked.",
  "action.trainer.firstSteps": () =>
    "Welcome the learner and check they can reach the first lesson: there is no history yet to judge.",
  "action.learner.noWorkYet": (v) =>
    `No lesson or assessment is recorded for you after ${plural(v.weeks, "week")} in the course: complete a first lesson this week, or tell your trainer what is in the way.`,
  "action.trainer.noWorkYet": (v) =>
    `No work recorded after ${plural(v.weeks, "week")} in the course: contact the learner to check they can reach it and what is in the way.`,
  "action.learner.steady": () => "Keep your current rhythm: nothing in your work so far raises your risk.",
  "action.trainer.steady": () => "No action needed on drop-off risk now; review again after the next assessment.",
};

/** The English sentence of a message. */
export function inEnglish(message: RiskMessage): string {
  return (english[message.id] as (v: unknown) => string)(message.values);
}
