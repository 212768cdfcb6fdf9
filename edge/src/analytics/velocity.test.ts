import { describe, expect, it } from "vitest";
import { forecastOutcome } from "./forecast.ts";
import type { LearnerSnapshot } from "./snapshot.ts";
import { computeVelocity } from "./velocity.ts";

/**
 * A London learner on 31 March 2026, two days after the clocks went forward. The course runs
 * 2 March - 24 May (84 days, 12 weeks) with 24 units: the even plan is 2 units a week.
 * Two completions sit on either side of midnight around the change, so a UTC-day count would
 * put them in the wrong week.
 */
const acrossDst: LearnerSnapshot = {
  schemaVersion: 1,
  learnerId: "lrn-dst",
  orgId: "org-a",
  timeZone: "Europe/London",
  asOf: "2026-03-31T10:00:00+01:00",
  enrollments: [
    {
      courseId: "crs-1",
      startDate: "2026-03-02",
      dueDate: "2026-05-24",
      unitsTotal: 24,
      unitsCompleted: [
        { unitId: "u1", completedAt: "2026-03-03T18:00:00Z" }, // outside the 28-day window
        { unitId: "u2", completedAt: "2026-03-10T18:00:00Z" },
        { unitId: "u3", completedAt: "2026-03-12T18:00:00Z" },
        { unitId: "u4", completedAt: "2026-03-20T18:00:00Z" },
        { unitId: "u5", completedAt: "2026-03-28T23:30:00Z" }, // 23:30 GMT, Saturday 28th
        { unitId: "u6", completedAt: "2026-03-29T00:30:00Z" }, // 00:30 GMT, Sunday 29th
        { unitId: "u7", completedAt: "2026-03-29T23:30:00Z" }, // 00:30 BST, Monday 30th: a new week
        { unitId: "u8", completedAt: "2026-04-02T09:00:00Z" }, // after asOf: not known yet
      ],
    },
  ],
  assessments: [
    {
      assessmentId: "a1",
      courseId: "crs-1",
      dueAt: "2026-03-15T23:59:00Z",
      submittedAt: "2026-03-14T10:00:00Z",
      score: 80,
      weight: 20,
    },
    {
      assessmentId: "a2",
      courseId: "crs-1",
      dueAt: "2026-03-22T23:59:00Z",
      submittedAt: "2026-03-22T10:00:00Z",
      score: 60,
      weight: 20,
    },
    {
      assessmentId: "a3",
      courseId: "crs-1",
      dueAt: "2026-03-29T22:59:00Z",
      submittedAt: null,
      score: null,
      weight: 10,
    },
    {
      assessmentId: "a4",
      courseId: "crs-1",
      dueAt: "2026-05-20T22:59:00Z",
      submittedAt: null,
      score: null,
      weight: 50,
    },
  ],
  activity: [],
};

const newcomer: LearnerSnapshot = {
  schemaVersion: 1,
  learnerId: "lrn-new",
  orgId: "org-a",
  timeZone: "America/New_York",
  asOf: "2026-03-10T15:00:00Z",
  enrollments: [
    { courseId: "crs-2", startDate: "2026-03-09", dueDate: "2026-06-07", unitsTotal: 10, unitsCompleted: [] },
  ],
  assessments: [],
  activity: [],
};

