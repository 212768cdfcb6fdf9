/**
 * The headers every answer carries that are known before the handler runs (request id, security
 * headers, rate-limit state), collected in one plain record per request.
 *
 * A response built with `answerWith()` takes the record as its headers in one pass: no Headers
 * object is created, set and read back per middleware, and @hono/node-server writes a plain-headers
 * response directly (its fast path). Every other response (c.json, problems, preflights, a 304 of a
 * hashed answer) gets the record added after the handler, each header where the response has none,
 * so a handler's own header (a widget file's Cross-Origin-Resource-Policy) stands.
 */
import type { Context, MiddlewareHandler } from "hono";

interface AnswerHeaders {
  /** Lower-case names, as HTTP/1.1 writes them. */
  record: Record<string, string>;
  /** The response answerWith() built: it already carries the record. */
  built?: Response;
}

declare module "hono" {
  interface ContextVariableMap {
    answerHeaders: AnswerHeaders;
  }
}

export interface AnswerHeaderOptions {
  /** X-Request-Id up to this length is accepted (default 255, as hono/request-id). */
  requestIdMaxLength?: number;
  /** The security headers for a path: constant records (securityHeaderSet), copied per request. */
  securityFor?: (path: string) => Readonly<Record<string, string>>;
}

/**
 * Outermost middleware: starts the record with the request id and the security headers, and adds
 * it to responses built without it.
 *
 * X-Request-Id is the caller's when it is 1 to requestIdMaxLength of [A-Za-z0-9_-=] (hono/request-id's
 * rule), else a fresh UUID; it is echoed back and kept in `c.var.requestId` for logs, problems and
 * upstream calls.
 */
export function answerHeaders(opts: AnswerHeaderOptions = {}): MiddlewareHandler {
  const maxLength = opts.requestIdMaxLength ?? 255;
  const securityFor = opts.securityFor ?? (() => ({}));
  return async function answerHeaders(c, next) {
    let id = c.req.header("X-Request-Id");
    if (!id || id.length > maxLength || /[^\w\-=]/.test(id)) id = crypto.randomUUID();
    c.set("requestId", id);
    const state: AnswerHeaders = { record: { ...securityFor(c.req.path), "x-request-id": id } };
    c.set("answerHeaders", state);
    await next();
    // Any other response (also one that replaced a built answer, as an error after it would)
    // gets the record where it lacks a header; a copy of a built answer lacks none.
    if (c.res === state.built) return;
    const headers = c.res.headers;
    for (const name in state.record) {
      if (!headers.has(name)) headers.set(name, state.record[name]!);
    }
  };
}

/** The request's record, for middleware to add what it knows before the handler runs. */
export function answerHeadersOf(c: Context): Record<string, string> {
  return c.get("answerHeaders").record;
}

/**
 * A response carrying the record plus `own` (lower-case names; own wins), built once. The record
 * may be extended until here, never after: later middleware must not need this response's headers.
 */
export function answerWith(c: Context, body: string | null, status: number, own: Record<string, string>): Response {
  const state = c.get("answerHeaders");
  // A new record, not the request's: if this response is replaced later (an error after it), the
  // after-handler pass must not copy this answer's ETag or Cache-Control onto the replacement.
  state.built = new Response(body, { status, headers: { ...state.record, ...own } });
  return state.built;
}

/**
 * Whether answerWith() built this request's answer (so it is final: no header work left for it).
 * Not an identity check: Hono may hand the answer on as a copy (c.res merging headers set
 * earlier), which is still the built answer.
 */
export function answeredWithRecord(c: Context): boolean {
  return c.get("answerHeaders")?.built !== undefined;
}

/**
 * What hono/secure-headers' `secureHeaders()` sets by default (hono 4.13), as constant records:
 * the same values every request, so they are built once instead of set one by one per answer.
 * `embeddable` drops Cross-Origin-Resource-Policy and -Opener-Policy (widget files, which set
 * CORP cross-origin themselves).
 */
export function securityHeaderSet(opts: { embeddable?: boolean } = {}): Readonly<Record<string, string>> {
  const all: Record<string, string> = {
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "origin-agent-cluster": "?1",
    "referrer-policy": "no-referrer",
    "strict-transport-security": "max-age=15552000; includeSubDomains",
    "x-content-type-options": "nosniff",
    "x-dns-prefetch-control": "off",
    "x-download-options": "noopen",
    "x-frame-options": "SAMEORIGIN",
    "x-permitted-cross-domain-policies": "none",
    "x-xss-protection": "0",
  };
  if (opts.embeddable) {
    delete all["cross-origin-resource-policy"];
    delete all["cross-origin-opener-policy"];
  }
  return Object.freeze(all);
}
