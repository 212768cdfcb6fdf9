/**
 * `POST /api/v1/events`: other services post learning events (service token only). Mount with
 * `app.route("/api/v1", eventRoutes({ services }))`. The envelope is validated whole (not JSON, no
 * `events` array or more than 500 events fail the request); each event separately (rejected with
 * its reason while the rest are accepted).
 */
import { createRoute } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { Problem } from "../contract.ts";
import { UpstreamUnavailableError } from "../deps.ts";
import { type IngestionDeps, ingestEvents } from "../events/ingest.ts";
import { EventBatch, IngestSummary } from "../events/schema.ts";
import { eventFromStatement } from "../events/xapi.ts";
import { requireService } from "../http/auth.ts";
import { createRouter } from "../http/context.ts";
import { ProblemError } from "../http/problem.ts";
import { StoreError } from "../store/types.ts";

/** The scope a service token needs to post events. */
export const EVENTS_SCOPE = "events:write";

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: Problem } },
});

const ingestRoute = createRoute({
  method: "post",
  path: "/events",
  tags: ["events"],
  summary: "Ingest a batch of learning events (idempotent by eventId)",
  description:
    "Up to 500 events (or xAPI statements with the verbs completed, passed, failed, attempted). Each is validated on its own: accepted, a duplicate of one already stored (acknowledged and ignored), or rejected with a reason (malformed, unknown_type, unknown_learner, wrong_org).",
  security: [{ serviceToken: [] }],
  request: { body: { required: true, content: { "application/json": { schema: EventBatch } } } },
  responses: {
    200: { description: "What happened to each event", content: { "application/json": { schema: IngestSummary } } },
    400: problem("Not JSON, no events array, or more than 500 events"),
    401: problem("Missing or unacceptable service token"),
    403: problem("The service token lacks the events:write scope"),
    413: problem("Body too large"),
    415: problem("Not application/json"),
    503: problem("The Directory or the database cannot answer; retry, nothing is counted twice"),
  },
});

export interface EventRoutesOptions {
  /** Resolves the ingestion services of this request (store, Directory lookup, cache invalidation). */
  services(c: Context): IngestionDeps;
  /** Service-token check; defaults to the HTTP layer's requireService(EVENTS_SCOPE). */
  requireServiceToken?: MiddlewareHandler;
}

/** The sender retries; events already stored come back as duplicates. */
const unavailable = (what: string) =>
  new ProblemError("upstream_unavailable", {
    detail: `${what} could not answer; retry the batch (events already stored count as duplicates)`,
    headers: { "Retry-After": "5" },
  });

export function eventRoutes(options: EventRoutesOptions) {
  const router = createRouter();
  router.use("/events", options.requireServiceToken ?? requireService(EVENTS_SCOPE));
  return router.openapi(ingestRoute, async (c) => {
    const { events = [], statements = [] } = c.req.valid("json");
    try {
      return c.json(await ingestEvents([...events, ...statements.map(eventFromStatement)], options.services(c)), 200);
    } catch (error) {
      if (error instanceof ProblemError) throw error;
      if (error instanceof StoreError) {
        if (error.code === "invalid_input") {
          // The database refused a value the checks let through: retrying would fail the same way.
          throw new ProblemError("invalid_request", {
            detail: "the database refused a value in this batch; nothing was stored, correct it before retrying",
          });
        }
        throw unavailable("the database");
      }
      if (error instanceof UpstreamUnavailableError || (error as Error).name === "UpstreamError") {
        throw unavailable("the Directory");
      }
      // Anything else is our fault, not a reason for the sender to retry: the error path logs it (500).
      throw error;
    }
  });
}
