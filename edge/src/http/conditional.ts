/**
 * Conditional GET for analytics answers: a strong ETag over the body, 304 on a matching
 * If-None-Match, and `Cache-Control: private, no-cache` (a browser may keep the answer but must
 * revalidate; shared caches must not keep it, since it depends on who asked).
 *
 * Two ways in, one rule: an answer whose body and ETag are known up front (a cached insight)
 * is built by `conditionalAnswer` in one pass; any other 2xx answer of the routes below is hashed
 * by the middleware (hono/etag) after its handler.
 */
import type { Context, MiddlewareHandler } from "hono";
import { etag, RETAINED_304_HEADERS } from "hono/etag";
import { answeredWithRecord, answerWith } from "./answer-headers.ts";

const CACHE_CONTROL = "private, no-cache";

export function conditionalAnalytics(): MiddlewareHandler {
  // A 304 keeps its CORS headers: without them a cross-origin widget's revalidation is blocked
  // by the browser and the widget shows "cannot be reached" instead of reusing its data.
  const tag = etag({
    retainedHeaders: [
      ...RETAINED_304_HEADERS,
      "access-control-allow-origin",
      "access-control-allow-credentials",
      "access-control-expose-headers",
      "x-request-id",
    ],
  });
  const handled = async () => {};
  return async function conditionalAnalytics(c, next) {
    await next();
    if (answeredWithRecord(c)) return;
    if (c.res.ok) {
      c.res.headers.set("Cache-Control", CACHE_CONTROL);
      c.res.headers.append("Vary", "Authorization");
    }
    // hono/etag on the finished answer: it hashes the body, and answers 304 when it matches.
    await tag(c, handled);
  };
}

/**
 * The answer for a JSON body with its strong ETag: 304 without a body when If-None-Match names
 * the tag (or is `*`), else 200. The same headers the middleware path gives: ETag, Cache-Control
 * and Vary on both, plus the request's answer headers (request id, security, rate limits).
 */
export function conditionalAnswer(c: Context, body: string, tag: string): Response {
  const ifNoneMatch = c.req.header("If-None-Match");
  const headers = { etag: tag, "cache-control": CACHE_CONTROL, vary: "Authorization" };
  if (ifNoneMatch !== undefined && (ifNoneMatch === "*" || etagListed(tag, ifNoneMatch))) {
    return answerWith(c, null, 304, headers);
  }
  return answerWith(c, body, 200, { "content-type": "application/json", ...headers });
}

/** hono/etag's comparison: any quoted tag of the list equal to ours, weak prefix stripped. */
function etagListed(tag: string, ifNoneMatch: string): boolean {
  const expected = tag.replace(/^W\//, "");
  return ifNoneMatch.match(/"[^"]*"/g)?.some((listed) => listed === expected) ?? false;
}
