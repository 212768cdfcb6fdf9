/**
 * AI-backed answers: a learner's course recommendations, and an organization's Gemini usage for its
 * admins. Mounted under /api/v1 behind requireUser and the per-user limit (app.ts). Access is
 * decided first (404 other org, 403 not allowed); the advisor never throws, so Gemini trouble of
 * any kind is a 200 with `meta.aiSource: "fallback"`, never a 500.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { commentOnForecastLocally, explainRiskLocally } from "../ai/fallback.ts";
import type {
  AiAnswer,
  AiCallOptions,
  AiServices,
  AiText,
  CatalogueCourse,
  RecommendationContext,
} from "../ai/ports.ts";
import {
  type AiMeta,
  AiUsageReport,
  aiEnvelope,
  type DropoffRisk,
  type Forecast,
  LearnerId,
  OrgId,
  Problem,
  Recommendations,
} from "../contract.ts";
import { type Insight, UpstreamUnavailableError } from "../deps.ts";
import { audienceOf, authorizeLearner, authorizeOrg } from "../http/access.ts";
import { createRouter } from "../http/context.ts";
import { envelopeOf, waitUntilOf } from "../http/insight.ts";
import { requestLanguage, sayLanguage } from "../http/language.ts";
import { ProblemError } from "../http/problem.ts";
import type { Upstreams } from "../upstream/index.ts";

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: Problem } },
});
const errors = {
  400: problem("Malformed id or query value"),
  401: problem("Missing, malformed, expired or wrongly signed token"),
  403: problem("Same organization, but this token may not read it"),
  404: problem("No such learner or organization for the caller"),
  429: problem("Rate limit exceeded"),
  503: problem("The course catalogue is unavailable, or AI is not configured on this instance"),
};

const recommendationsRoute = createRoute({
  method: "get",
  path: "/learners/{learnerId}/recommendations",
  tags: ["learners"],
  summary: "Courses from the catalogue that close the learner's skill gaps (Gemini, or the local fallback)",
  security: [{ bearerAuth: [] }],
  request: {
    params: z.object({
      learnerId: LearnerId.openapi({ param: { name: "learnerId", in: "path" }, example: "lrn-acme-0001" }),
    }),
    query: z.object({
      count: z.coerce
        .number()
        .int()
        .min(1)
        .max(10)
        .default(5)
        .openapi({ param: { name: "count", in: "query" }, example: 5 }),
    }),
  },
  responses: {
    200: {
      description: "Exactly `count` recommendations (fewer only when the catalogue has no more untaken courses)",
      content: { "application/json": { schema: aiEnvelope(Recommendations) } },
    },
    304: { description: "Unchanged since the ETag in If-None-Match" },
    ...errors,
  },
});

const Day = z.iso.date();
const aiUsageRoute = createRoute({
  method: "get",
  path: "/orgs/{orgId}/ai-usage",
  tags: ["organizations"],
  summary: "Gemini tokens and estimated cost per day, for org admins",
  security: [{ bearerAuth: [] }],
  request: {
    params: z.object({ orgId: OrgId.openapi({ param: { name: "orgId", in: "path" }, example: "acme" }) }),
    query: z
      .object({
        from: Day.optional().openapi({ param: { name: "from", in: "query" }, example: "2026-11-01" }),
        to: Day.optional().openapi({ param: { name: "to", in: "query" }, example: "2026-11-30" }),
      })
      .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "from must not be after to", path: ["from"] })
      .refine((q) => !q.from || !q.to || daysBetween(q.from, q.to) <= 366, {
        message: "at most 366 days at a time",
        path: ["to"],
      }),
  },
  responses: {
    200: {
      description: "Daily usage in the range (default: the last 30 days)",
      content: { "application/json": { schema: z.object({ data: AiUsageReport }) } },
    },
    304: { description: "Unchanged since the ETag in If-None-Match" },
    ...errors,
  },
});

export const aiRoutes = createRouter()
  .openapi(recommendationsRoute, async (c) => {
    const { learnerId } = c.req.valid("param");
    const { count } = c.req.valid("query");
    const profile = await authorizeLearner(c, learnerId, "recommendations");
    const ai = aiServicesOf(c);
    const options = { requestId: c.get("requestId"), signal: c.req.raw.signal };
    const audience = audienceOf(c.get("principal"), learnerId);
    const language = requestLanguage(c);
    const context = await ai.recommendationContext(learnerId, profile.orgId, options);
    const answer = await ai.advisor.recommend(
      { learnerId, orgId: profile.orgId, count, audience, language, ...context },
      options,
    );
    const meta: AiMeta = {
      dataSource: answer.cached ? "cached" : "realtime",
      calculatedAt: answer.calculatedAt.toISOString(),
      expiresAt: answer.expiresAt.toISOString(),
      ...provenanceOf(answer),
      audience,
      language,
    };
    sayLanguage(c, language);
    return c.json({ data: answer.data, meta }, 200);
  })
  .openapi(aiUsageRoute, async (c) => {
    const { orgId } = c.req.valid("param");
    const range = c.req.valid("query");
    authorizeOrg(c, orgId);
    // Usage and cost are an admin matter: trainers see the organization's learners, not its bill.
    if (!c.get("principal").roles.includes("org_admin")) {
      throw new ProblemError("forbidden", { detail: "only org admins may read AI usage" });
    }
    const report = await aiServicesOf(c)
      .advisor.usage(orgId, {
        ...(range.from ? { from: range.from } : {}),
        ...(range.to ? { to: range.to } : {}),
      })
      .catch((error: unknown) => {
        // The usage lives in the database: when it cannot answer, say so (503), not 500.
        c.get("deps").logger.log("warn", { msg: "ai usage unavailable", error: String(error) });
        throw new UpstreamUnavailableError("AI usage cannot be read right now");
      });
    return c.json({ data: report }, 200);
  });

/** How long the risk and forecast answers wait for Gemini's words before using the template. */
export const AI_TEXT_DEADLINE_MS = 1_500;

