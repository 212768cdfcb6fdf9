/**
 * Node entry (Railway and local): configuration from process.env (zod; a bad variable stops the
 * process naming it), dependencies built once (node-deps.ts), served by @hono/node-server.
 * Imported by nothing.
 */
import { serve } from "@hono/node-server";
import { createApp } from "./app.ts";
import { type Config, ConfigError, parseConfig } from "./config.ts";
import { startRefreshTimer } from "./insights/index.ts";
import { buildNodeDeps } from "./node-deps.ts";

function loadConfig(): Config {
  try {
    return parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const p of err.problems) console.error(`ms8 edge: configuration error: ${p.variable} ${p.message}`);
      process.exit(1);
    }
    throw err;
  }
}

const config = loadConfig();
const deps = await buildNodeDeps(config);
const app = createApp(deps);
// Loopback for local use; every interface in production (Railway routes to the container).
const hostname = config.host;
const server = serve({ fetch: app.fetch, port: config.port, hostname }, (info) => {
  deps.logger.log("info", { msg: "ms8 edge listening", url: `http://${hostname}:${info.port}` });
});

// Keeps the org lists current: recomputes learners whose stored snapshots are due (SNAPSHOT_REFRESH_*).
const refresh =
  config.snapshotRefresh.everyMinutes > 0
    ? startRefreshTimer({
        run: deps.refreshSnapshots,
        everyMs: config.snapshotRefresh.everyMinutes * 60_000,
        logger: deps.logger,
      })
    : null;

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () =>
    server.close(() => void (refresh?.stop() ?? Promise.resolve()).then(deps.close).finally(() => process.exit(0))),
  );
}
