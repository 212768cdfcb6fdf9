/**
 * Streaks and badges from a learner's whole history. Pure and order-free: the answer depends on
 * the set of events only (sorted here by occurredAt, then eventId), so events that arrive late or
 * out of order give the same streak and the same badges, with the same earnedAt, as in order.
 *
 * A day is a calendar day in the learner's IANA time zone: it ends at the learner's midnight, and a
 * 23- or 25-hour day across a daylight-saving change is still one day (see analytics/calendar.ts).
 */
import { daysBetween, localDateOf } from "../analytics/calendar.ts";
import type { BadgeId } from "../contract.ts";
import { DEEP_WORK_MINUTES, type EventType, type LearningEvent, PERFECT_SCORE } from "./rules.ts";

/** Learning counts toward a streak; a login alone does not (no freeze days either). */
export const STREAK_EVENT_TYPES: ReadonlySet<EventType> = new Set([
  "lesson_completed",
  "assessment_passed",
  "assessment_failed",
  "course_completed",
  "devlab_session",
]);

export interface BadgeDefinition {
  /** One of contract.ts's BADGE_IDS, which clients word in their own language. */
  id: BadgeId;
  name: string;
  description: string;
  criteria: string;
}

export const BADGES: readonly BadgeDefinition[] = [
  {
    id: "first_steps",
    name: "First Steps",
    description: "Completed a first lesson.",
    criteria: "Complete any lesson.",
  },
  {
    id: "first_course",
    name: "Course Finisher",
    description: "Completed a first course.",
    criteria: "Complete every lesson of a course.",
  },
  {
    id: "course_collector",
    name: "Course Collector",
    description: "Completed three different courses.",
    criteria: "Complete three courses.",
  },
  {
    id: "streak_7",
    name: "Week Streak",
    description: "Learned seven days in a row.",
    criteria: "Learn something on seven consecutive days.",
  },
  {
    id: "streak_30",
    name: "Month Streak",
    description: "Learned thirty days in a row.",
    criteria: "Learn something on thirty consecutive days.",
  },
  {
    id: "perfect_score",
    name: "Perfect Score",
    description: "Scored 100 % on an assessment.",
    criteria: "Pass an assessment with a perfect score.",
  },
  {
    id: "never_give_up",
    name: "Never Give Up",
    description: "Passed an assessment after failing it.",
    criteria: "Retake a failed assessment and pass it.",
  },
  {
    id: "devlab_10",
    name: "Lab Regular",
    description: "Ten DevLab sessions.",
    criteria: "Practise in DevLab ten times.",
  },
  {
    id: "deep_work",
    name: "Deep Work",
    description: `A DevLab session of ${DEEP_WORK_MINUTES} minutes or more.`,
    criteria: `Stay with one DevLab session for ${DEEP_WORK_MINUTES} minutes.`,
  },
  {
    id: "lessons_50",
    name: "Half Century",
    description: "Fifty lessons completed.",
    criteria: "Complete fifty lessons.",
  },
  {
    id: "back_on_track",
    name: "Back on Track",
    description: "Came back to learning after two weeks away.",
    criteria: "Learn again after fourteen days or more without learning.",
  },
];

export const BACK_ON_TRACK_GAP_DAYS = 14;

/** A zone Intl knows, else UTC: a bad zone from the Directory must not stop a learner's progress. */
export function usableTimeZone(timeZone: string | undefined): string {
  if (!timeZone) return "UTC";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
}

export interface EarnedBadge {
  badgeId: string;
  earnedAt: string;
  sourceEventId: string;
}

/** What record_learner_progress stores. */
export interface LearnerProgress {
  timeZone: string;
  /** Length of the latest run of consecutive active days and the day it ended on. */
  currentRunDays: number;
  currentRunEnd: string | null;
  longestStreak: number;
  activeDays: number;
  badges: EarnedBadge[];
}

type HistoryEvent = Pick<LearningEvent, "eventId" | "type" | "occurredAt" | "data">;

const chronological = (a: HistoryEvent, b: HistoryEvent) =>
  Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);

export function progressFrom(history: readonly HistoryEvent[], timeZone: string): LearnerProgress {
  const events = [...history].sort(chronological);
  const earned = new Map<string, EarnedBadge>();
  const earn = (badgeId: string, event: HistoryEvent) => {
    if (!earned.has(badgeId))
      earned.set(badgeId, { badgeId, earnedAt: event.occurredAt, sourceEventId: event.eventId });
  };

  let lessons = 0;
  let labSessions = 0;
  const coursesCompleted = new Set<string>();
  const failedAssessments = new Set<string>();
  let lastDay: string | null = null;
  let run = 0;
  let longest = 0;
  let activeDays = 0;

  for (const event of events) {
    const { data } = event;
    if (STREAK_EVENT_TYPES.has(event.type)) {
      // First learning event of a local day: extend or restart the run.
      const day = localDateOf(event.occurredAt, timeZone);
      if (day !== lastDay) {
        const gap = lastDay === null ? null : daysBetween(lastDay, day);
        if (gap !== null && gap > BACK_ON_TRACK_GAP_DAYS) earn("back_on_track", event);
        run = gap === 1 ? run + 1 : 1;
        lastDay = day;
        activeDays += 1;
        longest = Math.max(longest, run);
        if (run >= 7) earn("streak_7", event);
        if (run >= 30) earn("streak_30", event);
      }
    }
    switch (event.type) {
      case "lesson_completed":
        lessons += 1;
        earn("first_steps", event);
        if (lessons >= 50) earn("lessons_50", event);
        break;
      case "course_completed":
        coursesCompleted.add(typeof data.courseId === "string" ? data.courseId : event.eventId);
        earn("first_course", event);
        if (coursesCompleted.size >= 3) earn("course_collector", event);
        break;
      case "assessment_passed": {
        if (typeof data.score === "number" && data.score >= PERFECT_SCORE) earn("perfect_score", event);
        if (typeof data.assessmentId === "string" && failedAssessments.has(data.assessmentId)) {
          earn("never_give_up", event);
        }
        break;
      }
      case "assessment_failed":
        if (typeof data.assessmentId === "string") failedAssessments.add(data.assessmentId);
        break;
      case "devlab_session":
        labSessions += 1;
        if (labSessions >= 10) earn("devlab_10", event);
        if (typeof data.minutes === "number" && data.minutes >= DEEP_WORK_MINUTES) earn("deep_work", event);
        break;
      case "login":
        break;
    }
  }

  return {
    timeZone,
    currentRunDays: run,
    currentRunEnd: lastDay,
    longestStreak: longest,
    activeDays,
    badges: [...earned.values()],
  };
}

/**
 * The streak as the learner sees it today: the latest run still counts while its last day is
 * today or yesterday (local), so a streak is not lost before the learner's day is over.
 */
export function currentStreak(run: { currentRunDays: number; currentRunEnd: string | null }, today: string): number {
  if (!run.currentRunEnd) return 0;
  const sinceEnd = daysBetween(run.currentRunEnd, today);
  return sinceEnd === 0 || sinceEnd === 1 ? run.currentRunDays : 0;
}
