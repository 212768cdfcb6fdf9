/**
 * The demo dashboard is a plain Vite app. This config adds the three things a real host page would
 * get from its own server:
 * - `/ms8/*`: the built widget bundle (widgets/dist), served as-is in dev and copied on build; the
 *   dashboard loads it with a <script src>, never by importing widget source;
 * - `/demo/config.json`: where the BFF is (`VITE_MS8_API_BASE` or `MS8_API_BASE`), the demo personas
 *   (`MS8_PERSONAS_FILE`, written by scripts/dev.mjs) and whether the operator panel may show;
 * - `/__simulator/*` (dev only): a proxy to the simulator's admin endpoint for the operator panel,
 *   so fault injection never needs CORS on the simulator and never exists in a deployed build.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

const widgetsDist = fileURLToPath(new URL("../widgets/dist/", import.meta.url));
const bundleMissing =
  "The widget bundle is missing: build it with `pnpm --dir widgets build` (widgets/dist/ms8-widgets.js).";

function demoConfig(dev: boolean) {
  const personasFile = process.env.MS8_PERSONAS_FILE;
  const personas = personasFile && existsSync(personasFile) ? JSON.parse(readFileSync(personasFile, "utf8")) : null;
  return {
    apiBase: process.env.VITE_MS8_API_BASE || process.env.MS8_API_BASE || "http://127.0.0.1:8787",
    widgetsSrc: process.env.MS8_WIDGETS_SRC || "/ms8/ms8-widgets.js",
    operator: dev && Boolean(process.env.MS8_SIMULATOR_ADMIN_URL),
    personas: personas?.personas ?? (Array.isArray(personas) ? personas : []),
    organizations: (personas?.organizations ?? []).map((o: { orgId: string; name: string }) => ({
      orgId: o.orgId,
      name: o.name,
    })),
  };
}

function copyDir(from: string, to: string) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    const source = join(from, entry);
    if (statSync(source).isDirectory()) copyDir(source, join(to, entry));
    else copyFileSync(source, join(to, entry));
  }
}

function ms8Host(): Plugin {
  let outDir = "dist";
  return {
    name: "ms8-demo-host",
    configResolved(config) {
      outDir = config.build.outDir;
    },
    configureServer(server) {
      server.middlewares.use(function serveWidgetsAndConfig(req, res, next) {
        const url = new URL(req.url ?? "/", "http://localhost");
        if (url.pathname === "/demo/config.json") {
          res.setHeader("content-type", "application/json");
          res.setHeader("cache-control", "no-store");
          res.end(JSON.stringify(demoConfig(true)));
          return;
        }
        if (!url.pathname.startsWith("/ms8/")) return next();
        const file = join(widgetsDist, url.pathname.slice("/ms8/".length).replaceAll("..", ""));
        if (!existsSync(file) || statSync(file).isDirectory()) {
          res.statusCode = 404;
          res.setHeader("content-type", "text/plain");
          res.end(bundleMissing);
          return;
        }
        const type = file.endsWith(".js")
          ? "text/javascript"
          : file.endsWith(".json")
            ? "application/json"
            : "text/plain";
        res.setHeader("content-type", `${type}; charset=utf-8`);
        res.setHeader("cache-control", "no-cache");
        res.end(readFileSync(file));
      });
    },
    generateBundle() {
      this.emitFile({ type: "asset", fileName: "demo/config.json", source: JSON.stringify(demoConfig(false)) });
    },
    closeBundle() {
      if (!existsSync(join(widgetsDist, "ms8-widgets.js"))) throw new Error(bundleMissing);
      copyDir(widgetsDist, join(outDir, "ms8"));
    },
  };
}

const simulatorAdmin = process.env.MS8_SIMULATOR_ADMIN_URL;

export default defineConfig({
  plugins: [ms8Host()],
  clearScreen: false,
  logLevel: process.env.MS8_QUIET ? "warn" : "info",
  server: {
    proxy: simulatorAdmin
      ? {
          "/__simulator": {
            target: simulatorAdmin,
            changeOrigin: true,
            rewrite: (p) => p.replace(/^\/__simulator/, ""),
          },
        }
      : {},
  },
  build: { target: "es2022" },
});
