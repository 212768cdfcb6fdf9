/**
 * `pnpm dev:worker`: the BFF under `wrangler dev` (workerd) with the same local secrets as the Node
 * entry and `pnpm ms8 token` (.data/local-secrets.json), and NODE_ENV=development instead of the
 * production value in wrangler.toml, after building the widgets if widgets/dist is missing. Extra
 * arguments go to wrangler (e.g. --port 8788).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { readLocalSecrets } from "../src/local-secrets.ts";

// wrangler.toml ships widgets/dist as the Worker's static assets: build them once if missing.
const widgetsDist = fileURLToPath(new URL("../../widgets/dist/release.json", import.meta.url));
if (!existsSync(widgetsDist)) {
  console.log("building the widgets first (widgets/dist is the Worker's static assets)…");
  const built = spawnSync("pnpm", ["--dir", fileURLToPath(new URL("../../widgets", import.meta.url)), "build"], {
    stdio: "inherit",
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const secrets = readLocalSecrets();
const vars = {
  NODE_ENV: "development",
  JWT_SECRET: process.env.JWT_SECRET || secrets.JWT_SECRET,
  SERVICE_SECRET: process.env.SERVICE_SECRET || secrets.SERVICE_SECRET,
  ...(process.env.CORS_ORIGINS ? { CORS_ORIGINS: process.env.CORS_ORIGINS } : {}),
};
const args = [
  "dev",
  "--config",
  fileURLToPath(new URL("../../wrangler.toml", import.meta.url)),
  ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ...process.argv.slice(2),
];
const wrangler = spawn("wrangler", args, {
  stdio: "inherit",
  env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => wrangler.kill(signal));
wrangler.on("exit", (code) => process.exit(code ?? 0));
