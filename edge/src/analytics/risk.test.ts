import { describe, expect, it } from "vitest";
import { DropoffRisk } from "../contract.ts";
import { dropoffModel } from "./dropoff-model.ts";
import { type DropoffModel, riskLevelOf, scoreDropoffRisk, typicalDropoffRisk } from "./risk.ts";
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
  levels: { basis: "relative_to_typical", medium: 1.5, high: 2, critical: 3 },
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
    // the typical learner in week 4.143: -1 - 0.0714 -> 0.255; 0.822 / 0.255 = 3.2 times typical
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
    // critical: act today, on the two largest raising factors; a2 (no title) named by its local due date
    expect(r.recommendedActions.learner).toEqual([
      "Today: catch up on the assessment due 30 March, past its due date, or ask your trainer about an extension.",
      "Today: revisit your weakest topics, going through the feedback on your marked work, and ask for help.",
    ]);
    expect(r.recommendedActions.trainer).toEqual([
      "Today: reach out about the missed work (the assessment due 30 March) and agree a catch-up plan.",
      "Today: offer help on the topics behind the low scores (average 50 out of 100).",
    ]);
    expect(r.missingSignals).toEqual([]);
    expect(r.modelVersion).toBe("hand-1");
  });

  it("gives docs/analytics.md's worked example: 0.482, three times the typical learner of week 4, critical", () => {
    const r = scoreDropoffRisk({
      ...struggling,
      enrollments: [{ ...struggling.enrollments[0]!, studiedCredits: 90 }],
    });
    expect(r.riskScore).toBe(0.482);
    // typical of week 4.14 is 0.161: 0.48224 / 0.16074 = 3.0002, just over the critical bound
    expect(r.riskLevel).toBe("critical");
    expect(r.recommendedActions.learner[0]).toMatch(/^Today: revisit your weakest topics/);
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
    expect(r.recommendedActions.learner).toEqual([
      "Keep your current rhythm: nothing in your work so far raises your risk.",
    ]);
  });

  it("calls a learner gone quiet late in a course medium, against that week's typical learner", () => {
    // Gone quiet late in the course: week 15 pulls the score down to 0.169, which an absolute
    // threshold would call low; but the typical learner of week 15 is at 0.085, so it is twice that.
    const goneQuiet: LearnerSnapshot = {
      ...struggling,
      asOf: "2026-04-20T10:00:00+01:00",
      enrollments: [
        {
          ...struggling.enrollments[0]!,
          startDate: "2026-01-05",
          dueDate: "2026-05-31",
          // last unit on 16 March: 35 days (5 weeks) before 20 April, 8 of 10 units left
          unitsCompleted: [
            { unitId: "u1", completedAt: "2026-02-10T12:00:00Z" },
            { unitId: "u2", completedAt: "2026-03-16T12:00:00Z" },
          ],
        },
      ],
      assessments: [
        {
          assessmentId: "q1",
          courseId: "c1",
          title: "Assignment 1",
          dueAt: "2026-02-01T23:59:00Z",
          submittedAt: "2026-01-30T12:00:00Z",
          score: 70,
          weight: 10,
        },
        {
          assessmentId: "q2",
          courseId: "c1",
          title: "Assignment 2",
          dueAt: "2026-03-22T23:59:00Z",
          submittedAt: null,
          score: null,
          weight: 40,
        },
        {
          assessmentId: "q3",
          courseId: "c1",
          dueAt: "2026-04-05T22:59:00Z",
          submittedAt: null,
          score: null,
          weight: 50,
        },
      ],
    };
    delete goneQuiet.enrollments[0]!.studiedCredits;
    const r = scoreDropoffRisk(goneQuiet);
    // committed model: missedWork 90/100 = 0.9 -> 0.962481 (0.9 - 0.134774) = +0.736516
    // lateWork 0 -> 0.517277 (0 - 0.186109) = -0.096270; scoreShortfall 0 -> 0.263043 (0 + 0.562655) = +0.148002
    // courseWeek day 105 = week 15 -> -0.067227 (15 - 6.306701) = -0.584424; study load missing (0)
    // log-odds = -1.798227 + 0.736516 - 0.096270 + 0.148002 - 0.584424 = -1.594403 -> 1 / (1 + e^1.594403) = 0.169
    expect(r.riskScore).toBe(0.169);
    // typical in week 15: -1.798227 - 0.584424 = -2.382651 -> 0.0845; 0.16877 / 0.08451 = 1.997 -> medium
    expect(r.riskScore / typicalDropoffRisk(riskSignals(goneQuiet))).toBeCloseTo(2, 1);
    expect(r.riskLevel).toBe("medium");
    // ... and the answer says what it compared with (1 / (1 + e^2.382651) = 0.0845)
    expect(r.typicalRiskScore).toBe(0.085);
    // factors stay the model's own: raising 0.736516 and 0.148002 of 0.884518
    expect(r.factors.map((f) => [f.name, f.weight])).toEqual([
      ["missedWork", 0.833],
      ["scoreShortfall", 0.167],
    ]);
    expect(r.recommendedActions.learner[0]).toBe(
      "This week: catch up on Assignment 2 and the assessment due 5 April, past their due dates, or ask your trainer about an extension.",
    );
    expect(r.recommendedActions.trainer[0]).toBe(
      "This week: reach out about the missed work (Assignment 2 and the assessment due 5 April) and agree a catch-up plan.",
    );
    // units are no model term: they add a note beside the factors, and the score above is unchanged
    expect(r.recommendedActions.learner.at(-1)).toBe(
      "No lesson finished for 5 weeks: pick up where you left off with one lesson this week.",
    );
    expect(r.recommendedActions.trainer.at(-1)).toBe(
      "No lesson finished for 5 weeks: ask the learner what stopped them and help them restart.",
    );
    expect(JSON.stringify(r.recommendedActions)).not.toMatch(/Keep your current rhythm|No action needed/);
  });

  it("names late work and study load with the level's urgency", () => {
    const lateHandIns: LearnerSnapshot = {
      ...struggling,
      enrollments: [{ ...struggling.enrollments[0]!, studiedCredits: 120 }],
      assessments: [
        { ...struggling.assessments[0]!, score: 90 }, // handed in a day late, marked 90
        { ...struggling.assessments[2]!, score: 90 }, // on time, marked 90
      ],
    };
    const r = scoreDropoffRisk(lateHandIns, handModel);
    // -1 + 2(0 - 0.1) + 1(0.5 - 0.2) + 0.5(-2) + 1 ln(120 / 60) - 0.5(0.1429)
    //  = -1 - 0.2 + 0.3 - 1 + 0.6931 - 0.0714 = -1.2783 -> 0.218: raised by load and lateness, yet
    //  below the typical learner of week 4.143 (0.255, 0.85 times), so low: act at the next check-in
    expect(r.riskScore).toBe(0.218);
    expect(r.riskLevel).toBe("low");
    expect(r.factors.map((f) => f.name)).toEqual(["studyLoad", "lateWork"]);
    expect(r.recommendedActions.learner).toEqual([
      "Next time you study: plan your week across all your courses; consider deferring one if the load is too much.",
      "Next time you study: plan your hand-ins, putting the next due dates in your calendar and starting each assessment a week ahead.",
    ]);
    expect(r.recommendedActions.trainer).toEqual([
      "At your next check-in: talk about workload, as the learner carries 120 credits at once.",
      "At your next check-in: ask what gets in the way of deadlines (1 of 2 hand-ins came in late).",
    ]);
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
    // that is the typical learner of the week, exactly: low
    expect(r.riskLevel).toBe("low");
    expect(r.factors.map((f) => [f.name, f.weight])).toEqual([["courseWeek", 1]]);
    expect(r.missingSignals).toEqual([
      "Missed work: nothing has been due yet, so the score counts it as typical.",
      "Late hand-ins: nothing has been handed in against a due date yet, so the score counts them as typical.",
      "Scores: nothing has been marked yet, so the score counts them as typical.",
      "Study load: the learner's credits are not on record, so the score assumes a typical load.",
    ]);
    // 29 days in with no unit and no assessment: not "new", and the advice says so plainly
    expect(r.recommendedActions.learner.at(-1)).toBe(
      "No lesson or assessment is recorded for you after 4 weeks in the course: complete a first lesson this week, or tell your trainer what is in the way.",
    );
    expect(r.recommendedActions.trainer.at(-1)).toBe(
      "No work recorded after 4 weeks in the course: contact the learner to check they can reach it and what is in the way.",
    );
    expect(JSON.stringify(r.recommendedActions)).not.toMatch(/no history yet|Keep your current rhythm/);
  });

  it("welcomes a learner who really is new: course just started, or registered late", () => {
    const base = { ...struggling, assessments: [] };
    // course started 2 March, asOf 12 March: day 10 < 14
    const justStarted = scoreDropoffRisk({ ...base, asOf: "2026-03-12T10:00:00Z" });
    // course started 2 March, registered 25 March: 6 days in by 31 March
    const lateJoiner = scoreDropoffRisk({
      ...base,
      enrollments: [{ ...struggling.enrollments[0]!, enrolledAt: "2026-03-25T09:00:00Z" }],
    });
    for (const r of [justStarted, lateJoiner]) {
      expect(r.recommendedActions.trainer.at(-1)).toBe(
        "Welcome the learner and check they can reach the first lesson: there is no history yet to judge.",
      );
      expect(r.recommendedActions.learner.at(-1)).toMatch(/first lesson and assessment/);
    }
  });

  it("answers in the API contract's DropoffRisk shape with the committed model", () => {
    const r = scoreDropoffRisk(struggling);
    expect(DropoffRisk.parse(r)).toEqual(r);
    expect(r.modelVersion).toBe(dropoffModel.version);
  });

  it("maps the relative risk to levels at the model file's thresholds", () => {
    expect(dropoffModel.levels).toEqual({ basis: "relative_to_typical", medium: 1.5, high: 2, critical: 3 });
    expect([0, 1, 1.49, 1.5, 1.99, 2, 2.99, 3, 10].map((ratio) => riskLevelOf(ratio))).toEqual([
      "low",
      "low",
      "low",
      "medium",
      "medium",
      "high",
      "high",
      "critical",
      "critical",
    ]);
    // the model's own thresholds, not the defaults
    const strict = { ...handModel.levels, medium: 1.1 };
    expect(riskLevelOf(1.2, strict)).toBe("medium");
  });

  it("takes the typical learner from the intercept and the week term alone", () => {
    const s = riskSignals(struggling); // week 29 / 7, every other signal far from typical
    // -1 - 0.5 (29/7 - 4) = -1.0714 -> 0.2551
    expect(typicalDropoffRisk(s, handModel)).toBeCloseTo(1 / (1 + Math.exp(1 + 0.5 * (29 / 7 - 4))), 12);
    // no course week: its term is 0, as in the score
    const noWeek = { values: { ...s.values, courseWeek: null } };
    expect(typicalDropoffRisk(noWeek, handModel)).toBeCloseTo(1 / (1 + Math.exp(1)), 12);
  });

  it("puts 1.49 times the typical learner in low and 1.5 times in medium, the same at any week", () => {
    // studyLoad's term ln(credits / 60) is the only other signal, so the odds ratio is credits / 60
    // exactly; the risk ratio p / typical follows from the odds. Credits found by solving for it.
    const creditsFor = (ratio: number, week: number) => {
      const typical = typicalDropoffRisk({ values: { courseWeek: week } } as never, handModel);
      const p = ratio * typical;
      return 60 * ((p / (1 - p)) * ((1 - typical) / typical));
    };
    // (days where three times the hand model's typical learner is still a probability below 1)
    for (const day of [29, 60, 100]) {
      const asOf = new Date(Date.parse("2026-03-02T12:00:00Z") + day * 86_400_000).toISOString();
      for (const [ratio, level] of [
        [1.48, "low"],
        [1.52, "medium"],
        [1.98, "medium"],
        [2.02, "high"],
        [2.98, "high"],
        [3.02, "critical"],
      ] as const) {
        const credits = creditsFor(ratio, day / 7);
        const r = scoreDropoffRisk(
          {
            ...struggling,
            asOf,
            assessments: [],
            enrollments: [{ ...struggling.enrollments[0]!, dueDate: "2026-12-31", studiedCredits: credits }],
          },
          handModel,
        );
        expect([day, ratio, r.riskLevel]).toEqual([day, ratio, level]);
      }
    }
  });

  it("keeps a new joiner with only the course-week signal at low, whatever the week", () => {
    for (const day of [0, 1, 6, 13, 20, 40, 70, 112]) {
      const asOf = new Date(Date.parse("2026-03-02T12:00:00Z") + day * 86_400_000).toISOString();
      const joiner: LearnerSnapshot = {
        ...struggling,
        asOf,
        assessments: [],
        enrollments: [{ ...struggling.enrollments[0]!, dueDate: "2026-12-31", enrolledAt: asOf }],
      };
      delete joiner.enrollments[0]!.studiedCredits;
      const r = scoreDropoffRisk(joiner);
      // early weeks score about 0.20, on the old absolute low/medium boundary; relative, it is 1
      expect(r.riskScore).toBeCloseTo(typicalDropoffRisk(riskSignals(joiner)), 3);
      expect([day, r.riskLevel]).toEqual([day, "low"]);
    }
  });
});
