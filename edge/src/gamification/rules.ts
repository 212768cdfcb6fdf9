/**
 * Points and levels: the documented rules of docs/gamification.md. Pure: an event in, awards out.
 * Each award becomes one ledger row keyed by (event id, rule) with its point value copied, so a
 * change here (with a new RULES_VERSION) never rewrites points already awarded.
 */

export const RULES_VERSION = "2026-11-v1";

export const EVENT_TYPES = [
  "lesson_completed",
  "assessment_passed",
  "assessment_failed",
  "course_completed",
  "devlab_session",
  "login",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** An accepted activity event (the ingestion format, see src/events/schema.ts). */
export interface LearningEvent {
  eventId: string;
  learnerId: string;
  orgId: string;
  type: EventType;
  /** ISO 8601 instant. */
  occurredAt: string;
  data: Record<string, unknown>;
}

export interface Award {
  rule: string;
  points: number;
}

/** Rule name to points. The event types earn their base points; the rest are bonuses. */
export const POINTS = {
  lesson_completed: 10,
  assessment_passed: 50,
  /** Failing still earns a little: showing up for an assessment is effort worth rewarding. */
  assessment_attempted: 5,
  perfect_score: 25,
  course_completed: 200,
  devlab_session: 15,
  /** A DevLab session of DEEP_WORK_MINUTES or more. */
  devlab_deep_work: 10,
} as const;

export const PERFECT_SCORE = 100;
export const DEEP_WORK_MINUTES = 45;

const numberIn = (data: Record<string, unknown>, key: string): number | null =>
  typeof data[key] === "number" && Number.isFinite(data[key]) ? (data[key] as number) : null;

export function awardsFor(event: Pick<LearningEvent, "type" | "data">): Award[] {
  const award = (rule: keyof typeof POINTS): Award => ({ rule, points: POINTS[rule] });
  switch (event.type) {
    case "lesson_completed":
      return [award("lesson_completed")];
    case "assessment_passed": {
      const score = numberIn(event.data, "score");
      return score !== null && score >= PERFECT_SCORE
        ? [award("assessment_passed"), award("perfect_score")]
        : [award("assessment_passed")];
    }
    case "assessment_failed":
      return [award("assessment_attempted")];
    case "course_completed":
      return [award("course_completed")];
    case "devlab_session": {
      const minutes = numberIn(event.data, "minutes");
      return minutes !== null && minutes >= DEEP_WORK_MINUTES
        ? [award("devlab_session"), award("devlab_deep_work")]
        : [award("devlab_session")];
    }
    case "login":
      // Logging in earns nothing by itself: points follow learning, not visits.
      return [];
  }
}

export interface LevelDefinition {
  level: number;
  name: string;
  /** Total points at which the level starts. */
  from: number;
}

export const LEVELS: readonly LevelDefinition[] = [
  { level: 1, name: "Newcomer", from: 0 },
  { level: 2, name: "Explorer", from: 100 },
  { level: 3, name: "Apprentice", from: 300 },
  { level: 4, name: "Practitioner", from: 600 },
  { level: 5, name: "Achiever", from: 1000 },
  { level: 6, name: "Expert", from: 1600 },
  { level: 7, name: "Master", from: 2500 },
  { level: 8, name: "Champion", from: 4000 },
  { level: 9, name: "Legend", from: 6000 },
  { level: 10, name: "Luminary", from: 9000 },
];

export interface LevelStanding {
  level: number;
  levelName: string;
  pointsIntoLevel: number;
  /** Points the current level spans (progress = pointsIntoLevel / pointsForNextLevel); null at the top. */
  pointsForNextLevel: number | null;
}

export function levelFor(points: number): LevelStanding {
  const total = Math.max(0, Math.floor(points));
  let index = 0;
  while (index + 1 < LEVELS.length && LEVELS[index + 1]!.from <= total) index += 1;
  const current = LEVELS[index]!;
  const next = LEVELS[index + 1];
  return {
    level: current.level,
    levelName: current.name,
    pointsIntoLevel: total - current.from,
    pointsForNextLevel: next ? next.from - current.from : null,
  };
}
