/** HS256 tokens as the BFF signs them (and `pnpm ms8 token` mints them), for test set-up only. */
import { createHmac } from "node:crypto";

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

export function signHs256(claims: Record<string, unknown>, secret: string): string {
  const signed = `${part({ alg: "HS256", typ: "JWT" })}.${part(claims)}`;
  return `${signed}.${createHmac("sha256", secret).update(signed).digest("base64url")}`;
}
