/**
 * The BFF as a runtime-free Hono app. `node.ts` and `worker.ts` build the dependencies for their
 * runtime and hand them in; nothing here may touch `process`, bindings or module-level state.
 *
 * Request path: answer headers (request id, security headers) -> log line -> CORS -> per-IP limit ->
 * body rules -> token -> per-user limit -> route (validation, access, handler) -> ETag. Every failure
 * on the way leaves through onError / notFound as application/problem+json. Headers known before
 * the handler (request id, security, rate limits) go into one record per request (answer-headers.ts).
 */
import { Scalar } from "@scalar/hono-api-reference";
import type { Context } from "hono";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import type { AppDeps } from "./deps.ts";
import { answerHeaders, securityHeaderSet } from "./http/answer-headers.ts";
import { forbidEmbedTokens, requireUser } from "./http/auth.ts";
import { EVENT_BATCH_MAX_BYTES, jsonBodies } from "./http/body.ts";
import { conditionalAnalytics } from "./http/conditional.ts";
import { createRouter } from "./http/context.ts";
import { allowedMethods } from "./http/method-not-allowed.ts";
import { type ProblemCode, ProblemError, problemResponse, problemTypes } from "./http/problem.ts";
import { rateLimit } from "./http/rate-limit.ts";
import { requestLog } from "./http/request-log.ts";
import { createTokenSigner, createTokenVerifier } from "./http/tokens.ts";
import { aiRoutes } from "./routes/ai.ts";
import { authRoutes } from "./routes/auth.ts";
import { eventRoutes } from "./routes/events.ts";
import { healthRoutes } from "./routes/health.ts";
import { learnerRoutes } from "./routes/learners.ts";
import { meRoutes } from "./routes/me.ts";
import { orgRoutes } from "./routes/orgs.ts";
import { widgetAssetRoutes } from "./routes/widget-assets.ts";

export type { AppEnv } from "./http/context.ts";

export const API_VERSION = "1.0.0";

/** The @scalar/api-reference release /docs loads (its standalone bundle on jsDelivr). */
export const SCALAR_CDN = "https://cdn.jsdelivr.net/npm/@scalar/api-reference@1.72.1";
/** Shown until the reference mounts over it, and for good when the CDN cannot be reached. */
const DOCS_FALLBACK =
  '<p style="font-family:sans-serif;margin:2rem">Loading the API reference&hellip; If it does not appear ' +
  '(offline, or the CDN is blocked), read the OpenAPI document directly: <a href="/openapi.json">/openapi.json</a>.</p>';

