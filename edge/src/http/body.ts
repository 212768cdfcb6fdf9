/**
 * Request bodies: at most 64 KB (413) and JSON only (415), checked before any handler reads them.
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ProblemError } from "./problem.ts";

export const MAX_BODY_BYTES = 64 * 1024;
const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i;

export function jsonBodies(opts: { maxBytes?: number } = {}): MiddlewareHandler {
  const maxBytes = opts.maxBytes ?? MAX_BODY_BYTES;
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ProblemError("payload_too_large", { detail: `bodies are limited to ${maxBytes / 1024} KB` });
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
