/** The local advisor and the prompt helpers: deterministic, grounded, and careful with what people typed. */
import { describe, expect, it } from "vitest";
import { commentOnForecastLocally, explainRiskLocally, recommendLocally } from "./fallback.ts";
import { catalogue, forecast, learnerInput, risk } from "./fixtures.ts";
import {
  fillPlaceholders,
  leaksInstructions,
  RISK_INSTRUCTIONS,
  recommendationPrompt,
  redactPersonalData,
} from "./prompts.ts";

const local = (overrides = {}) => {
  const input = learnerInput(overrides);
  return {
    skills: input.skills,
    goals: input.goals,
    enrolledCourseIds: input.enrolledCourseIds,
    completedCourseIds: input.completedCourseIds ?? [],
    catalogue: input.catalogue,
    count: input.count ?? 5,
  };
};

describe("recommendLocally", () => {
  it("ranks by skill gap closed, then goals, then id, and never repeats a taken course", () => {
    const items = recommendLocally(local());
    // Score = 2 x gap closed + goal words hit: Cloud Data Pipelines 2x2+1 ("data"), SQL Tuning 4,
    // Statistics 4 (tie broken by id), Python for Data 2+1, ML 2. SQL Basics is already enrolled.
    expect(items.map((i) => i.courseId)).toEqual(["c-cloud", "c-sql-tuning", "c-stats", "c-python-data", "c-ml-intro"]);
    expect(items.map((i) => i.priority)).toEqual([1, 2, 3, 4, 5]);
    expect(items.every((i) => i.source === "fallback")).toBe(true);
    expect(items[0]?.reasoning).toBe("Builds SQL, where your current level is below the level your role needs.");
  });

  it("is deterministic and uses goals when no skill gap applies", () => {
    const input = local({ skills: [], goals: ["I want to master data visualization"] });
    expect(recommendLocally(input)).toEqual(recommendLocally(input));
    expect(recommendLocally(input)[0]).toMatchObject({
      courseId: "c-viz",
      reasoning: "Matches your goals (data and visualization).",
    });
  });

  it("names skills as people do, and never shows a skill id", () => {
    // Simulator-style ids; Course Builder gives the names for one course only.
    const items = recommendLocally({
      skills: [],
      goals: [],
      enrolledCourseIds: [],
      completedCourseIds: [],
      count: 2,
      catalogue: [
        {
          courseId: "crs-ops",
          title: "Running Production Systems",
          skills: ["skl-incident-management", "skl-sql"],
          skillNames: { "skl-incident-management": "Incident management", "skl-sql": "SQL" },
          estimatedHours: 8,
        },
        { courseId: "crs-x", title: "Unnamed Skills Course", skills: ["skl-kubernetes"], estimatedHours: 4 },
      ],
    });
    expect(items.map((i) => i.expectedOutcomes)).toEqual([
      ["Complete Running Production Systems", "Practice Incident management", "Practice SQL"],
      ["Complete Unnamed Skills Course"],
    ]);
    expect(JSON.stringify(items)).not.toMatch(/skl-/);
  });

  it("names a gap skill by the learner's own skill name when the catalogue gives only ids", () => {
    const [item] = recommendLocally({
      skills: [{ skillId: "skl-sql", name: "SQL", level: 1, targetLevel: 3 }],
      goals: [],
      enrolledCourseIds: [],
      completedCourseIds: [],
      count: 1,
      catalogue: [{ courseId: "crs-sql", title: "Query Craft", skills: ["skl-sql"], estimatedHours: 5 }],
    });
    expect(item?.expectedOutcomes).toEqual(["Progress in SQL"]);
    expect(item?.reasoning).toBe("Builds SQL, where your current level is below the level your role needs.");
  });

  it("speak about the learner, not to them, when a trainer reads the reasons", () => {
    const items = recommendLocally({ ...local(), audience: "trainer" });
    expect(items[0]?.reasoning).toBe(
      "Builds SQL, where the learner's current level is below the level their role needs.",
    );
    const byGoal = recommendLocally({ ...local({ skills: [], goals: ["data visualization"] }), audience: "trainer" });
    expect(byGoal[0]?.reasoning).toBe("Matches the learner's goals (data and visualization).");
    // Same courses in the same order: only the words depend on the reader.
    expect(items.map((i) => i.courseId)).toEqual(recommendLocally(local()).map((i) => i.courseId));
    expect(JSON.stringify(items)).not.toMatch(/\byour?\b/i);
  });

  it("excludes completed and already-chosen courses and stops at the catalogue's end", () => {
    const items = recommendLocally({
      ...local({ completedCourseIds: ["c-stats"] }),
      excludeCourseIds: ["c-cloud"],
      count: 10,
    });
    const ids = items.map((i) => i.courseId);
    expect(ids).not.toContain("c-stats");
    expect(ids).not.toContain("c-cloud");
    expect(ids).not.toContain("c-sql-basics");
    expect(ids).toHaveLength(catalogue.length - 3);
  });
});

