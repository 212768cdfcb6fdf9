/** Learner data for the AI tests: a small catalogue, a learner with skill gaps, and analytics numbers. */

import type { SeenRequest } from "../../fakes/gemini/server.ts";
import type { DropoffRisk, Forecast } from "../contract.ts";
import type { CatalogueCourse, RecommendInput } from "./ports.ts";

export const catalogue: CatalogueCourse[] = [
  { courseId: "c-sql-basics", title: "SQL Basics", skills: ["sql"], estimatedHours: 6, level: "beginner" },
  { courseId: "c-sql-tuning", title: "SQL Performance Tuning", skills: ["sql", "postgres"], estimatedHours: 10 },
  { courseId: "c-python-data", title: "Python for Data Analysis", skills: ["python", "pandas"], estimatedHours: 14 },
  { courseId: "c-stats", title: "Practical Statistics", skills: ["statistics"], estimatedHours: 12 },
  { courseId: "c-viz", title: "Data Visualization", skills: ["visualization"], estimatedHours: 8 },
  {
    courseId: "c-ml-intro",
    title: "Machine Learning Foundations",
    skills: ["machine-learning", "python"],
    estimatedHours: 20,
  },
  { courseId: "c-git", title: "Version Control with Git", skills: ["git"], estimatedHours: 4 },
  { courseId: "c-cloud", title: "Cloud Data Pipelines", skills: ["cloud", "sql"], estimatedHours: 16 },
];

export function learnerInput(overrides: Partial<RecommendInput> = {}): RecommendInput {
  return {
    learnerId: "lrn-0042",
    orgId: "org-acme",
    skills: [
      { skillId: "sql", name: "SQL", level: 1, targetLevel: 3 },
      { skillId: "python", name: "Python", level: 2, targetLevel: 3 },
      { skillId: "statistics", name: "Statistics", level: 0, targetLevel: 2 },
      { skillId: "git", name: "Git", level: 3, targetLevel: 3 },
    ],
    goals: ["Become a data analyst who can build dashboards"],
    enrolledCourseIds: ["c-sql-basics"],
    completedCourseIds: [],
    catalogue,
    ...overrides,
  };
}

export const risk: DropoffRisk = {
  learnerId: "lrn-0042",
  riskScore: 0.62,
  riskLevel: "high",
  factors: [
    { name: "days_inactive", weight: 0.55, reason: "No activity for 12 days" },
    { name: "pace_gap", weight: 0.3, reason: "Pace is 40% below target" },
    { name: "assessment_trend", weight: 0.15, reason: "Scores falling" },
  ],
  recommendedActions: { learner: ["Book a 20-minute session this week."], trainer: ["Reach out personally."] },
  missingSignals: [],
  modelVersion: "risk-v1",
};

export const forecast: Forecast = {
  learnerId: "lrn-0042",
  projectedCompletion: "2027-02-14",
  completionInterval: { earliest: "2027-01-30", latest: "2027-03-10" },
  expectedFinalScore: 78.4,
  scoreInterval: { low: 71.2, high: 84.9 },
  confidence: "medium",
};

/** What a well-behaved Gemini would answer: `count` courses from the catalogue the learner has not taken. */
export function validRecommendationsFor(request: SeenRequest) {
  const data = JSON.parse(request.userText) as {
    count: number;
    enrolledCourseIds: string[];
    catalogue: { courseId: string; title: string }[];
  };
  const items = data.catalogue
    .filter((c) => !data.enrolledCourseIds.includes(c.courseId))
    .slice(0, data.count)
    .map((c, i) => ({
      courseId: c.courseId,
      reasoning: `Gemini thinks ${c.title} closes a gap.`,
      expectedOutcomes: [`Confident with ${c.title}`],
      priority: Math.min(5, i + 1),
    }));
  return { kind: "json" as const, value: { items } };
}
