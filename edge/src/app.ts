/**
 * The BFF as a runtime-free Hono app. `node.ts` and `worker.ts` build the dependencies for their
 * runtime and hand them in; nothing here may touch `process`, bindings or module-level state.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppDeps } from "./deps.ts";
import { healthRoutes } from "./routes/health.ts";

export type AppEnv = { Variables: { deps: AppDeps } };

export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>();
  app.use(async function injectDeps(c, next) {
    c.set("deps", deps);
    await next();
  });
  return app.route("/", healthRoutes);
}

export type AppType = ReturnType<typeof createApp>;
