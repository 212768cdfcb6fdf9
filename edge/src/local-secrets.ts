/**
 * Local secrets for development (Node only): when JWT_SECRET / SERVICE_SECRET are unset outside
 * production, the BFF and `pnpm ms8 token` both read `.data/local-secrets.json` at the repository
 * root (git-ignored), creating it with fresh random values on first use, so they always agree.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { Config } from "./config.ts";

export const LOCAL_SECRETS_FILE = fileURLToPath(new URL("../../.data/local-secrets.json", import.meta.url));

interface LocalSecrets {
  JWT_SECRET: string;
  SERVICE_SECRET: string;
}

function fresh(): string {
  return `local-dev-only-${randomBytes(24).toString("base64url")}`;
}

export function readLocalSecrets(file = LOCAL_SECRETS_FILE): LocalSecrets {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<LocalSecrets>;
    if (typeof parsed.JWT_SECRET === "string" && typeof parsed.SERVICE_SECRET === "string") {
      return { JWT_SECRET: parsed.JWT_SECRET, SERVICE_SECRET: parsed.SERVICE_SECRET };
    }
  } catch {
    // Missing or unreadable: write a new pair below.
  }
  const secrets = { JWT_SECRET: fresh(), SERVICE_SECRET: fresh() };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

/** The secrets to use: configured ones, else (never in production) the local file's. */
export function resolveSecrets(config: Config): { jwtSecret: string; serviceSecret: string; local: boolean } {
  if (config.jwtSecret && config.serviceSecret) {
    return { jwtSecret: config.jwtSecret, serviceSecret: config.serviceSecret, local: false };
  }
  if (config.production) throw new Error("JWT_SECRET and SERVICE_SECRET are required in production");
  const local = readLocalSecrets();
  return {
    jwtSecret: config.jwtSecret ?? local.JWT_SECRET,
    serviceSecret: config.serviceSecret ?? local.SERVICE_SECRET,
    local: true,
  };
}