describe("template texts", () => {
  it("explain the risk with MS8's numbers", () => {
    expect(explainRiskLocally(risk)).toBe(
      "Your drop-off risk is high for this point of the course (62% chance of leaving). The biggest factor is days inactive, 55% of what raises it. Book a 20-minute session this week.",
    );
  });

  it("name factors by label, never by id, and say which way the shares point", () => {
    const raised = {
      ...risk,
      riskScore: 0.169,
      riskLevel: "low" as const,
      factors: [
        { name: "missedWork", label: "Missed work", weight: 0.833, reason: "r", effect: "raises" as const },
        { name: "scoreShortfall", label: "Scores", weight: 0.167, reason: "r", effect: "raises" as const },
      ],
      recommendedActions: { learner: ["Next time you study: catch up on Assignment 2."], trainer: [] },
    };
    expect(explainRiskLocally(raised)).toBe(
      "Your drop-off risk is low for this point of the course (17% chance of leaving). The biggest factor is missed work, 83% of what raises it. Next time you study: catch up on Assignment 2.",
    );
    const lowered = {
      ...raised,
      factors: [{ name: "courseWeek", label: "Time in the course", weight: 1, reason: "r", effect: "lowers" as const }],
    };
    expect(explainRiskLocally(lowered)).toMatch(
      /^Your drop-off risk is low for this point of the course \(17% chance of leaving\)\. What keeps it down most is time in the course \(100% of what lowers it\)\./,
    );
  });

  it("tell a trainer about the learner, and offer the trainer's action, not the learner's", () => {
    expect(explainRiskLocally(risk, "trainer")).toBe(
      "This learner's drop-off risk is high for this point of the course (62% chance of leaving). The biggest factor is days inactive, 55% of what raises it. Reach out personally.",
    );
    const noTrainerAction = { ...risk, riskLevel: "low" as const, recommendedActions: { learner: ["x"], trainer: [] } };
    expect(explainRiskLocally(noTrainerAction, "trainer")).toMatch(
      /No action needed now; review again after the next assessment\.$/,
    );
    expect(commentOnForecastLocally(forecast, "trainer")).toBe(
      "At their current pace the learner should finish around 2027-02-14 (between 2027-01-30 and 2027-03-10). Their expected final score is 78 (likely between 71 and 85). Confidence in this forecast is medium.",
    );
  });

  it("comment on the forecast with MS8's dates and scores, and cope with a forecast without them", () => {
    expect(commentOnForecastLocally(forecast)).toBe(
      "At your current pace you should finish around 2027-02-14 (between 2027-01-30 and 2027-03-10). Your expected final score is 78 (likely between 71 and 85). Confidence in this forecast is medium.",
    );
    const empty = {
      ...forecast,
      projectedCompletion: null,
      completionInterval: null,
      expectedFinalScore: null,
      scoreInterval: null,
      confidence: "low" as const,
    };
    expect(commentOnForecastLocally(empty)).toBe(
      "There is not enough activity yet to project a completion date. Confidence in this forecast is low.",
    );
  });
});

describe("prompt helpers", () => {
  it("redact e-mails, links and phone numbers from text people wrote", () => {
    expect(redactPersonalData("Mail ada@example.org, see https://x.test/me or call +1 (555) 010-9999")).toBe(
      "Mail [email], see [link] or call [number]",
    );
    expect(redactPersonalData("Level 3 in SQL by 2027")).toBe("Level 3 in SQL by 2027");
  });

  it("show Gemini the catalogue's skill names where it has them, so its outcomes use words", () => {
    const prompt = JSON.parse(
      recommendationPrompt({
        ...local(),
        catalogue: [
          {
            courseId: "crs-ops",
            title: "Ops",
            skills: ["skl-incident-management", "skl-k8s"],
            skillNames: { "skl-incident-management": "Incident management" },
            estimatedHours: 8,
          },
        ],
      }),
    );
    expect(prompt.catalogue[0].skills).toEqual(["Incident management", "skl-k8s"]);
  });

  it("fill only the placeholders MS8 gave", () => {
    expect(fillPlaceholders("At {riskPercent} it is {riskLevel}.", { riskPercent: "62%", riskLevel: "high" })).toBe(
      "At 62% it is high.",
    );
    expect(fillPlaceholders("At {madeUp}.", { riskPercent: "62%" })).toBeNull();
    expect(fillPlaceholders("A stray { brace", {})).toBeNull();
  });

  it("tell Gemini who reads the text: the learner as you, the trainer about the learner", () => {
    expect(RISK_INSTRUCTIONS.learner).toContain("to the learner in plain, encouraging language");
    expect(RISK_INSTRUCTIONS.trainer).toContain("to the learner's trainer");
    expect(RISK_INSTRUCTIONS.trainer).toContain("never as you");
    expect(RISK_INSTRUCTIONS.trainer).toContain("one concrete step the trainer can take");
    // The numbers rule and the data rule are the same text for both readers.
    const shared = (text: string) => text.slice(text.indexOf("Write no digits"));
    expect(shared(RISK_INSTRUCTIONS.learner)).toMatch(/^Write no digits.*Answer only with JSON/);
    expect(shared(RISK_INSTRUCTIONS.trainer)).toBe(shared(RISK_INSTRUCTIONS.learner));
  });

  it("spot an answer that repeats the instructions", () => {
    expect(leaksInstructions(`Sure. ${RISK_INSTRUCTIONS.learner.slice(0, 200)}`, RISK_INSTRUCTIONS.learner)).toBe(true);
    expect(leaksInstructions("Your risk is high; a short session this week helps.", RISK_INSTRUCTIONS.learner)).toBe(
      false,
    );
  });
});
