/**
 * A learner's analytics, one route per widget.
 * Mounted under /api/v1, where app.ts puts every /learners/* path behind requireUser, the per-user
 * rate limit and conditional GET. Each checks access (404 other org, 403 not allowed)
 * before asking insights, whose caches are keyed by learner only, never by the caller.
 */
import { createRoute, z } from "@hono/zod-openapi";
import {
  aiEnvelope,
  DropoffRisk,
  EmbedWidget,
  envelope,
  Forecast,
  Gamification,
  LearnerId,
  Problem,
  Velocity,
} from "../contract.ts";
import { authorizeLearner } from "../http/access.ts";
import { createRouter } from "../http/context.ts";
import { insightOptions, insightResponse } from "../http/insight.ts";
import { commentedForecast, explainedRisk } from "./ai.ts";

export const LearnerParams = z.object({
  learnerId: LearnerId.openapi({ param: { name: "learnerId", in: "path" }, example: "lrn-acme-0001" }),
});

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: Problem } },
});
/** The error answers every authenticated read shares, for the OpenAPI document. */
export const readErrors = {
  400: problem("Malformed id or query value"),
  401: problem("Missing, malformed, expired or wrongly signed token"),
  403: problem("Same organization, but this token may not read it"),
  404: problem("No such learner in the caller's organization"),
  429: problem("Rate limit exceeded"),
  503: problem("The services this answer needs are unavailable and no fallback is allowed"),
};

function learnerRoute<S extends z.ZodTypeAny>(widget: EmbedWidget, schema: S, summary: string) {
  return createRoute({
    ...learnerRouteConfig(widget, summary),
    responses: {
      200: { description: summary, content: { "application/json": { schema: envelope(schema) } } },
      304: { description: "Unchanged since the ETag in If-None-Match" },
      ...readErrors,
    },
  });
}

/** Risk and forecast carry Gemini's words (or the template's) next to the numbers, and say whose. */
function aiLearnerRoute<S extends z.ZodTypeAny>(widget: EmbedWidget, schema: S, summary: string) {
  return createRoute({
    ...learnerRouteConfig(widget, summary),
    responses: {
      200: { description: summary, content: { "application/json": { schema: aiEnvelope(schema) } } },
      304: { description: "Unchanged since the ETag in If-None-Match" },
      ...readErrors,
    },
  });
}

function learnerRouteConfig(widget: EmbedWidget, summary: string) {
  return {
    method: "get" as const,
    path: `/learners/{learnerId}/${widget}` as const,
    tags: ["learners"],
    summary,
    security: [{ bearerAuth: [] }],
    request: { params: LearnerParams },
  };
}

const velocityRoute = learnerRoute(EmbedWidget.enum.velocity, Velocity, "Pace against target, trend and weekly series");
const riskRoute = aiLearnerRoute(
  EmbedWidget.enum["dropoff-risk"],
  DropoffRisk,
  "Drop-off risk with its factors and a plain-language explanation",
);
const forecastRoute = aiLearnerRoute(
  EmbedWidget.enum.forecast,
  Forecast,
  "Projected completion and final score, with commentary",
);
const gamificationRoute = learnerRoute(
  EmbedWidget.enum.gamification,
  Gamification,
  "Points, level, streaks and badges",
);

export const learnerRoutes = createRouter()
  .openapi(velocityRoute, async (c) => {
    const { learnerId } = c.req.valid("param");
    await authorizeLearner(c, learnerId, "velocity");
    return insightResponse(c, await c.get("deps").insights.velocity(learnerId, insightOptions(c)));
  })
  .openapi(riskRoute, async (c) => {
    const { learnerId } = c.req.valid("param");
    const profile = await authorizeLearner(c, learnerId, "dropoff-risk");
    const insight = await c.get("deps").insights.dropoffRisk(learnerId, insightOptions(c));
    // c.json, not the pre-rendered body: the conditional middleware then tags the final body, so
    // the ETag changes when the explanation does (template first, Gemini's words later).
    return c.json(await explainedRisk(c, profile.orgId, insight), 200);
  })
  .openapi(forecastRoute, async (c) => {
    const { learnerId } = c.req.valid("param");
    const profile = await authorizeLearner(c, learnerId, "forecast");
    const insight = await c.get("deps").insights.forecast(learnerId, insightOptions(c));
    return c.json(await commentedForecast(c, profile.orgId, insight), 200);
  })
  .openapi(gamificationRoute, async (c) => {
    const { learnerId } = c.req.valid("param");
    await authorizeLearner(c, learnerId, "gamification");
    return insightResponse(c, await c.get("deps").insights.gamification(learnerId, insightOptions(c)));
  });
