/**
 * The three kinds of token MS8 accepts, all HS256 with the algorithm pinned:
 * - user tokens (JWT_SECRET): sub, org, roles, exp, iat, optional nbf;
 * - embed tokens (JWT_SECRET): a user token narrowed by an `embed` claim to one learner's widgets;
 * - service tokens (SERVICE_SECRET): service, scope, exp.
 * Claims are checked with zod (hono/jwt checks the signature and header only), so a missing exp,
 * a wrong claim type or an unknown role is rejected. Runtime-free: WebCrypto only.
 */
import { sign, verify } from "hono/utils/jwt/jwt";
import { LRUCache } from "lru-cache";
import { z } from "zod";
import { EmbedWidget } from "../contract.ts";
import type { Clock, Principal } from "../deps.ts";

const ALG = "HS256" as const;
const Id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/);
const NumericDate = z.number().int().nonnegative();

export { EmbedWidget };
export const embedWidgets = EmbedWidget.options;
/** Longest life of an embed token: a page that embeds widgets re-asks well within it. */
export const EMBED_TOKEN_MAX_SECONDS = 600;
/** Life of a session token minted by POST /auth/login. */
export const USER_TOKEN_SECONDS = 900;

const registered = {
  exp: NumericDate,
  iat: NumericDate.optional(),
  nbf: NumericDate.optional(),
  iss: z.string().optional(),
  aud: z.union([z.string(), z.array(z.string())]).optional(),
  jti: z.string().optional(),
};

export const UserClaims = z
  .object({
    ...registered,
    sub: Id,
    org: Id,
    roles: z.array(z.enum(["learner", "trainer", "org_admin"])).min(1),
    embed: z
      .object({ learnerId: Id, widgets: z.array(EmbedWidget).min(1) })
      .strict()
      .optional(),
    // A service token's claims must never make a user.
    service: z.never().optional(),
    scope: z.never().optional(),
  })
  .strict();
export type UserClaims = z.infer<typeof UserClaims>;

export const ServiceClaims = z
  .object({
    ...registered,
    service: Id,
    /** Space-separated scopes, as in OAuth: "events:write". */
    scope: z.string().regex(/^[a-z][a-z0-9_.:-]*( [a-z][a-z0-9_.:-]*)*$/),
    sub: z.never().optional(),
    org: z.never().optional(),
    roles: z.never().optional(),
  })
  .strict();
export type ServiceClaims = z.infer<typeof ServiceClaims>;

export interface ServicePrincipal {
  service: string;
  scopes: string[];
}

export class TokenRejected extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.reason = reason;
    this.name = "TokenRejected";
  }
}

/** One HMAC key per secret, imported once: importing per verification is the slow part of JWT. */
function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
}

export interface TokenSigner {
  signUser(claims: Omit<UserClaims, "iat" | "exp"> & { ttlSeconds: number }): Promise<{ token: string; exp: number }>;
  signService(claims: { service: string; scope: string; ttlSeconds: number }): Promise<{ token: string; exp: number }>;
}

export interface TokenVerifier {
  user(token: string): Promise<Principal>;
  service(token: string): Promise<ServicePrincipal>;
}

export interface TokenOptions {
  jwtSecret: string;
  serviceSecret: string;
  issuer?: string;
  audience?: string;
  clock: Clock;
  /** How many verified tokens to remember (each until its exp). */
  cacheSize?: number;
}

export function createTokenSigner(opts: Omit<TokenOptions, "cacheSize">): TokenSigner {
  const userKey = hmacKey(opts.jwtSecret);
  const serviceKey = hmacKey(opts.serviceSecret);
  const stamp = (ttlSeconds: number) => {
    const iat = Math.floor(opts.clock.now().getTime() / 1000);
    return {
      iat,
      exp: iat + ttlSeconds,
      ...(opts.issuer ? { iss: opts.issuer } : {}),
      ...(opts.audience ? { aud: opts.audience } : {}),
    };
  };
  return {
    async signUser({ ttlSeconds, ...claims }) {
      const payload = { ...claims, ...stamp(ttlSeconds) };
      return { token: await sign(payload, await userKey, ALG), exp: payload.exp };
    },
    async signService({ ttlSeconds, ...claims }) {
      const payload = { ...claims, ...stamp(ttlSeconds) };
      return { token: await sign(payload, await serviceKey, ALG), exp: payload.exp };
    },
  };
}

export function createTokenVerifier(opts: TokenOptions): TokenVerifier {
  const userKey = hmacKey(opts.jwtSecret);
  const serviceKey = hmacKey(opts.serviceSecret);
  // Verified user tokens by their exact string, each kept until its exp (never past it).
  const verified = new LRUCache<string, Principal & { exp: number }>({ max: opts.cacheSize ?? 10_000 });
  const nowSeconds = () => Math.floor(opts.clock.now().getTime() / 1000);

  async function checked<T extends z.ZodType>(token: string, key: Promise<CryptoKey>, schema: T): Promise<z.infer<T>> {
    let payload: unknown;
    try {
      // Signature and header only: alg pinned to HS256 (none, HS512, RS256 headers all fail here);
      // time claims are checked below against the injected clock.
      payload = await verify(token, await key, { alg: ALG, exp: false, nbf: false, iat: false });
    } catch (err) {
      throw new TokenRejected(describeJwtError(err));
    }
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new TokenRejected(`claim ${issue?.path.join(".") || "set"} is not acceptable`);
    }
    const claims = parsed.data as z.infer<typeof UserClaims> | z.infer<typeof ServiceClaims>;
    const now = nowSeconds();
    if (claims.exp <= now) throw new TokenRejected("the token has expired");
    if (claims.nbf !== undefined && claims.nbf > now) throw new TokenRejected("the token is not valid yet");
    // A minute of leeway for clocks a little ahead of ours.
    if (claims.iat !== undefined && claims.iat > now + 60)
      throw new TokenRejected("the token was issued in the future");
    if (opts.issuer && claims.iss !== opts.issuer) throw new TokenRejected("the token has the wrong issuer");
    if (opts.audience) {
      const aud = Array.isArray(claims.aud) ? claims.aud : claims.aud ? [claims.aud] : [];
      if (!aud.includes(opts.audience)) throw new TokenRejected("the token has the wrong audience");
    }
    return parsed.data;
  }

  return {
    async user(token) {
      const hit = verified.get(token);
      if (hit && hit.exp > nowSeconds()) return hit;
      const claims = await checked(token, userKey, UserClaims);
      const principal = {
        userId: claims.sub,
        orgId: claims.org,
        roles: claims.roles,
        exp: claims.exp,
        ...(claims.embed ? { embed: claims.embed } : {}),
      };
      verified.set(token, principal, { ttl: Math.max(1, (claims.exp - nowSeconds()) * 1000) });
      return principal;
    },
    async service(token) {
      // Service calls are few (event posts): no cache, so a revoked secret takes effect at once.
      const claims = await checked(token, serviceKey, ServiceClaims);
      return { service: claims.service, scopes: claims.scope.split(" ") };
    },
  };
}

function describeJwtError(err: unknown): string {
  const name = err instanceof Error ? err.name : "";
  switch (name) {
    case "JwtAlgorithmMismatch":
    case "JwtHeaderInvalid":
      return "the token header is not HS256";
    case "JwtTokenSignatureMismatched":
      return "the token signature does not match";
    default:
      return "the token is malformed";
  }
}
