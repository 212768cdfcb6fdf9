/**
 * Test support (never imported by the app): a deterministic synthetic activity history, and a
 * read of everything the ledger holds, for comparing runs.
 */
import type { LearningEvent } from "../gamification/rules.ts";
import type { SqlClient } from "../store/sql.ts";
import type { KnownLearner } from "./ingest.ts";

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "UTC"];

/** `learners` learners over `days` days from 2026-02-20 (across the March DST changes). */
export function syntheticHistory(opts: { learners: number; days: number; seed?: number }) {
  const random = mulberry32(opts.seed ?? 8);
  const directory = new Map<string, KnownLearner>();
  const events: LearningEvent[] = [];
  let serial = 0;
  const uuid = () => `30000000-0000-4000-8000-${(++serial).toString(16).padStart(12, "0")}`;
  const start = Date.UTC(2026, 1, 20);
  for (let l = 0; l < opts.learners; l += 1) {
    const learnerId = `lrn-syn-${String(l).padStart(3, "0")}`;
    directory.set(learnerId, {
      learnerId,
      orgId: `org-syn-${l % 2}`,
      displayName: `Learner ${l}`,
      timeZone: ZONES[l % ZONES.length]!,
    });
    let lessons = 0;
    for (let d = 0; d < opts.days; d += 1) {
      if (random() < 0.25) continue; // a day off
      const perDay = 1 + Math.floor(random() * 3);
      for (let k = 0; k < perDay; k += 1) {
        const occurredAt = new Date(start + d * 86_400_000 + Math.floor(random() * 86_400_000)).toISOString();
        const roll = random();
        const base = { eventId: uuid(), learnerId, orgId: directory.get(learnerId)!.orgId, occurredAt };
        if (roll < 0.55) {
          lessons += 1;
          events.push({
            ...base,
            type: "lesson_completed",
            data: { courseId: `c-${lessons % 3}`, unitId: `u-${lessons}` },
          });
        } else if (roll < 0.75) {
          const score = Math.floor(random() * 101);
          const assessmentId = `as-${Math.floor(random() * 4)}`;
          events.push({
            ...base,
            type: score >= 60 ? "assessment_passed" : "assessment_failed",
            data: { assessmentId, score },
          });
        } else if (roll < 0.9) {
          events.push({ ...base, type: "devlab_session", data: { minutes: Math.floor(random() * 90) } });
        } else if (roll < 0.95) {
          events.push({ ...base, type: "course_completed", data: { courseId: `c-${Math.floor(random() * 5)}` } });
        } else {
          events.push({ ...base, type: "login", data: {} });
        }
      }
    }
  }
  return { directory, events, random };
}

/** Everything the ledger holds, in a comparable form (no wall-clock columns). */
export async function ledgerState(client: SqlClient) {
  return client.transaction(async (q) => ({
    events: (await q("select count(*)::int as n from public.activity_events", []))[0]?.n,
    ledger: await q(
      "select learner_id, count(*)::int as awards, sum(points)::int as points from public.points_ledger group by 1 order by 1",
      [],
    ),
    streaks: await q(
      `select learner_id, time_zone, current_run_days, current_run_end::text, longest_streak, active_days, history_version::int
       from public.learner_streaks order by 1`,
      [],
    ),
    badges: await q(
      `select learner_id, badge_id, to_char(earned_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') as earned_at,
              source_event_id::text from public.badges_awarded order by 1, 2`,
      [],
    ),
  }));
}