describe("computeVelocity", () => {
  it("matches the hand-computed figures across the March clock change", () => {
    const v = computeVelocity(acrossDst);
    // window 4 March - 31 March (28 days): u2..u7 = 6 units -> 6 * 7 / 28 = 1.5 a week
    expect(v.currentPace).toBe(1.5);
    // 17 units left, 54 days to 24 May -> 17 * 7 / 54 = 2.2037
    expect(v.targetPace).toBe(2.2);
    // last 14 days (18-31 March): u4 u5 u6 u7 = 4; the 14 before: u2 u3 = 2 -> +100 %
    expect(v.trendPercentage).toBe(100);
    expect(v.trendDirection).toBe("up");
    // 1.5 / 2.2037 = 0.68: between 0.6 and 0.9
    expect(v.status).toBe("behind");
    // ceil(17 / 1.5 * 7) = ceil(79.33) = 80 days after 31 March
    expect(v.estimatedCompletion).toBe("2026-06-19");
    expect(v.unitsCompleted).toBe(7);
    expect(v.unitsTotal).toBe(24);
    expect(v.weekly).toEqual([
      { weekStart: "2026-03-02", units: 1, targetUnits: 2 },
      { weekStart: "2026-03-09", units: 2, targetUnits: 2 },
      { weekStart: "2026-03-16", units: 1, targetUnits: 2 },
      { weekStart: "2026-03-23", units: 2, targetUnits: 2 }, // u5, u6 (Sat, Sun)
      { weekStart: "2026-03-30", units: 1, targetUnits: 2 }, // u7 at 00:30 BST on Monday
    ]);
  });

  it("gives no percentage for a pace picked up from nothing (no '100 % more than none')", () => {
    // Only the last 14 days (18-31 March) have units; the 14 before have none.
    const restarted: LearnerSnapshot = {
      ...acrossDst,
      enrollments: [
        {
          ...acrossDst.enrollments[0]!,
          unitsCompleted: acrossDst.enrollments[0]!.unitsCompleted.filter((u) => u.completedAt >= "2026-03-20"),
        },
      ],
    };
    const v = computeVelocity(restarted);
    expect(v.trendPercentage).toBeNull();
    expect(v.trendDirection).toBe("up");
  });

  it("gives a learner with no history a zero pace, no date and a week's grace", () => {
    const v = computeVelocity(newcomer);
    expect(v.currentPace).toBe(0);
    // 10 units over the 89 days from 10 March to 7 June: 10 * 7 / 89 = 0.786
    expect(v.targetPace).toBe(0.79);
    expect(v.trendDirection).toBe("flat");
    expect(v.trendPercentage).toBe(0);
    expect(v.status).toBe("on_track");
    expect(v.estimatedCompletion).toBeNull();
    // one week (Monday 9 March); plan: 10 units over 91 days (9 March - 7 June), 7 days of it
    expect(v.weekly).toEqual([{ weekStart: "2026-03-09", units: 0, targetUnits: 0.77 }]);
  });

  it("calls a learner at risk once a due date has passed with work left", () => {
    const late = { ...newcomer, asOf: "2026-06-20T15:00:00Z" };
    expect(computeVelocity(late).status).toBe("at_risk");
  });
});

