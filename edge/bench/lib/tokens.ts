/**
 * Tokens for the benchmark callers, signed the way the platform signs them (HS256), with
 * node:crypto so the harness shares no code with the server under test.
 */
import { createHmac } from "node:crypto";

const b64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

export function signHs256(claims: Record<string, unknown>, secret: string): string {
  const head = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64url(JSON.stringify(claims));
  const signature = createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${signature}`;
}

export interface UserClaims {
  sub: string;
  org: string;
  roles: string[];
}

/** A user token valid for `ttlSeconds` (the API's tokens live 15 minutes; a benchmark needs less). */
export function userToken(user: UserClaims, secret: string, ttlSeconds = 900): string {
  const now = Math.floor(Date.now() / 1000);
  return signHs256({ ...user, iat: now, exp: now + ttlSeconds }, secret);
}

/** A service token (other microservices calling MS8, e.g. to post events). */
export function serviceToken(service: string, scope: string | string[], secret: string, ttlSeconds = 300): string {
  const now = Math.floor(Date.now() / 1000);
  return signHs256({ service, scope, iat: now, exp: now + ttlSeconds }, secret);
}
