/**
 * A learner's analytics, one route per widget.
 * Mounted under /api/v1, where app.ts puts every /learners/* path behind requireUser, the per-user
 * rate limit and conditional GET. Each checks access (404 other org, 403 not allowed)
 * before asking insights, whose caches are keyed by learner only, never by the caller.
 */
import { createRoute, z } from "@hono/zod-openapi";
import {
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
    method: "get",
    path: `/learners/{learnerId}/${widget}`,
    tags: ["learners"],
    summary,
    security: [{ bearerAuth: [] }],
    request: { params: LearnerParams },
    responses: {
      200: { description: summary, content: { "application/json": { schema: envelope(schema) } } },
      304: { description: "Unchanged since the ETag in If-None-Match" },
      ...readErrors,
    },
  });
}

const velocityRoute = learnerRoute(EmbedWidget.enum.velocity, Velocity, "Pace against target, trend and weekly series");
const riskRoute = learnerRoute(EmbedWidget.enum["dropoff-risk"], DropoffRisk, "Drop-off risk with its factors");
const forecastRoute = learnerRoute(EmbedWidget.enum.forecast, Forecast, "Projected completion and final score");
const gamificationRoute = learnerRoute(
  EmbedWidget.enum.gamification,
  Gamification,
  "Points, level, streaks and badges",
);

export const learnerRoutes = createRouter()
  .openapi(velocityRoute, async (c) => {
    const { learnerId } = c.req.valid("param");
    await authorizeLearner(c, learnerId, "velocity");
    return insightResponse(c, await c.var.deps.insights.velocity(learnerId, insightOptions(c)));
  })
  .openapi(riskRoute, async (c) => {
    const { learnerId } = c.req.valid("param");
    await authorizeLearner(c, learnerId, "dropoff-risk");
    return insightResponse(c, await c.var.deps.insights.dropoffRisk(learnerId, insightOptions(c)));
  })
  .openapi(forecastRoute, async (c) => {
    const { learnerId } = c.req.valid("param");
    await authorizeLearner(c, learnerId, "forecast");
    return insightResponse(c, await c.var.deps.insights.forecast(learnerId, insightOptions(c)));
  })
  .openapi(gamificationRoute, async (c) => {
    const { learnerId } = c.req.valid("param");
    await authorizeLearner(c, learnerId, "gamification");
    return insightResponse(c, await c.var.deps.insights.gamification(learnerId, insightOptions(c)));
  });
