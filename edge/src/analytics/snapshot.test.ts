import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LearnerSnapshot, learnerSnapshotJsonSchema } from "./snapshot.ts";

const simulatorLearner = {
  schemaVersion: 1,
  learnerId: "lrn-acme-0042",
  orgId: "acme",
  timeZone: "America/New_York",
  asOf: "2026-03-10T14:00:00Z",
  enrollments: [
    {
      courseId: "crs-ts-101",
      startDate: "2026-01-05",
      dueDate: "2026-04-30",
      unitsTotal: 12,
      unitsCompleted: [{ unitId: "u1", completedAt: "2026-01-06T20:15:00-05:00" }],
      enrolledAt: "2026-01-02T09:00:00-05:00",
    },
  ],
  assessments: [
    {
      assessmentId: "quiz-1",
      courseId: "crs-ts-101",
      kind: "quiz",
      dueAt: "2026-01-20T23:59:00-05:00",
      submittedAt: "2026-01-19T18:00:00-05:00",
      score: 84,
      weight: 10,
    },
    { assessmentId: "quiz-2", courseId: "crs-ts-101", dueAt: null, submittedAt: null, score: null, weight: 10 },
  ],
  activity: [{ at: "2026-01-06T20:00:00-05:00", kind: "lesson", minutes: 25 }],
};

const ouladRegistration = {
  schemaVersion: 1,
  learnerId: "AAA-2013J-11391",
  orgId: "oulad",
  timeZone: "Europe/London",
  asOf: "2013-10-29T00:00:00Z",
  enrollments: [
    {
      courseId: "AAA-2013J",
      startDate: "2013-10-01",
      dueDate: "2014-06-26",
      unitsTotal: 0,
      unitsCompleted: [],
      enrolledAt: "2013-04-25T12:00:00+01:00",
      previousAttempts: 0,
      studiedCredits: 240,
    },
  ],
  assessments: [],
  activity: [],
  source: "oulad",
};

describe("LearnerSnapshot", () => {
  it("accepts a simulator learner and an OULAD registration", () => {
    expect(LearnerSnapshot.safeParse(simulatorLearner).success).toBe(true);
    expect(LearnerSnapshot.safeParse(ouladRegistration).success).toBe(true);
  });

  it("rejects an unknown time zone, an instant without offset and a score above 100", () => {
    const bad = (patch: object) => LearnerSnapshot.safeParse({ ...simulatorLearner, ...patch });
    expect(bad({ timeZone: "Mars/Olympus" }).success).toBe(false);
    expect(bad({ asOf: "2026-03-10T14:00:00" }).success).toBe(false);
    const assessments = [{ ...simulatorLearner.assessments[0], score: 101 }];
    const result = bad({ assessments });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["assessments", 0, "score"]);
  });

  it("has its committed JSON schema in step with the zod schema", () => {
    const committed = JSON.parse(readFileSync(new URL("./learner-snapshot.schema.json", import.meta.url), "utf8"));
    expect(committed).toEqual(learnerSnapshotJsonSchema());
    expect(committed.required).toEqual(
      expect.arrayContaining(["learnerId", "orgId", "timeZone", "asOf", "enrollments", "assessments", "activity"]),
    );
  });
});
