/**
 * One structured JSON line per request: method, route pattern (never the raw URL, which may carry
 * ids or a misplaced token), status, duration, request id and user id. Nothing else is logged, so a
 * token, a password or an email cannot leak through it.
 */
import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";

export function requestLog(): MiddlewareHandler {
  return async function requestLog(c, next) {
    const started = performance.now();
    let failed = false;
    try {
      await next();
    } catch (err) {
      failed = true;
      throw err;
    } finally {
      const status = failed ? 500 : c.res.status;
      const principal = c.get("principal");
      const service = c.get("servicePrincipal");
      const line: Record<string, unknown> = {
        msg: "request",
        method: c.req.method,
        route: matchedRoute(c),
        status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        requestId: c.get("requestId"),
      };
      // Assigned rather than spread: no throwaway objects per request.
      if (principal) line.userId = principal.userId;
      if (service) line.service = service.service;
      c.get("deps").logger.log(status >= 500 ? "error" : "info", line);
    }
  };
}

function matchedRoute(c: Parameters<MiddlewareHandler>[0]): string {
  // Middleware is registered for method ALL; the handler's pattern is the last method-specific one.
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    if (routes[i]!.method !== "ALL") return routes[i]!.path;
  }
  return "(unmatched)";
}
