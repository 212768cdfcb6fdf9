/**
 * Conditional GET for analytics answers: a strong ETag over the body, 304 on a matching
 * If-None-Match, and `Cache-Control: private, no-cache` (a browser may keep the answer but must
 * revalidate; shared caches must not keep it, since it depends on who asked).
 */
import type { MiddlewareHandler } from "hono";
import { etag, RETAINED_304_HEADERS } from "hono/etag";

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
  return async function conditionalAnalytics(c, next) {
    await tag(c, async () => {
      await next();
      if (c.res.ok) {
        c.res.headers.set("Cache-Control", "private, no-cache");
        c.res.headers.append("Vary", "Authorization");
      }
    });
  };
}
