/**
 * Organization lists for trainers and org admins (keyset pagination) and the organization summary,
 * read from the analytics store. Same access rules as learners: another organization is a 404.
 * An org admin's answers cover the organization; a trainer's only the learners they may open
 * (learnerAccess: they train one of the learner's courses, or the courses list no trainer), so
 * every learner a trainer is shown opens for them. `scope` in each answer says which.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { AtRiskPage, OrgId, OrgLearnersPage, OrgSummary, RiskLevel } from "../contract.ts";
import type { AtRiskRow, LearnerRow, ListScope, Principal } from "../deps.ts";
import { authorizeOrg } from "../http/access.ts";
import { createRouter } from "../http/context.ts";
import { readErrors } from "./learners.ts";

const OrgParams = z.object({
  orgId: OrgId.openapi({ param: { name: "orgId", in: "path" }, example: "acme" }),
});
// Cursors carry the last row's sort key (a display name among them), so allow room for long names.
const Cursor = z
  .string()
  .regex(/^[A-Za-z0-9_=-]{1,1024}$/, "an opaque cursor from a previous page's nextCursor")
  .optional()
  .openapi({ param: { name: "cursor", in: "query" } });
const Limit = z.coerce
  .number()
  .int()
  .min(1)
  .max(200)
  .default(50)
  .openapi({ param: { name: "limit", in: "query" }, example: 50 });

/** Whose learners the caller sees; authorizeOrg has already let only org admins and trainers in. */
function scopeOf(principal: Principal): ListScope {
  return principal.roles.includes("org_admin")
    ? { kind: "organization" }
    : { kind: "trainer", trainerId: principal.userId };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const learnerItem = (r: LearnerRow) => ({ ...r, calculatedAt: iso(r.calculatedAt) });
const atRiskItem = (r: AtRiskRow) => ({ ...r, calculatedAt: r.calculatedAt.toISOString() });

const listLearnersRoute = createRoute({
  method: "get",
  path: "/orgs/{orgId}/learners",
  tags: ["organizations"],
  summary: "The organization's learners with their latest risk, a page at a time (a trainer: their learners)",
  security: [{ bearerAuth: [] }],
  request: { params: OrgParams, query: z.object({ cursor: Cursor, limit: Limit }) },
  responses: {
    200: { description: "One page", content: { "application/json": { schema: OrgLearnersPage } } },
    304: { description: "Unchanged since the ETag in If-None-Match" },
    ...readErrors,
  },
});

const atRiskRoute = createRoute({
  method: "get",
  path: "/orgs/{orgId}/at-risk",
  tags: ["organizations"],
  summary: "Learners at or above a risk level, by level, then chance of leaving (a trainer: their learners)",
  description:
    "Ordered by risk level (critical, high, medium, low), then riskScore (the chance of leaving) descending, then " +
    "learnerId. Levels compare a learner with the typical learner of the same course week, so a critical learner " +
    "late in a course can score below a high one early in a course and still comes first. Pages follow nextCursor; " +
    "a cursor issued before this order (by score alone) is refused with invalid_cursor.",
  security: [{ bearerAuth: [] }],
  request: {
    params: OrgParams,
    query: z.object({
      minLevel: RiskLevel.default("high").openapi({ param: { name: "minLevel", in: "query" } }),
      cursor: Cursor,
      limit: Limit,
    }),
  },
  responses: {
    200: { description: "One page", content: { "application/json": { schema: AtRiskPage } } },
    304: { description: "Unchanged since the ETag in If-None-Match" },
    ...readErrors,
  },
});

const summaryRoute = createRoute({
  method: "get",
  path: "/orgs/{orgId}/summary",
  tags: ["organizations"],
  summary: "Learner count and risk distribution of the organization (a trainer: of their learners)",
  security: [{ bearerAuth: [] }],
  request: { params: OrgParams },
  responses: {
    200: { description: "The summary", content: { "application/json": { schema: OrgSummary } } },
    304: { description: "Unchanged since the ETag in If-None-Match" },
    ...readErrors,
  },
});

export const orgRoutes = createRouter()
  .openapi(listLearnersRoute, async (c) => {
    const { orgId } = c.req.valid("param");
    const { cursor, limit } = c.req.valid("query");
    authorizeOrg(c, orgId);
    const scope = scopeOf(c.get("principal"));
    const page = await c.get("deps").store.listLearners(orgId, { cursor, limit, scope });
    return c.json({ items: page.items.map(learnerItem), nextCursor: page.nextCursor, scope: scope.kind }, 200);
  })
  .openapi(atRiskRoute, async (c) => {
    const { orgId } = c.req.valid("param");
    const { minLevel, cursor, limit } = c.req.valid("query");
    authorizeOrg(c, orgId);
    const scope = scopeOf(c.get("principal"));
    const page = await c.get("deps").store.listAtRisk(orgId, { minLevel, cursor, limit, scope });
    return c.json({ items: page.items.map(atRiskItem), nextCursor: page.nextCursor, scope: scope.kind }, 200);
  })
  .openapi(summaryRoute, async (c) => {
    const { orgId } = c.req.valid("param");
    authorizeOrg(c, orgId);
    const scope = scopeOf(c.get("principal"));
    const summary = await c.get("deps").store.orgSummary(orgId, { scope });
    return c.json({ ...summary, scope: scope.kind, calculatedAt: iso(summary.calculatedAt) }, 200);
  });
