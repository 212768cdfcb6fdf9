/**
 * Learning velocity: how fast a learner finishes units, against the pace their due dates ask for.
 * Formulas and a worked example: docs/analytics.md. All day counting is on the learner's calendar
 * (snapshot.timeZone); weeks start on Monday.
 */
import { addDays, daysBetween, localDateOf, weekStartOf } from "./calendar.ts";
import type { LearnerSnapshot } from "./snapshot.ts";

export type TrendDirection = "up" | "down" | "flat";
export type PaceStatus = "ahead" | "on_track" | "behind" | "at_risk";

export interface WeeklyPace {
  weekStart: string;
  units: number;
  targetUnits: number;
}

export interface VelocityResult {
  learnerId: string;
  currentPace: number;
  targetPace: number;
  trendDirection: TrendDirection;
  /** null when the earlier two weeks had no units: there is no percentage of nothing. */
  trendPercentage: number | null;
  status: PaceStatus;
  estimatedCompletion: string | null;
  unitsCompleted: number;
  unitsTotal: number;
  weekly: WeeklyPace[];
}

/** Trailing window of the current pace, in days (four weeks smooth out one busy or idle week). */
export const PACE_WINDOW_DAYS = 28;
/** Each half of the trend comparison: the last 14 days against the 14 before. */
export const TREND_HALF_DAYS = 14;
/** A change smaller than this (in percent) is "flat". */
export const FLAT_TREND_PERCENT = 10;
/** Weeks of history in the weekly series. */
export const WEEKLY_SERIES_WEEKS = 12;

const round = (x: number, places = 2) => Math.round(x * 10 ** places) / 10 ** places;

/** Units finished on each local date (only those finished by asOf). */
function completionsByDate(snapshot: LearnerSnapshot): Map<string, number> {
  const asOf = Date.parse(snapshot.asOf);
  const byDate = new Map<string, number>();
  for (const e of snapshot.enrollments) {
    for (const u of e.unitsCompleted) {
      if (Date.parse(u.completedAt) > asOf) continue;
      const d = localDateOf(u.completedAt, snapshot.timeZone);
      byDate.set(d, (byDate.get(d) ?? 0) + 1);
    }
  }
  return byDate;
}

/** Units completed on local dates in [from, to] inclusive. */
function unitsBetween(byDate: Map<string, number>, from: string, to: string): number {
  let n = 0;
  for (const [d, count] of byDate) if (d >= from && d <= to) n += count;
  return n;
}

/** Units the even plan of one enrollment asks for on local dates [from, to]: unitsTotal spread over start..due. */
function plannedUnits(e: LearnerSnapshot["enrollments"][number], from: string, to: string): number {
  if (e.dueDate === null) return 0;
  const courseDays = daysBetween(e.startDate, e.dueDate) + 1;
  if (courseDays <= 0) return 0;
  const lo = from > e.startDate ? from : e.startDate;
  const hi = to < e.dueDate ? to : e.dueDate;
  const overlap = daysBetween(lo, hi) + 1;
  return overlap > 0 ? (e.unitsTotal * overlap) / courseDays : 0;
}

/**
 * The trailing window the current pace is measured over: 28 days, or the days since the first
 * course started for a newer learner (at least 7, so one lucky day is not a weekly pace).
 */
export function paceWindow(snapshot: LearnerSnapshot): { windowDays: number; unitsInWindow: number } {
  const today = localDateOf(snapshot.asOf, snapshot.timeZone);
  const firstStart = snapshot.enrollments.map((e) => e.startDate).sort()[0] ?? today;
  const daysEnrolled = Math.max(1, daysBetween(firstStart, today) + 1);
  const windowDays = Math.max(7, Math.min(PACE_WINDOW_DAYS, daysEnrolled));
  return {
    windowDays,
    unitsInWindow: unitsBetween(completionsByDate(snapshot), addDays(today, -(windowDays - 1)), today),
  };
}