/**
 * For GET /learners/{id}/dropoff-risk (routes/learners.ts): the risk insight with a plain-language
 * `explanation` and `meta.aiSource`. The numbers are the insight's; after AI_TEXT_DEADLINE_MS the
 * template answers and Gemini finishes into the cache. Never throws for AI reasons. Respond with
 * schema `aiEnvelope(DropoffRisk)`.
 */
export async function explainedRisk(c: Context, orgId: string, insight: Insight<DropoffRisk>) {
  const risk = insight.data;
  const audience = audienceOf(c.get("principal"), risk.learnerId);
  const language = requestLanguage(c);
  const ai = c.get("deps").ai;
  const answer = ai
    ? await ai.advisor.explainRisk({ learnerId: risk.learnerId, orgId, risk, audience, language }, inlineOptions(c))
    : unwiredAnswer(explainRiskLocally(risk, audience, language));
  const { data, meta } = envelopeOf(insight);
  sayLanguage(c, language);
  return {
    data: { ...data, explanation: answer.data.text },
    meta: { ...meta, ...provenanceOf(answer), audience, language },
  };
}

/** For GET /learners/{id}/forecast: the forecast with `commentary` and `meta.aiSource`, as explainedRisk. */
export async function commentedForecast(c: Context, orgId: string, insight: Insight<Forecast>) {
  const forecast = insight.data;
  const audience = audienceOf(c.get("principal"), forecast.learnerId);
  const language = requestLanguage(c);
  const ai = c.get("deps").ai;
  const answer = ai
    ? await ai.advisor.commentOnForecast(
        { learnerId: forecast.learnerId, orgId, forecast, audience, language },
        inlineOptions(c),
      )
    : unwiredAnswer(commentOnForecastLocally(forecast, audience, language));
  const { data, meta } = envelopeOf(insight);
  sayLanguage(c, language);
  return {
    data: { ...data, commentary: answer.data.text },
    meta: { ...meta, ...provenanceOf(answer), audience, language },
  };
}

function inlineOptions(c: Context): AiCallOptions {
  return { requestId: c.get("requestId"), answerWithinMs: AI_TEXT_DEADLINE_MS, waitUntil: waitUntilOf(c) };
}

/** An instance without AI services answers like one without a key. */
function unwiredAnswer(text: string): Pick<AiAnswer<AiText>, "data" | "aiSource" | "fallbackReason"> {
  return { data: { text }, aiSource: "fallback", fallbackReason: "no_api_key" };
}

function provenanceOf(
  answer: Pick<AiAnswer<unknown>, "aiSource" | "fallbackReason">,
): Pick<AiMeta, "aiSource" | "fallbackReason"> {
  return { aiSource: answer.aiSource, ...(answer.fallbackReason ? { fallbackReason: answer.fallbackReason } : {}) };
}

function aiServicesOf(c: Context): AiServices {
  const ai = c.get("deps").ai;
  if (!ai)
    throw new ProblemError("upstream_unavailable", { detail: "AI services are not configured on this instance" });
  return ai;
}

function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

/**
 * Gathers recommendation inputs from the upstream services: skills (Skills Engine), the learning
 * path's reasons as goals (Learner AI), enrolments and the organization's catalogue (Course
 * Builder). Without a catalogue there is nothing to recommend (503); without skills or goals the
 * advisor still ranks the catalogue.
 */
export function recommendationContextFromUpstreams(
  upstreams: Pick<Upstreams, "course" | "skills" | "learnerAi">,
): AiServices["recommendationContext"] {
  return async (learnerId, orgId, options = {}) => {
    const call = {
      ...(options.requestId ? { requestId: options.requestId } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    };
    const [courses, enrollments, skills, path] = await Promise.allSettled([
      upstreams.course.courses(orgId, call),
      upstreams.course.enrollments(learnerId, call),
      upstreams.skills.skills(learnerId, call),
      upstreams.learnerAi.learningPath(learnerId, call),
    ]);
    if (courses.status === "rejected" || !courses.value) {
      throw new UpstreamUnavailableError("the course catalogue is unavailable");
    }
    const catalogue: CatalogueCourse[] = courses.value.items.map((course) => ({
      courseId: course.id,
      title: course.title,
      skills: course.skills.map((s) => s.id),
      skillNames: Object.fromEntries(course.skills.map((s) => [s.id, s.name])),
      estimatedHours: course.estimatedHours,
    }));
    const enrolled = enrollments.status === "fulfilled" && enrollments.value ? enrollments.value.items : [];
    const context: RecommendationContext = {
      catalogue,
      enrolledCourseIds: enrolled.filter((e) => e.status !== "completed").map((e) => e.courseId),
      completedCourseIds: enrolled.filter((e) => e.status === "completed").map((e) => e.courseId),
      skills:
        skills.status === "fulfilled" && skills.value
          ? skills.value.items.map((s) => ({
              skillId: s.skillId,
              name: s.name,
              level: s.level,
              targetLevel: s.targetLevel,
            }))
          : [],
      goals: path.status === "fulfilled" && path.value ? path.value.items.map((item) => item.reason) : [],
    };
    return context;
  };
}
