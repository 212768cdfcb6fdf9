/**
 * The one error path of the API: every failure becomes `application/problem+json` (RFC 9457) with
 * `instance` = the request id. Handlers and middleware throw ProblemError; app.onError, the
 * validation hook, notFound and the 405 check all end in problemResponse.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Error codes and their HTTP status and title: the table every error goes through. */
export const problemTypes = {
  invalid_request: { status: 400, title: "The request is not valid" },
  invalid_json: { status: 400, title: "The body is not valid JSON" },
  unauthorized: { status: 401, title: "Authentication required" },
  invalid_token: { status: 401, title: "The token is not acceptable" },
  invalid_credentials: { status: 401, title: "Email or password is wrong" },
  forbidden: { status: 403, title: "Not allowed" },
  not_found: { status: 404, title: "Not found" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  payload_too_large: { status: 413, title: "The body is too large" },
  unsupported_media_type: { status: 415, title: "Unsupported content type" },
  rate_limited: { status: 429, title: "Too many requests" },
  internal: { status: 500, title: "Internal error" },
  upstream_unavailable: { status: 503, title: "A service this answer needs is unavailable" },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string }>;
export type ProblemCode = keyof typeof problemTypes;

export interface FieldError {
  /** Where the bad value is: `path.learnerId`, `query.limit`, `body.email`. */
  path: string;
  message: string;
}

export interface ProblemInit {
  detail?: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
}

export class ProblemError extends Error {
  readonly code: ProblemCode;
  readonly init: ProblemInit;
  constructor(code: ProblemCode, init: ProblemInit = {}) {
    super(init.detail ?? problemTypes[code].title);
    this.name = "ProblemError";
    this.code = code;
    this.init = init;
  }
}

export const problemTypeUri = (code: ProblemCode) => `https://ms8.dev/problems/${code.replaceAll("_", "-")}`;

export function problemResponse(c: Context, code: ProblemCode, init: ProblemInit = {}): Response {
  const { status, title } = problemTypes[code];
  const body = {
    type: problemTypeUri(code),
    title,
    status,
    ...(init.detail ? { detail: init.detail } : {}),
    instance: c.get("requestId") as string | undefined,
    ...(init.errors ? { errors: init.errors } : {}),
  };
  const res = c.json(body, status, { ...init.headers, "Content-Type": "application/problem+json" });
  return res;
}
