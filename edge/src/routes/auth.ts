/**
 * Sessions: POST /auth/login checks the password with the Auth service and mints a 15-minute user
 * token; POST /auth/embed-token narrows the caller's session to one learner's widgets for at most
 * 10 minutes, so a page that embeds widgets never holds the full session token.
 */
import { createRoute } from "@hono/zod-openapi";
import { EmbedTokenRequest, EmbedTokenResponse, LoginRequest, LoginResponse } from "../contract.ts";
import type { AppDeps } from "../deps.ts";
import { authorizeLearner } from "../http/access.ts";
import { createRouter } from "../http/context.ts";
import { ProblemError } from "../http/problem.ts";
import { EMBED_TOKEN_MAX_SECONDS, embedWidgets, USER_TOKEN_SECONDS } from "../http/tokens.ts";
import { upstreamFailureText } from "../upstream/errors.ts";
import { readErrors } from "./learners.ts";

const loginRoute = createRoute({
  method: "post",
  path: "/auth/login",
  tags: ["session"],
  summary: "Exchange email and password for a 15-minute session token",
  request: { body: { required: true, content: { "application/json": { schema: LoginRequest } } } },
  responses: {
    200: { description: "Signed in", content: { "application/json": { schema: LoginResponse } } },
    400: readErrors[400],
    401: { ...readErrors[401], description: "Wrong email or password" },
    413: { ...readErrors[400], description: "Body over 64 KB" },
    415: { ...readErrors[400], description: "Body is not application/json" },
    429: readErrors[429],
    503: { ...readErrors[503], description: "The Auth service cannot answer" },
  },
});

const embedTokenRoute = createRoute({
  method: "post",
  path: "/auth/embed-token",
  tags: ["session"],
  summary: "Mint a short-lived token that reads only one learner's widgets",
  security: [{ bearerAuth: [] }],
  request: { body: { required: false, content: { "application/json": { schema: EmbedTokenRequest } } } },
  responses: {
    200: { description: "The embed token", content: { "application/json": { schema: EmbedTokenResponse } } },
    ...readErrors,
    413: { ...readErrors[400], description: "Body over 64 KB" },
    415: { ...readErrors[400], description: "Body is not application/json" },
  },
});

export const authRoutes = createRouter()
  .openapi(loginRoute, async (c) => {
    const { email, password } = c.req.valid("json");
    let user: Awaited<ReturnType<AppDeps["identity"]["verifyPassword"]>>;
    try {
      user = await c.get("deps").identity.verifyPassword(email, password, { requestId: c.get("requestId") });
    } catch (err) {
      if ((err as { misconfigured?: unknown }).misconfigured === "SERVICE_SECRET") {
        // Not the user's fault and not an outage: every login fails until an operator fixes it.
        c.get("deps").logger.log("error", {
          msg: "Auth rejected MS8's service token: SERVICE_SECRET does not match the Auth service's; logins fail until it is fixed",
          requestId: c.get("requestId"),
          misconfigured: "SERVICE_SECRET",
        });
      } else {
        c.get("deps").logger.log("warn", {
          msg: "auth service failed",
          requestId: c.get("requestId"),
          error: errorName(err),
        });
      }
      throw new ProblemError("upstream_unavailable", {
        detail: "the Auth service cannot answer; try again shortly",
        headers: { "Retry-After": "5" },
      });
    }
    if (!user) throw new ProblemError("invalid_credentials", { detail: "email or password is wrong" });
    const { token, exp } = await c.get("signer").signUser({
      sub: user.id,
      org: user.orgId,
      roles: user.roles,
      ttlSeconds: USER_TOKEN_SECONDS,
    });
    return c.json({ token, expiresAt: new Date(exp * 1000).toISOString(), user }, 200);
  })
  .openapi(embedTokenRoute, async (c) => {
    const principal = c.get("principal");
    if (principal.embed) throw new ProblemError("forbidden", { detail: "an embed token cannot mint tokens" });
    const body = c.req.valid("json") ?? {};
    if (!body.learnerId && !principal.roles.includes("learner")) {
      // Without a learnerId the token is for the caller's own widgets; staff have none of their own.
      throw new ProblemError("invalid_request", {
        detail: "learnerId is required: a trainer or admin mints an embed token for one of their learners",
        errors: [{ path: "body.learnerId", message: "required for a caller who is not a learner" }],
      });
    }
    const learnerId = body.learnerId ?? principal.userId;
    const widgets = body.widgets ? [...new Set(body.widgets)] : [...embedWidgets];
    // Only for a learner the caller may read themself, and never outliving the caller's session.
    await authorizeLearner(c, learnerId);
    const sessionLeft = (principal.exp ?? 0) - Math.floor(c.get("deps").clock.now().getTime() / 1000);
    const { token, exp } = await c.get("signer").signUser({
      sub: principal.userId,
      org: principal.orgId,
      roles: principal.roles,
      embed: { learnerId, widgets },
      ttlSeconds: Math.max(1, Math.min(EMBED_TOKEN_MAX_SECONDS, sessionLeft)),
    });
    return c.json({ token, expiresAt: new Date(exp * 1000).toISOString(), learnerId, widgets }, 200);
  });

/**
 * What failed, for the operator: an upstream failure says which kind and call (never the body, so
 * no credentials); anything else only its name.
 */
function errorName(err: unknown): string {
  return upstreamFailureText(err) ?? (err instanceof Error ? err.name : typeof err);
}
