/**
 * The local advisor: deterministic, free, and good enough that the demo runs without a key. It also
 * refills recommendations whose course ids Gemini made up.
 */
import type { Audience, DropoffRisk, Forecast, Recommendation, TextLanguage } from "../contract.ts";
import { LANGUAGE_TEXTS, listIn } from "./languages.ts";
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
  /** The language it is written in (default English). */
  language?: TextLanguage;
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

  const language = input.language ?? "en";
  const texts = LANGUAGE_TEXTS[language];
  return ranked.map(({ course, closes, named, goalHits }, rank) => ({
    courseId: course.courseId,
    title: course.title,
    reasoning: reasoningFor(course, closes, goalHits, input.audience ?? "learner", language),
    expectedOutcomes:
      closes.length > 0
        ? closes.slice(0, 3).map((s) => texts.progressIn(s.name))
        : [texts.complete(course.title), ...named.slice(0, 2).map((name) => texts.practice(name))],
    estimatedHours: course.estimatedHours,
    priority: Math.min(5, rank + 1),
    source: "fallback" as const,
  }));
}

function reasoningFor(
  course: CatalogueCourse,
  closes: { name: string }[],
  goalHits: string[],
  audience: Audience,
  language: TextLanguage,
) {
  const texts = LANGUAGE_TEXTS[language];
  const voice = texts.voice[audience];
  if (closes.length > 0)
    return texts.builds(
      listIn(
        language,
        closes.map((s) => s.name),
      ),
      voice.gap,
    );
  if (goalHits.length > 0) return texts.matchesGoals(voice.goals, listIn(language, goalHits));
  const level =
    course.level !== undefined && Object.hasOwn(texts.courseLevels, course.level)
      ? texts.courseLevels[course.level]
      : course.level;
  return texts.untakenCourse(voice.untaken, level);
}

/**
 * The risk in two or three sentences: how serious, what drives it most, and the reader's first
 * next step. In German and Arabic the step is the reader's general one: the model's steps are
 * worded in English here (the widgets word them in the reader's language from their messages).
 */
export function explainRiskLocally(
  risk: DropoffRisk,
  audience: Audience = "learner",
  language: TextLanguage = "en",
): string {
  const texts = LANGUAGE_TEXTS[language];
  const voice = texts.voice[audience];
  const values = riskPlaceholders(risk, language);
  // Weights are shares of what pushes the score up (or, when nothing does, of what keeps it down).
  const lowers = risk.factors.every((f) => f.effect === "lowers");
  const head = texts.riskHead(voice.risk);
  const template = !values.topFactor ? head : `${head} ${lowers ? texts.keepsDown : texts.biggestFactor}`;
  const general = risk.riskLevel === "low" ? voice.steady : voice.nudge;
  const next = language === "en" ? (risk.recommendedActions[audience][0] ?? general) : general;
  return `${fillPlaceholders(template, values)} ${next}`;
}

export function commentOnForecastLocally(
  forecast: Forecast,
  audience: Audience = "learner",
  language: TextLanguage = "en",
): string {
  const texts = LANGUAGE_TEXTS[language];
  const voice = texts.voice[audience];
  const values = forecastPlaceholders(forecast, language);
  const parts: string[] = [];
  if (values.projectedCompletion && values.earliestCompletion) {
    parts.push(texts.paceBetween(voice.pace));
  } else if (values.projectedCompletion) {
    parts.push(texts.paceOnly(voice.pace));
  } else {
    parts.push(texts.noProjection);
  }
  if (values.expectedScore && values.scoreLow) {
    parts.push(texts.scoreBetween(voice.score));
  } else if (values.expectedScore) {
    parts.push(texts.scoreOnly(voice.score));
  }
  parts.push(texts.confidence);
  return fillPlaceholders(parts.join(" "), values) ?? "";
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9+#]+/)
    .filter((w) => w.length > 2 && !STOP_WORDS.has(w));
}

const STOP_WORDS = new Set(["the", "and", "for", "with", "want", "learn", "become", "into", "from", "more", "how"]);
