/**
 * Bearer authentication middleware. `requireUser` accepts user and embed tokens (JWT_SECRET),
 * `requireService(scope)` only service tokens (SERVICE_SECRET): different secrets and disjoint claim
 * sets, so neither kind passes where the other is required. The token is only ever read from the
 * Authorization header (a token in the query string would end up in logs and Referer headers).
 */
import type { Context, MiddlewareHandler } from "hono";
import type { Principal } from "../deps.ts";
import { ProblemError } from "./problem.ts";
import { type ServicePrincipal, TokenRejected } from "./tokens.ts";

declare module "hono" {
  interface ContextVariableMap {
    principal: Principal;
    servicePrincipal: ServicePrincipal;
  }
}

const REALM = "ms8";

function bearerToken(c: Context): string {
  const header = c.req.header("Authorization");
  if (!header) {
    throw new ProblemError("unauthorized", {
      detail: "send a token as Authorization: Bearer <token>",
      headers: { "WWW-Authenticate": `Bearer realm="${REALM}"` },
    });
  }
  const match = /^Bearer[ ]+([A-Za-z0-9_.=-]+)$/i.exec(header.trim());
  if (!match?.[1]) throw rejected("the Authorization header is not a Bearer token");
  return match[1];
}

function rejected(reason: string, error = "invalid_token"): ProblemError {
  return new ProblemError("invalid_token", {
    detail: reason,
    headers: { "WWW-Authenticate": `Bearer realm="${REALM}", error="${error}", error_description="${reason}"` },
  });
}

/** Verifies a user or embed token and sets `c.var.principal`. */
export function requireUser(): MiddlewareHandler {
  return async function requireUser(c, next) {
    const token = bearerToken(c);
    try {
      c.set("principal", await c.get("tokens").user(token));
    } catch (err) {
      if (err instanceof TokenRejected) throw rejected(err.reason);
      throw err;
    }
    await next();
  };
}

/**
 * The service behind the request's token when it is a valid service token carrying `scope`, else
 * null: for routes anyone may call that show more to a service (GET /health's details).
 */
export async function optionalService(c: Context, scope: string): Promise<ServicePrincipal | null> {
  let token: string;
  try {
    token = bearerToken(c);
  } catch {
    return null;
  }
  const principal = await c
    .get("tokens")
    .service(token)
    .catch(() => null);
  return principal?.scopes.includes(scope) ? principal : null;
}

/** Verifies a service token carrying `scope` and sets `c.var.servicePrincipal`. */
export function requireService(scope: string): MiddlewareHandler {
  return async function requireService(c, next) {
    const token = bearerToken(c);
    let principal: ServicePrincipal;
    try {
      principal = await c.get("tokens").service(token);
    } catch (err) {
      if (err instanceof TokenRejected) throw rejected(err.reason);
      throw err;
    }
    if (!principal.scopes.includes(scope)) {
      throw new ProblemError("forbidden", {
        detail: `this service token lacks the scope ${scope}`,
        headers: { "WWW-Authenticate": `Bearer realm="${REALM}", error="insufficient_scope", scope="${scope}"` },
      });
    }
    c.set("servicePrincipal", principal);
    await next();
  };
}

/** Embed tokens only read widget endpoints; everything else needs a full session token. */
export function forbidEmbedTokens(): MiddlewareHandler {
  return async function forbidEmbedTokens(c, next) {
    if (c.get("principal")?.embed) {
      throw new ProblemError("forbidden", { detail: "an embed token can only read its learner's widgets" });
    }
    await next();
  };
}
