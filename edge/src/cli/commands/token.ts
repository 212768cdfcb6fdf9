/**
 * `pnpm ms8 token`: mint a token for local use with the same secrets the BFF uses (JWT_SECRET /
 * SERVICE_SECRET from the environment, else .data/local-secrets.json outside production).
 *   pnpm ms8 token --sub lrn-acme-0001 --org acme --roles learner [--ttl 900] [--json]
 *   pnpm ms8 token --service course-builder --scope events:write [--ttl 300]
 */
import { parseArgs } from "node:util";
import { ConfigError, parseConfig } from "../../config.ts";
import { systemClock } from "../../deps.ts";
import { createTokenSigner, ServiceClaims, UserClaims } from "../../http/tokens.ts";
import { resolveSecrets } from "../../local-secrets.ts";

export const summary = "mint a user token (--sub --org --roles) or a service token (--service --scope) for local use";

const usage = `usage:
  pnpm ms8 token --sub <userId> --org <orgId> --roles learner[,trainer,org_admin] [--ttl 900] [--json]
  pnpm ms8 token --service <name> --scope "events:write" [--ttl 300] [--json]`;

export async function run(args: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        sub: { type: "string" },
        org: { type: "string" },
        roles: { type: "string" },
        service: { type: "string" },
        scope: { type: "string" },
        ttl: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`ms8 token: ${(err as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  // A token is either a user's or a service's: a mix would silently drop half the flags.
  const userFlags = ["sub", "org", "roles"].filter((f) => values[f] !== undefined);
  const serviceFlags = ["service", "scope"].filter((f) => values[f] !== undefined);
  if (userFlags.length > 0 && serviceFlags.length > 0) {
    const given = [...userFlags, ...serviceFlags].map((f) => `--${f}`).join(", ");
    console.error(
      `ms8 token: user flags (--sub, --org, --roles) and service flags (--service, --scope) cannot be mixed; got ${given}\n${usage}`,
    );
    return 2;
  }
  const isService = serviceFlags.length > 0;
  const ttl = Number(values.ttl ?? (isService ? 300 : 900));
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > 86_400) {
    console.error("ms8 token: --ttl must be a whole number of seconds between 1 and 86400");
    return 2;
  }

  let secrets: ReturnType<typeof resolveSecrets>;
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig(process.env);
    secrets = resolveSecrets(config);
  } catch (err) {
    console.error(`ms8 token: ${err instanceof ConfigError ? err.message : (err as Error).message}`);
    return 1;
  }
  const signer = createTokenSigner({
    jwtSecret: secrets.jwtSecret,
    serviceSecret: secrets.serviceSecret,
    issuer: config.jwtIssuer,
    audience: config.jwtAudience,
    clock: systemClock,
  });

  // Check the claims with the same schemas the BFF verifies, so a typo fails here, not at the API.
  const now = Math.floor(Date.now() / 1000);
  let minted: { token: string; exp: number };
  if (isService) {
    const claims = { service: values.service as string, scope: (values.scope as string | undefined) ?? "" };
    const check = ServiceClaims.safeParse({ ...claims, exp: now + ttl });
    if (!check.success) return invalid(check.error.issues);
    minted = await signer.signService({ ...claims, ttlSeconds: ttl });
  } else {
    const roles = String(values.roles ?? "")
      .split(",")
      .map((r) => r.trim())
      .filter(Boolean);
    const claims = { sub: values.sub as string, org: values.org as string, roles };
    const check = UserClaims.safeParse({ ...claims, exp: now + ttl });
    if (!check.success) return invalid(check.error.issues);
    const { sub, org, roles: checkedRoles } = check.data;
    minted = await signer.signUser({ sub, org, roles: checkedRoles, ttlSeconds: ttl });
  }
  if (values.json) {
    console.log(JSON.stringify({ token: minted.token, expiresAt: new Date(minted.exp * 1000).toISOString() }));
  } else {
    console.log(minted.token);
  }
  return 0;
}

function invalid(issues: { path: PropertyKey[]; message: string }[]): number {
  for (const i of issues) console.error(`ms8 token: --${String(i.path[0] ?? "claims")}: ${i.message}`);
  console.error(usage);
  return 2;
}
