import { describe, expect, it } from "vitest";
import { DropoffRisk, Forecast, Velocity } from "../contract.ts";
import type { InsightAnalytics } from "../insights/analytics.ts";
import { computeVelocity, dropoffModel, forecastOutcome, scoreDropoffRisk } from "./index.ts";
import type { LearnerSnapshot } from "./snapshot.ts";

// Compile-time: the functions fit the dependency LearnerInsights expects, without adapters.
const analytics = { velocity: computeVelocity, dropoffRisk: scoreDropoffRisk, forecast: forecastOutcome };
const wired: InsightAnalytics = { version: dropoffModel.version, retiredVersions: [], ...analytics };

const learner: LearnerSnapshot = {
  schemaVersion: 1,
  learnerId: "lrn-acme-0007",
  orgId: "acme",
  timeZone: "America/New_York",
  asOf: "2026-11-02T15:00:00Z", // the day after the US clocks went back
  enrollments: [
    {
      courseId: "crs-a",
      startDate: "2026-09-07",
      dueDate: "2026-12-18",
      unitsTotal: 20,
      unitsCompleted: Array.from({ length: 9 }, (_, i) => ({
        unitId: `u${i}`,
        completedAt: new Date(Date.UTC(2026, 8, 8 + i * 6, 23, 30)).toISOString(),
      })),
    },
  ],
  assessments: [
    {
      assessmentId: "q1",
      courseId: "crs-a",
      kind: "quiz",
      dueAt: "2026-09-20T03:59:00Z",
      submittedAt: "2026-09-19T20:00:00Z",
      score: 72,
      weight: 20,
    },
    {
      assessmentId: "q2",
      courseId: "crs-a",
      kind: "quiz",
      dueAt: "2026-10-18T03:59:00Z",
      submittedAt: null,
      score: null,
      weight: 20,
    },
    {
      assessmentId: "p1",
      courseId: "crs-a",
      kind: "project",
      dueAt: "2026-12-18T04:59:00Z",
      submittedAt: null,
      score: null,
      weight: 60,
    },
  ],
  activity: [{ at: "2026-10-30T14:00:00Z", kind: "lesson", minutes: 30 }],
};

describe("analytics as the API serves them", () => {
  it("answer in the contract's shapes, for one learner, with one version", () => {
    expect(Velocity.parse(wired.velocity(learner))).toEqual(analytics.velocity(learner));
    expect(DropoffRisk.parse(wired.dropoffRisk(learner))).toEqual(analytics.dropoffRisk(learner));
    expect(Forecast.parse(wired.forecast(learner))).toEqual(analytics.forecast(learner));
    expect(analytics.dropoffRisk(learner).modelVersion).toBe(dropoffModel.version);
  });

  it("is pure: the same snapshot gives the same answers, and the snapshot is untouched", () => {
    const before = structuredClone(learner);
    expect(analytics.dropoffRisk(learner)).toEqual(analytics.dropoffRisk(structuredClone(learner)));
    expect(analytics.forecast(learner)).toEqual(analytics.forecast(structuredClone(learner)));
    expect(learner).toEqual(before);
  });
});