describe("forecastOutcome", () => {
  it("projects completion with a Poisson interval and the final score by grade weight", () => {
    const f = forecastOutcome(acrossDst);
    expect(f.projectedCompletion).toBe("2026-06-19");
    // k = 6 in 4 weeks: fast (6 + 1.96 sqrt 6) / 4 = 2.700, slow (6 - 4.801) / 4 = 0.2998 a week
    // earliest: ceil(17 / 2.700 * 7) = 45 days; latest: ceil(17 / 0.2998 * 7) = 397 days
    expect(f.completionInterval).toEqual({ earliest: "2026-05-15", latest: "2027-05-02" });
    // marked a1 80 (w20), a2 60 (w20): average 70; a3 missed (w10) counts 0; a4 (w50) at 70
    // expected = 70 * 40/100 + 70 * 0.5 = 63; sd 14.14, half-width 1.96 * 14.14 * 0.5 / sqrt 2 = 9.8
    expect(f.expectedFinalScore).toBe(63);
    expect(f.scoreInterval).toEqual({ low: 53.2, high: 72.8 });
    // evidence: 2 marked scores -> medium; score range 19.6 points -> medium; but the completion
    // range spans 352 days (over 84) -> low: the confidence covers the dates too
    expect(f.confidence).toBe("low");
  });

  it("gives high confidence only when the evidence is ample and both intervals are narrow", () => {
    // 24 units from 2 March; 4 done in each of the weeks of 2, 9, 16 and 23 March (4th-27th): k = 16
    const days = [4, 5, 6, 7, 10, 11, 12, 13, 17, 18, 19, 20, 24, 25, 26, 27];
    const steady = (scores: number[]): LearnerSnapshot => ({
      ...acrossDst,
      enrollments: [
        {
          ...acrossDst.enrollments[0]!,
          unitsCompleted: days.map((d, i) => ({
            unitId: `u${i}`,
            completedAt: `2026-03-${String(d).padStart(2, "0")}T12:00:00Z`,
          })),
        },
      ],
      assessments: [
        ...scores.map((score, i) => ({
          assessmentId: `m${i}`,
          courseId: "crs-1",
          dueAt: `2026-03-${10 + i}T12:00:00Z`,
          submittedAt: `2026-03-${10 + i}T09:00:00Z`,
          score,
          weight: 10,
        })),
        {
          assessmentId: "final",
          courseId: "crs-1",
          dueAt: "2026-05-20T12:00:00Z",
          submittedAt: null,
          score: null,
          weight: 60,
        },
      ],
    });
    // 8 left; fast (16 + 1.96 * 4) / 4 = 5.96, slow (16 - 7.84) / 4 = 2.04 units a week
    // earliest ceil(8 / 5.96 * 7) = 10 days, latest ceil(8 / 2.04 * 7) = 28 days: 18 days wide (<= 28)
    const narrow = forecastOutcome(steady([80, 80, 84, 76]));
    expect(narrow.completionInterval).toEqual({ earliest: "2026-04-10", latest: "2026-04-28" });
    // mean 80, sd sqrt(32 / 3) = 3.266; half-width 1.96 * 3.266 * 0.6 / 2 = 1.92 -> 78.1 - 81.9 (<= 10)
    expect(narrow.scoreInterval).toEqual({ low: 78.1, high: 81.9 });
    expect(narrow.confidence).toBe("high");
    // sd sqrt(400 / 3) = 11.547; mean 80, half-width 6.79 -> 73.2 - 86.8, 13.6 points wide (10 < w <= 20)
    const spread = forecastOutcome(steady([70, 90, 70, 90]));
    expect(spread.scoreInterval).toEqual({ low: 73.2, high: 86.8 });
    expect(spread.confidence).toBe("medium");
    // sd sqrt(2500 / 3) = 28.87; half-width 16.97 -> 33.9 points wide (> 20)
    expect(forecastOutcome(steady([50, 100, 50, 100])).confidence).toBe("low");
  });

  it("has low confidence when it projects nothing, even with weeks of history behind it", () => {
    // Units in two weeks of early March, none in the four weeks before 14 April, no marked work:
    // no completion date, no score, so nothing to be "medium" about.
    const stalled: LearnerSnapshot = {
      ...acrossDst,
      asOf: "2026-04-14T10:00:00+01:00",
      enrollments: [
        {
          ...acrossDst.enrollments[0]!,
          unitsCompleted: [
            { unitId: "u1", completedAt: "2026-03-10T18:00:00Z" },
            { unitId: "u2", completedAt: "2026-03-12T18:00:00Z" },
            { unitId: "u3", completedAt: "2026-03-16T18:00:00Z" },
          ],
        },
      ],
      assessments: [],
    };
    const f = forecastOutcome(stalled);
    expect(computeVelocity(stalled).weekly.filter((w) => w.units > 0).length).toBeGreaterThanOrEqual(2);
    expect(f.projectedCompletion).toBeNull();
    expect(f.expectedFinalScore).toBeNull();
    expect(f.confidence).toBe("low");
  });

  it("says it cannot project for a learner with no history", () => {
    const f = forecastOutcome(newcomer);
    expect(f.projectedCompletion).toBeNull();
    expect(f.completionInterval).toBeNull();
    expect(f.expectedFinalScore).toBeNull();
    expect(f.scoreInterval).toBeNull();
    expect(f.confidence).toBe("low");
    expect(f.commentary).toMatch(/nothing to project/);
  });
});
