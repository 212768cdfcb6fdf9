/** GET /me: who the token says the caller is (demo-host and widgets use it to pick a learner). */
import { createRoute } from "@hono/zod-openapi";
import { Me } from "../contract.ts";
import { createRouter } from "../http/context.ts";
import { readErrors } from "./learners.ts";

const meRoute = createRoute({
  method: "get",
  path: "/me",
  tags: ["session"],
  summary: "The caller's identity, organization and roles",
  security: [{ bearerAuth: [] }],
  responses: {
    200: { description: "The caller", content: { "application/json": { schema: Me } } },
    401: readErrors[401],
    429: readErrors[429],
  },
});

export const meRoutes = createRouter().openapi(meRoute, (c) => {
  const p = c.get("principal");
  return c.json(
    {
      userId: p.userId,
      orgId: p.orgId,
      roles: p.roles,
      embed: p.embed ?? null,
      tokenExpiresAt: new Date((p.exp ?? 0) * 1000).toISOString(),
    },
    200,
  );
});
