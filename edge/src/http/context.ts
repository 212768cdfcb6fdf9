/**
 * The typed request context and the router factory every route file uses, so validation failures
 * of every router take the one problem+json path.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Env } from "hono";
import type { AppDeps } from "../deps.ts";
import { type FieldError, ProblemError } from "./problem.ts";
import type { TokenSigner, TokenVerifier } from "./tokens.ts";

declare module "hono" {
  interface ContextVariableMap {
    deps: AppDeps;
    tokens: TokenVerifier;
    signer: TokenSigner;
    requestId: string;
  }
}

export type AppEnv = Env;

const targetNames: Record<string, string> = { param: "path", query: "query", json: "body", header: "header" };

type Hook = NonNullable<NonNullable<ConstructorParameters<typeof OpenAPIHono<AppEnv>>[0]>["defaultHook"]>;

/** Turns a failed zod validation into a 400 problem with one entry per bad field. */
export const validationProblem: Hook = (result) => {
  if (result.success) return;
  const where = targetNames[result.target] ?? result.target;
  const errors: FieldError[] = result.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join("."),
    message: issue.message,
  }));
  throw new ProblemError("invalid_request", {
    detail: errors.map((e) => `${e.path}: ${e.message}`).join("; "),
    errors,
  });
};

/** A router whose validation failures become problem+json; mount it with `app.route()`. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationProblem });
}