export function createApp(deps: AppDeps) {
  const tokenSettings = {
    jwtSecret: deps.http.jwtSecret,
    serviceSecret: deps.http.serviceSecret,
    issuer: deps.http.jwtIssuer,
    audience: deps.http.jwtAudience,
    clock: deps.clock,
  };
  // Per app (so per Worker env), never per module: the verified-token cache lives here.
  const tokens = createTokenVerifier(tokenSettings);
  const signer = createTokenSigner(tokenSettings);

  // Widget files (/widgets/release.json beside /widgets/:version/:file) are routed apart, so the
  // API's routes keep Hono's fastest router.
  const app = createRouter();
  // Widget files are public and embeddable from any origin (CORP cross-origin, set by their route).
  const apiSecurity = securityHeaderSet();
  const assetSecurity = securityHeaderSet({ embeddable: true });
  app.use(
    answerHeaders({
      // A caller's X-Request-Id is kept when it is 1-128 of [A-Za-z0-9_-=], else a fresh UUID.
      requestIdMaxLength: 128,
      securityFor: (path) => (path.startsWith("/widgets/") ? assetSecurity : apiSecurity),
    }),
  );
  app.use(async function provideDeps(c, next) {
    c.set("deps", deps);
    c.set("tokens", tokens);
    c.set("signer", signer);
    await next();
  });
  app.use(requestLog());
  app.use(corsFromAllowList(deps.http.corsOrigins));
  app.use("/api/*", rateLimit({ scope: "ip" }));
  // 64 KB for every body but event batches: up to 500 events (issue 5) run to ~120 KB.
  const bodies = jsonBodies();
  const eventBatches = jsonBodies({ maxBytes: EVENT_BATCH_MAX_BYTES });
  app.use("/api/v1/*", async function bodyRules(c, next) {
    return (c.req.path === "/api/v1/events" ? eventBatches : bodies)(c, next);
  });
  const user = [requireUser(), rateLimit({ scope: "user" })] as const;
  app.use("/api/v1/me", ...user, forbidEmbedTokens());
  app.use("/api/v1/auth/embed-token", ...user);
  app.use("/api/v1/learners/*", ...user, conditionalAnalytics());
  app.use("/api/v1/orgs/*", ...user, conditionalAnalytics());

  const methodsFor = allowedMethods(app);
  app.notFound((c) => {
    const methods = methodsFor(c.req.path);
    if (methods.length > 0) {
      return problemResponse(c, "method_not_allowed", {
        detail: `${c.req.method} is not supported here; use ${methods.join(", ")}`,
        headers: { Allow: methods.join(", ") },
      });
    }
    return problemResponse(c, "not_found", { detail: `nothing at ${c.req.path}` });
  });
  app.onError((err, c) => {
    if (err instanceof ProblemError) return problemResponse(c, err.code, err.init);
    const code = (err as { code?: unknown }).code;
    if (code === "invalid_cursor") {
      return problemResponse(c, "invalid_request", {
        detail: err.message,
        errors: [{ path: "query.cursor", message: err.message }],
      });
    }
    if (code === "upstream_unavailable") {
      const retryAfter = (err as { retryAfterSeconds?: number }).retryAfterSeconds ?? 30;
      return problemResponse(c, "upstream_unavailable", {
        detail: err.message,
        headers: { "Retry-After": String(retryAfter) },
      });
    }
    if (err.name === "UpstreamError") {
      // A platform service failed outside a fallback chain: a service problem, not the client's.
      deps.logger.log("warn", { msg: "upstream failed", requestId: c.get("requestId"), error: err.message });
      return problemResponse(c, "upstream_unavailable", {
        detail: "a service this answer needs cannot answer right now",
        headers: { "Retry-After": "5" },
      });
    }
    if (code === "unavailable") {
      // The database (StoreError) could not answer: the client may retry, it did nothing wrong.
      deps.logger.log("warn", { msg: "database unavailable", requestId: c.get("requestId"), error: err.message });
      return problemResponse(c, "upstream_unavailable", {
        detail: "the database cannot answer right now",
        headers: { "Retry-After": "5" },
      });
    }
    if (err instanceof HTTPException && err.status < 500) {
      // Hono's own client errors, e.g. the validator's "Malformed JSON in request body".
      const problem: ProblemCode = /json/i.test(err.message) ? "invalid_json" : codeForStatus(err.status);
      return problemResponse(c, problem, { detail: err.message });
    }
    deps.logger.log("error", {
      msg: "unhandled error",
      requestId: c.get("requestId"),
      error: err.name,
      message: err.message,
      stack: err.stack,
    });
    return problemResponse(c, "internal", { detail: "something went wrong on our side; quote the instance id" });
  });

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "A user or embed token (HS256, JWT_SECRET) from POST /api/v1/auth/login or /auth/embed-token",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "serviceToken", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "A service token (HS256, SERVICE_SECRET) with claims service, scope, exp",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "MS8 Learning Analytics API",
      version: API_VERSION,
      description:
        "The edge BFF: learner analytics, organization lists, sessions. Errors are application/problem+json.",
    },
  });
  // The reference UI comes from a CDN: pinned to one release (an unpinned URL changes under us),
  // and the page links the raw document, which stays readable when the script cannot load.
  const reference = Scalar({ url: "/openapi.json", pageTitle: "MS8 API reference", cdn: SCALAR_CDN });
  app.get("/docs", async (c, next) => {
    const page = await reference(c, next);
    if (!page) return c.notFound();
    const html = await page.text();
    return c.html(html.replace('<div id="app"></div>', `<div id="app">${DOCS_FALLBACK}</div>`), page.status as 200);
  });
  if (deps.widgetAssets) app.route("/", widgetAssetRoutes(deps.widgetAssets));

  return app
    .route("/", healthRoutes)
    .route("/api/v1", authRoutes)
    .route("/api/v1", meRoutes)
    .route("/api/v1", learnerRoutes)
    .route("/api/v1", aiRoutes)
    .route("/api/v1", orgRoutes)
    .route("/api/v1", eventRoutes({ services: ingestionServices }));
}

/** POST /events writes through the ledger and checks learners against the Directory (insights.profile). */
function ingestionServices(c: Context) {
  const { ledger, insights, clock } = c.get("deps");
  if (!ledger) throw new ProblemError("upstream_unavailable", { detail: "the event ledger is not configured here" });
  return {
    store: ledger,
    // Ingestion reads no analytics: warming the snapshot would start five upstream calls per learner.
    lookupLearner: (learnerId: string) =>
      insights.profile(learnerId, { requestId: c.get("requestId"), warmSnapshot: false }),
    onLearnersChanged: (learnerIds: string[]) => insights.invalidate(learnerIds),
    clock,
  };
}

export type AppType = ReturnType<typeof createApp>;

/** CORS only for listed origins; any other origin gets no CORS headers at all, preflight included. */
function corsFromAllowList(origins: string[]) {
  const allowed = new Set(origins);
  const handler = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ["GET", "POST", "OPTIONS"],
    allowHeaders: ["Authorization", "Content-Type", "If-None-Match", "X-Request-Id"],
    exposeHeaders: [
      "ETag",
      "X-Request-Id",
      "Retry-After",
      "RateLimit-Limit",
      "RateLimit-Remaining",
      "RateLimit-Reset",
      "RateLimit-Policy",
      "WWW-Authenticate",
    ],
    maxAge: 600,
  });
  return async function corsFromAllowList(c: Parameters<typeof handler>[0], next: Parameters<typeof handler>[1]) {
    const origin = c.req.header("Origin");
    if (!origin || !allowed.has(origin)) return next();
    return handler(c, next);
  };
}

function codeForStatus(status: number): ProblemCode {
  const match = Object.entries(problemTypes).find(([, t]) => t.status === status);
  return (match?.[0] as ProblemCode | undefined) ?? "invalid_request";
}
