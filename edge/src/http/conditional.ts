/**
 * Conditional GET for analytics answers: a strong ETag over the body, 304 on a matching
 * If-None-Match, and `Cache-Control: private, no-cache` (a browser may keep the answer but must
 * revalidate; shared caches must not keep it, since it depends on who asked).
 */
import type { MiddlewareHandler } from "hono";
import { etag } from "hono/etag";

export function conditionalAnalytics(): MiddlewareHandler {
  const tag = etag();
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
