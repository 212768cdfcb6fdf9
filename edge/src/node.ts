/** Node entry (Railway and local): dependencies from process.env, served by @hono/node-server. */
import { serve } from "@hono/node-server";
import { createApp } from "./app.ts";
import { systemClock } from "./deps.ts";

const port = Number(process.env.PORT ?? 8787);
const app = createApp({ clock: systemClock, runtime: "node" });
const server = serve({ fetch: app.fetch, port, hostname: process.env.HOST ?? "127.0.0.1" }, (info) => {
  console.log(JSON.stringify({ level: "info", msg: "ms8 edge listening", port: info.port }));
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
