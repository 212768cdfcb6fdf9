/**
 * `pnpm dev:worker`: the BFF under `wrangler dev` (workerd) with the same local secrets as the Node
 * entry and `pnpm ms8 token` (.data/local-secrets.json), and NODE_ENV=development instead of the
 * production value in wrangler.toml. Extra arguments go to wrangler (e.g. --port 8788).
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { readLocalSecrets } from "../src/local-secrets.ts";

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
