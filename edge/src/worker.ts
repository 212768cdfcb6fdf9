/** Cloudflare Workers entry: dependencies from bindings. */
import type { ExecutionContext } from "hono";
import { createApp } from "./app.ts";
import { systemClock } from "./deps.ts";

export interface WorkerBindings {
  JWT_SECRET?: string;
}

const app = createApp({ clock: systemClock, runtime: "workerd" });

export default {
  fetch(request: Request, env: WorkerBindings, ctx: ExecutionContext) {
    return app.fetch(request, env, ctx);
  },
};
