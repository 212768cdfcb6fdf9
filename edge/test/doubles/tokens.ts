/** Token minting for tests, including the malformed and hostile tokens of the JWT attack table. */
import { sign } from "hono/utils/jwt/jwt";
import { TEST_JWT_SECRET, TEST_SERVICE_SECRET } from "./world.ts";

const b64url = (s: string) => btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
export const nowSeconds = () => Math.floor(Date.now() / 1000);

export interface UserSpec {
  sub: string;
  org: string;
  roles: string[];
  embed?: { learnerId: string; widgets: string[] };
}

export function userToken(spec: UserSpec, extra: Record<string, unknown> = {}, secret = TEST_JWT_SECRET) {
  return sign({ ...spec, iat: nowSeconds(), exp: nowSeconds() + 900, ...extra }, secret, "HS256");
}

export function serviceToken(service: string, scope: string, secret = TEST_SERVICE_SECRET) {
  return sign({ service, scope, iat: nowSeconds(), exp: nowSeconds() + 300 }, secret, "HS256");
}

/** A token with any header, signed with HMAC-SHA256 over the given secret (or an empty signature). */
export async function craftedToken(header: Record<string, unknown>, payload: Record<string, unknown>, secret?: string) {
  const head = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  if (!secret) return `${head}.`;
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(head)));
  return `${head}.${b64url(String.fromCharCode(...sig))}`;
}

export const callers = {
  learnerA1: { sub: "lrn-a1", org: "acme", roles: ["learner"] },
  learnerA2: { sub: "lrn-a2", org: "acme", roles: ["learner"] },
  trainerA1: { sub: "tr-a1", org: "acme", roles: ["trainer"] },
  trainerA2: { sub: "tr-a2", org: "acme", roles: ["trainer"] },
  adminA: { sub: "adm-a", org: "acme", roles: ["org_admin"] },
  embedA1: { sub: "lrn-a1", org: "acme", roles: ["learner"], embed: { learnerId: "lrn-a1", widgets: ["velocity"] } },
  adminG: { sub: "adm-g", org: "globex", roles: ["org_admin"] },
  // org-aurora of the simulator's world (doubles/world.ts): the trainer persona and the admin.
  trainerAurora: { sub: "trn-aurora-1", org: "org-aurora", roles: ["trainer"] },
  adminAurora: { sub: "adm-aurora", org: "org-aurora", roles: ["org_admin"] },
} satisfies Record<string, UserSpec>;
export type CallerName = keyof typeof callers;
