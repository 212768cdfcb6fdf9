/**
 * The local advisor: deterministic, free, and good enough that the demo runs without a key. It also
 * refills recommendations whose course ids Gemini made up.
 */
import type { Audience, DropoffRisk, Forecast, Recommendation } from "../contract.ts";
import type { CatalogueCourse, LearnerSkill } from "./ports.ts";
import { fillPlaceholders, forecastPlaceholders, riskPlaceholders } from "./prompts.ts";

export interface LocalRecommendInput {
  skills: LearnerSkill[];
  goals: string[];
  enrolledCourseIds: string[];
  completedCourseIds: string[];
  catalogue: CatalogueCourse[];
  count: number;
  /** Courses already chosen (by Gemini) that must not be repeated. */
  excludeCourseIds?: string[];
  /** Whom the reasoning speaks to (default the learner). */
  audience?: Audience;
}

/**
 * Ranks courses the learner has not taken by how much skill gap they close, then by overlap with
 * the learner's goals, then by id so equal inputs always give the same list.
 */
export function recommendLocally(input: LocalRecommendInput): Recommendation[] {
  const taken = new Set([...input.enrolledCourseIds, ...input.completedCourseIds, ...(input.excludeCourseIds ?? [])]);
  const gapBySkill = new Map<string, { name: string; gap: number }>();
  for (const skill of input.skills) {
    const gap = Math.max(0, skill.targetLevel - skill.level);
    gapBySkill.set(skill.skillId.toLowerCase(), { name: skill.name, gap });
    gapBySkill.set(skill.name.toLowerCase(), { name: skill.name, gap });
  }
  const goalWords = new Set(input.goals.flatMap(words));
  const learnerSkillNames = new Map(input.skills.map((s) => [s.skillId.toLowerCase(), s.name]));
  /** The name a person reads for a course's skill, or null when only its id is known. */
  const skillName = (course: CatalogueCourse, skill: string) =>
    course.skillNames?.[skill] ?? learnerSkillNames.get(skill.toLowerCase()) ?? null;

  const ranked = input.catalogue
    .filter((course) => !taken.has(course.courseId))
    .map((course) => {
      const closes = course.skills
        .map((s) => gapBySkill.get(s.toLowerCase()))
        .filter((s): s is { name: string; gap: number } => s !== undefined && s.gap > 0);
      const gapScore = closes.reduce((sum, s) => sum + s.gap, 0);
      const named = course.skills.map((s) => skillName(course, s)).filter((n): n is string => n !== null);
      // Goal words are the learner's own, so matching them against ids too shows no id to anyone.
      const goalHits = [...new Set([course.title, ...course.skills, ...named].flatMap(words))].filter((w) =>
        goalWords.has(w),
      );
      return { course, closes, named, goalHits, score: gapScore * 2 + goalHits.length };
    })
    .sort((a, b) => b.score - a.score || a.course.courseId.localeCompare(b.course.courseId))
    .slice(0, input.count);

  return ranked.map(({ course, closes, named, goalHits }, rank) => ({
    courseId: course.courseId,
    title: course.title,
    reasoning: reasoningFor(course, closes, goalHits, input.audience ?? "learner"),
    expectedOutcomes:
      closes.length > 0
        ? closes.slice(0, 3).map((s) => `Progress in ${s.name}`)
        : [`Complete ${course.title}`, ...named.slice(0, 2).map((name) => `Practice ${name}`)],
    estimatedHours: course.estimatedHours,
    priority: Math.min(5, rank + 1),
    source: "fallback" as const,
  }));
}

/**
 * The words that change with the reader. A trainer reads about "the learner" and is offered the
 * trainer's actions: "your drop-off risk" on a trainer's screen reads as theirs.
 */
const VOICE = {
  learner: {
    gap: "where your current level is below the level your role needs",
    goals: "Matches your goals",
    untaken: "A next step in the catalogue you have not taken yet",
    risk: "Your drop-off risk",
    steady: "Keep up your current rhythm.",
    nudge: "A short session this week helps most.",
    pace: "At your current pace you should finish around",
    score: "Your expected final score is",
  },
  trainer: {
    gap: "where the learner's current level is below the level their role needs",
    goals: "Matches the learner's goals",
    untaken: "A next step in the catalogue the learner has not taken yet",
    risk: "This learner's drop-off risk",
    steady: "No action needed now; review again after the next assessment.",
    nudge: "A personal check-in this week helps most.",
    pace: "At their current pace the learner should finish around",
    score: "Their expected final score is",
  },
} as const satisfies Record<Audience, Record<string, string>>;

function reasoningFor(course: CatalogueCourse, closes: { name: string }[], goalHits: string[], audience: Audience) {
  const voice = VOICE[audience];
  if (closes.length > 0) return `Builds ${listOf(closes.map((s) => s.name))}, ${voice.gap}.`;
  if (goalHits.length > 0) return `${voice.goals} (${listOf(goalHits)}).`;
  return `${voice.untaken} (${course.level ?? "any"} level).`;
}

export function explainRiskLocally(risk: DropoffRisk, audience: Audience = "learner"): string {
  const voice = VOICE[audience];
  const values = riskPlaceholders(risk);
  // Weights are shares of what pushes the score up (or, when nothing does, of what keeps it down).
  const lowers = risk.factors.every((f) => f.effect === "lowers");
  const head = `${voice.risk} is {riskLevel} for this point of the course ({riskPercent} chance of leaving).`;
  const template = !values.topFactor
    ? head
    : lowers
      ? `${head} What keeps it down most is {topFactor} ({topFactorShare} of what lowers it).`
      : `${head} The biggest factor is {topFactor}, {topFactorShare} of what raises it.`;
  const next = risk.recommendedActions[audience][0] ?? (risk.riskLevel === "low" ? voice.steady : voice.nudge);
  return `${fillPlaceholders(template, values)} ${next}`;
}

export function commentOnForecastLocally(forecast: Forecast, audience: Audience = "learner"): string {
  const voice = VOICE[audience];
  const values = forecastPlaceholders(forecast);
  const parts: string[] = [];
  if (values.projectedCompletion && values.earliestCompletion) {
    parts.push(`${voice.pace} {projectedCompletion} (between {earliestCompletion} and {latestCompletion}).`);
  } else if (values.projectedCompletion) {
    parts.push(`${voice.pace} {projectedCompletion}.`);
  } else {
    parts.push("There is not enough activity yet to project a completion date.");
  }
  if (values.expectedScore && values.scoreLow) {
    parts.push(`${voice.score} {expectedScore} (likely between {scoreLow} and {scoreHigh}).`);
  } else if (values.expectedScore) {
    parts.push(`${voice.score} {expectedScore}.`);
  }
  parts.push("Confidence in this forecast is {confidence}.");
  return fillPlaceholders(parts.join(" "), values) ?? "";
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9+#]+/)
    .filter((w) => w.length > 2 && !STOP_WORDS.has(w));
}

function listOf(items: string[]): string {
  const unique = [...new Set(items)];
  if (unique.length <= 1) return unique.join("");
  return `${unique.slice(0, -1).join(", ")} and ${unique.at(-1)}`;
}

const STOP_WORDS = new Set(["the", "and", "for", "with", "want", "learn", "become", "into", "from", "more", "how"]);
