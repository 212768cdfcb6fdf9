import { describe, expect, it } from "vitest";
import { DropoffRisk } from "../contract.ts";
import { dropoffModel } from "./dropoff-model.ts";
import { type DropoffModel, riskLevelOf, scoreDropoffRisk } from "./risk.ts";
import { riskSignals } from "./risk-features.ts";
import type { LearnerSnapshot } from "./snapshot.ts";

/** A small model with round numbers, so the score can be checked by hand. */
const handModel: DropoffModel = {
  version: "hand-1",
  trainedOn: "test",
  intercept: -1,
  features: {
    missedWork: { coefficient: 2, reference: 0.1 },
    lateWork: { coefficient: 1, reference: 0.2 },
    scoreShortfall: { coefficient: 0.5, reference: 0 },
    studyLoad: { coefficient: 1, reference: 0 },
    courseWeek: { coefficient: -0.5, reference: 4 },
  },
  levels: { medium: 0.2, high: 0.33, critical: 0.5 },
};

const struggling: LearnerSnapshot = {
  schemaVersion: 1,
  learnerId: "lrn-struggling",
  orgId: "org-a",
  timeZone: "Europe/London",
  asOf: "2026-03-31T10:00:00+01:00",
  enrollments: [
    {
      courseId: "c1",
      startDate: "2026-03-02",
      dueDate: "2026-05-24",
      unitsTotal: 10,
      unitsCompleted: [],
      studiedCredits: 60,
    },
  ],
  assessments: [
    // due Sunday 29 March 23:59 BST; handed in at 00:30 BST Monday: a naive UTC date would call it on time
    {
      assessmentId: "a1",
      courseId: "c1",
      dueAt: "2026-03-29T22:59:00Z",
      submittedAt: "2026-03-29T23:30:00Z",
      score: 50,
      weight: 10,
    },
    { assessmentId: "a2", courseId: "c1", dueAt: "2026-03-30T22:59:00Z", submittedAt: null, score: null, weight: 30 },
    {
      assessmentId: "a3",
      courseId: "c1",
      dueAt: "2026-03-15T23:59:00Z",
      submittedAt: "2026-03-14T12:00:00Z",
      score: 50,
      weight: 0,
    },
    { assessmentId: "a4", courseId: "c1", dueAt: "2026-05-01T22:59:00Z", submittedAt: null, score: null, weight: 60 },
  ],
  activity: [],
};

describe("riskSignals", () => {
  it("reads missed and late work on the learner's calendar", () => {
    const s = riskSignals(struggling);
    // due so far: a1 (w10), a2 (w30), a3 (w0); missed a2 -> 30 / 40
    expect(s.values.missedWork).toBe(0.75);
    // submitted when due: a1 (late: Monday 30th local against Sunday 29th), a3 on time -> 1 / 2
    expect(s.values.lateWork).toBe(0.5);
    // mean score 50 -> (70 - 50) / 10
    expect(s.values.scoreShortfall).toBe(2);
    // 60 credits -> log(60 / 60)
    expect(s.values.studyLoad).toBe(0);
    // course day 29 -> week 29 / 7
    expect(s.values.courseWeek).toBeCloseTo(29 / 7, 12);
  });

  it("ignores a submission stamped after asOf", () => {
    const a2 = { ...struggling.assessments[1]!, submittedAt: "2026-04-01T09:00:00+01:00", score: 95 };
    const s = riskSignals({
      ...struggling,
      assessments: [struggling.assessments[0]!, a2, ...struggling.assessments.slice(2)],
    });
    expect(s.values.missedWork).toBe(0.75);
    expect(s.values.scoreShortfall).toBe(2);
  });
});