export function computeVelocity(snapshot: LearnerSnapshot): VelocityResult {
  const today = localDateOf(snapshot.asOf, snapshot.timeZone);
  const byDate = completionsByDate(snapshot);
  const unitsTotal = snapshot.enrollments.reduce((s, e) => s + e.unitsTotal, 0);
  const unitsCompleted = Math.min(
    unitsTotal,
    [...byDate.values()].reduce((a, b) => a + b, 0),
  );
  const remaining = unitsTotal - unitsCompleted;

  const firstStart = snapshot.enrollments.map((e) => e.startDate).sort()[0] ?? today;
  const { windowDays, unitsInWindow } = paceWindow(snapshot);
  const currentPace = (unitsInWindow * 7) / windowDays;

  // Target pace: each unfinished enrollment's remaining units over the weeks left to its due date.
  let targetPace = 0;
  let overdue = false;
  for (const e of snapshot.enrollments) {
    if (e.dueDate === null) continue;
    const done = e.unitsCompleted.filter((u) => Date.parse(u.completedAt) <= Date.parse(snapshot.asOf)).length;
    const left = Math.max(0, e.unitsTotal - done);
    if (left === 0) continue;
    const daysLeft = daysBetween(today, e.dueDate);
    if (daysLeft < 0) overdue = true;
    targetPace += (left * 7) / Math.max(1, daysLeft);
  }

  // Trend: the last two weeks against the two weeks before.
  const recent = unitsBetween(byDate, addDays(today, -(TREND_HALF_DAYS - 1)), today);
  const prior = unitsBetween(byDate, addDays(today, -(2 * TREND_HALF_DAYS - 1)), addDays(today, -TREND_HALF_DAYS));
  // From nothing there is no percentage ("100 % more than none" was said of 0, 0 -> 1, 1): null, up.
  const trendPercentage = prior === 0 ? (recent > 0 ? null : 0) : round(((recent - prior) / prior) * 100, 1);
  const trendDirection: TrendDirection =
    trendPercentage === null
      ? "up"
      : Math.abs(trendPercentage) < FLAT_TREND_PERCENT
        ? "flat"
        : trendPercentage > 0
          ? "up"
          : "down";

  // A learner in their first week has not had a week to show a pace: on track until they have.
  const daysEnrolled = daysBetween(firstStart, today) + 1;
  let status: PaceStatus;
  if (remaining === 0) status = unitsTotal > 0 ? "ahead" : "on_track";
  else if (overdue) status = "at_risk";
  else if (targetPace === 0 || daysEnrolled < 7) status = "on_track";
  else {
    const ratio = currentPace / targetPace;
    status = ratio >= 1.1 ? "ahead" : ratio >= 0.9 ? "on_track" : ratio >= 0.6 ? "behind" : "at_risk";
  }

  let estimatedCompletion: string | null = null;
  if (unitsTotal > 0 && remaining === 0) {
    estimatedCompletion = [...byDate.keys()].sort().at(-1) ?? today;
  } else if (remaining > 0 && currentPace > 0) {
    estimatedCompletion = addDays(today, Math.ceil((remaining / currentPace) * 7));
  }

  // Weekly series: the last twelve Monday-started weeks up to the current one (fewer for a newcomer).
  const thisWeek = weekStartOf(today);
  const firstWeek = weekStartOf(firstStart);
  const weeks = Math.min(WEEKLY_SERIES_WEEKS, Math.floor(daysBetween(firstWeek, thisWeek) / 7) + 1);
  const weekly: WeeklyPace[] = [];
  for (let i = Math.max(1, weeks) - 1; i >= 0; i--) {
    const weekStart = addDays(thisWeek, -7 * i);
    const weekEnd = addDays(weekStart, 6);
    weekly.push({
      weekStart,
      units: unitsBetween(byDate, weekStart, weekEnd),
      targetUnits: round(
        snapshot.enrollments.reduce((s, e) => s + plannedUnits(e, weekStart, weekEnd), 0),
        2,
      ),
    });
  }

  return {
    learnerId: snapshot.learnerId,
    currentPace: round(currentPace),
    targetPace: round(targetPace),
    trendDirection,
    trendPercentage,
    status,
    estimatedCompletion,
    unitsCompleted,
    unitsTotal,
    weekly,
  };
}
