/**
 * The Gamification answer of the API (contract.ts) from what the ledger holds for one learner.
 * Pure: the store supplies the state, the caller supplies "now".
 */
import { localDateOf } from "../analytics/calendar.ts";
import type { Gamification } from "../contract.ts";
import { BADGES, currentStreak, usableTimeZone } from "./progress.ts";
import { levelFor } from "./rules.ts";

/** What `gamification_state` returns for a learner (see supabase/migrations). */
export interface GamificationState {
  learnerId: string;
  orgId: string;
  timeZone: string;
  points: number;
  streak: {
    currentRunDays: number;
    currentRunEnd: string | null;
    longestStreak: number;
    activeDays: number;
  } | null;
  badges: { badgeId: string; earnedAt: string }[];
}

export function gamificationView(state: GamificationState, now: Date): Gamification {
  const earned = new Map(state.badges.map((b) => [b.badgeId, new Date(b.earnedAt).toISOString()]));
  const today = localDateOf(now, usableTimeZone(state.timeZone));
  return {
    learnerId: state.learnerId,
    points: state.points,
    ...levelFor(state.points),
    currentStreak: state.streak ? currentStreak(state.streak, today) : 0,
    longestStreak: state.streak?.longestStreak ?? 0,
    // Every badge, earned ones with their date and locked ones with how to earn them.
    badges: BADGES.map((b) => ({ ...b, earnedAt: earned.get(b.id) ?? null })),
  };
}
