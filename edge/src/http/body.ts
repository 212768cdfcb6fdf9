/**
 * Request bodies: at most 64 KB (413; event batches 512 KB) and JSON only (415), checked before any
 * handler reads them.
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ProblemError } from "./problem.ts";

export const MAX_BODY_BYTES = 64 * 1024;
/** POST /api/v1/events only: a batch of 500 events with ids, timestamps and data fits in 512 KB. */
export const EVENT_BATCH_MAX_BYTES = 512 * 1024;
const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;

export function jsonBodies(opts: { maxBytes?: number } = {}): MiddlewareHandler {
  const maxBytes = opts.maxBytes ?? MAX_BODY_BYTES;
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      // The rest of the body is never read: close the connection so it is not reused mid-stream.
      throw new ProblemError("payload_too_large", {
        detail: `bodies here are limited to ${maxBytes / 1024} KB`,
        headers: { Connection: "close" },
      });
    },
  });
  return async function jsonBodies(c, next) {
    if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS") return next();
    const type = c.req.header("Content-Type");
    const hasBody = Number(c.req.header("Content-Length") ?? 0) > 0 || c.req.header("Transfer-Encoding") !== undefined;
    if ((type && !JSON_TYPE.test(type)) || (!type && hasBody)) {
      throw new ProblemError("unsupported_media_type", { detail: "send the body as application/json" });
    }
    return limit(c, next);
  };
}
