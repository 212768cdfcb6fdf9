/**
 * The synthetic learner behind `dataSource: "mock"` (demo only, MOCK_FALLBACK=true): a steady
 * learner halfway through one course, varied a little by the learner id so a dashboard of mocks
 * does not look cloned. It goes through the same pure analytics as real data, so a mock answer
 * has exactly the shape and meaning of a real one; only the input is invented.
 */
import type { LearnerSnapshot } from "../analytics/snapshot.ts";

const DAY_MS = 86_400_000;

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function mockSnapshot(learnerId: string, now: Date): LearnerSnapshot {
  const h = hash(learnerId);
  const start = now.getTime() - (42 + (h % 21)) * DAY_MS;
  const unitsTotal = 20 + (h % 12);
  const everyDays = 3 + (h % 3);
  const completed: { unitId: string; completedAt: string }[] = [];
  for (let at = start + DAY_MS, n = 1; at < now.getTime() && n <= unitsTotal; at += everyDays * DAY_MS, n++) {
    completed.push({ unitId: `mock-u${n}`, completedAt: new Date(at).toISOString() });
  }
  return {
    schemaVersion: 1,
    learnerId,
    orgId: "mock",
    timeZone: "UTC",
    asOf: now.toISOString(),
    enrollments: [
      {
        courseId: "mock-course",
        startDate: dateOf(start),
        dueDate: dateOf(start + 16 * 7 * DAY_MS),
        unitsTotal,
        unitsCompleted: completed,
      },
    ],
    assessments: [],
    activity: completed.map((c) => ({ at: c.completedAt, kind: "lesson" as const })),
    source: "mock",
  };
}
