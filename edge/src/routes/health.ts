import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../app.ts";

const HealthReport = z.object({
  status: z.enum(["healthy", "degraded", "down"]),
  runtime: z.enum(["node", "workerd"]),
  checkedAt: z.string().datetime(),
});

const healthRoute = createRoute({
  method: "get",
  path: "/health",
  tags: ["operations"],
  summary: "Whether this instance can serve, and the state of what it depends on",
  responses: {
    200: { description: "Able to serve", content: { "application/json": { schema: HealthReport } } },
  },
});

export const healthRoutes = new OpenAPIHono<AppEnv>().openapi(healthRoute, (c) => {
  const { clock, runtime } = c.var.deps;
  return c.json({ status: "healthy" as const, runtime, checkedAt: clock.now().toISOString() }, 200);
});