describe("scoreDropoffRisk", () => {
  it("adds the terms of the logistic model and explains the score by them", () => {
    const r = scoreDropoffRisk(struggling, handModel);
    // course day 29 (2 March -> 31 March): week 29/7 = 4.143
    // log-odds = -1 + 2(0.75 - 0.1) + 1(0.5 - 0.2) + 0.5(2 - 0) + 1(0 - 0) - 0.5(4.143 - 4)
    //          = -1 + 1.3 + 0.3 + 1 - 0.0714 = 1.5286; risk = 1 / (1 + e^-1.5286) = 0.822
    expect(r.riskScore).toBe(0.822);
    expect(r.riskLevel).toBe("critical");
    // raising terms 1.3, 1.0, 0.3 of 2.6
    expect(r.factors.map((f) => [f.name, f.weight, f.effect])).toEqual([
      ["missedWork", 0.5, "raises"],
      ["scoreShortfall", 0.385, "raises"],
      ["lateWork", 0.115, "raises"],
    ]);
    expect(r.factors.reduce((s, f) => s + f.weight, 0)).toBeCloseTo(1, 10);
    // name is the stable id; label and reason are for people
    expect(r.factors.map((f) => f.label)).toEqual(["Missed work", "Scores", "Late hand-ins"]);
    expect(r.factors[0]!.reason).toBe(
      "Has not handed in 1 of the 3 assessments due so far (75 % of the grade weight due).",
    );
    expect(r.factors[1]!.reason).toBe("Averages 50 out of 100 over 2 marked assessments, below the usual 70.");
    expect(r.recommendedActions.learner[0]).toMatch(/overdue assessment/);
    expect(r.recommendedActions.trainer[0]).toMatch(/1 missed assessment/);
    expect(r.missingSignals).toEqual([]);
    expect(r.modelVersion).toBe("hand-1");
  });

  it("explains a low score by what lowers it when nothing raises it", () => {
    const steady: LearnerSnapshot = {
      ...struggling,
      assessments: [
        {
          assessmentId: "a1",
          courseId: "c1",
          dueAt: "2026-03-29T22:59:00Z",
          submittedAt: "2026-03-28T10:00:00Z",
          score: 90,
          weight: 10,
        },
      ],
    };
    const r = scoreDropoffRisk(steady, handModel);
    // -1 + 2(0 - 0.1) + 1(0 - 0.2) + 0.5(-2) - 0.0714 = -2.4714 -> 0.078
    expect(r.riskScore).toBe(0.078);
    expect(r.riskLevel).toBe("low");
    // lowering terms 1.0, 0.2, 0.2, 0.0714 of 1.4714: 0.680, 0.136, 0.136, 0.049 (rounding's 0.001 off the largest)
    expect(r.factors.map((f) => [f.name, f.weight, f.effect])).toEqual([
      ["scoreShortfall", 0.679, "lowers"],
      ["missedWork", 0.136, "lowers"],
      ["lateWork", 0.136, "lowers"],
      ["courseWeek", 0.049, "lowers"],
    ]);
    expect(r.factors[3]!.label).toBe("Time in the course");
    expect(r.factors[3]!.reason).toBe("In week 5 of the course: past the weeks when most learners who leave do so.");
    expect(r.recommendedActions.learner).toEqual(["Keep your current rhythm: you are on course."]);
  });

  it("scores a learner with no history at the typical learner's risk and says what is missing", () => {
    const fresh: LearnerSnapshot = {
      ...struggling,
      assessments: [],
      enrollments: [{ ...struggling.enrollments[0]!, studiedCredits: undefined }],
    };
    delete fresh.enrollments[0]!.studiedCredits;
    const r = scoreDropoffRisk(fresh);
    // only the course week is known (day 29): log-odds = intercept + b_week * (29 / 7 - reference)
    const week = dropoffModel.features.courseWeek;
    const logOdds = dropoffModel.intercept + week.coefficient * (29 / 7 - week.reference);
    expect(r.riskScore).toBe(Math.round(1000 / (1 + Math.exp(-logOdds))) / 1000);
    expect(r.factors.map((f) => [f.name, f.weight])).toEqual([["courseWeek", 1]]);
    expect(r.missingSignals).toHaveLength(4);
    expect(r.missingSignals[0]).toBe("Missed work: no assessment has been due yet.");
    expect(r.recommendedActions.learner.join(" ")).toMatch(/first lesson/);
  });

  it("answers in the API contract's DropoffRisk shape with the committed model", () => {
    const r = scoreDropoffRisk(struggling);
    expect(DropoffRisk.parse(r)).toEqual(r);
    expect(r.modelVersion).toBe(dropoffModel.version);
  });

  it("maps scores to levels at the documented thresholds", () => {
    expect([0.1, 0.2, 0.33, 0.5].map((s) => riskLevelOf(s, handModel.levels))).toEqual([
      "low",
      "medium",
      "high",
      "critical",
    ]);
  });
});
