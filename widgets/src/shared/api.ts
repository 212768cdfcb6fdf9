/**
 * Loading a learner resource from the BFF: one shared request per resource on a page, conditional
 * requests with the last ETag, and a token asked for per request (again once after a 401).
 */
import type { Meta, Problem } from "@ms8/edge/contract";
import { currentConfig } from "./config.ts";

export interface Envelope<T> {
  data: T;
  meta: Meta;
}

/** A failed load: `status` is the HTTP status, or 0 when the BFF could not be reached. */
export class ProblemError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;
  constructor(status: number, problem?: Problem, message?: string) {
    super(message ?? problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.name = "ProblemError";
    this.status = status;
    this.problem = problem;
  }
}

export interface ResourceRequest {
  apiBase: string;
  /** Path below the API base, starting with "/api/v1/". */
  path: string;
  /** A token set on the element itself; otherwise `MS8.configure({getToken})` is asked. */
  token?: string | undefined;
  signal: AbortSignal;
}

interface SharedLoad {
  promise: Promise<Envelope<unknown>>;
  controller: AbortController;
  subscribers: number;
}

// Per page (per bundle copy): in-flight loads and the last validated answer of each resource.
const inFlight = new Map<string, SharedLoad>();
const validated = new Map<string, { etag: string; body: Envelope<unknown> }>();
const VALIDATED_LIMIT = 64;

// The element's own token separates resources in memory only; it never leaves this process.
const resourceKey = (url: string, token: string | undefined) => `${url}\n${token ?? "configured"}`;

export function resourceUrl(apiBase: string, path: string): string {
  return `${apiBase.replace(/\/+$/, "")}${path}`;
}

export function loadResource<T>(request: ResourceRequest): Promise<Envelope<T>> {
  const { signal } = request;
  if (signal.aborted) return Promise.reject(signal.reason);
  const url = resourceUrl(request.apiBase, request.path);
  const key = resourceKey(url, request.token);
  let shared = inFlight.get(key);
  if (!shared) {
    const controller = new AbortController();
    const promise = fetchEnvelope(url, key, request.token, controller.signal).finally(() => {
      if (inFlight.get(key) === entry) inFlight.delete(key);
    });
    const entry: SharedLoad = { promise, controller, subscribers: 0 };
    inFlight.set(key, entry);
    shared = entry;
  }
  const load = shared;
  load.subscribers += 1;
  return new Promise<Envelope<T>>((resolve, reject) => {
    let waiting = true;
    const leave = () => {
      signal.removeEventListener("abort", onAbort);
      waiting = false;
      load.subscribers -= 1;
    };
    const onAbort = () => {
      if (!waiting) return;
      leave();
      // The network request ends only when nobody on the page still waits for it.
      if (load.subscribers === 0) {
        inFlight.delete(key);
        load.controller.abort(signal.reason);
      }
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    load.promise.then(
      (body) => {
        if (!waiting) return;
        leave();
        resolve(body as Envelope<T>);
      },
      (error: unknown) => {
        if (!waiting) return;
        leave();
        reject(error);
      },
    );
  });
}

/** The host could not hand out a token (signed out, its own backend down): as good as a 401. */
class TokenUnavailable extends ProblemError {
  constructor() {
    super(401, undefined, "getToken() failed");
  }
}

/**
 * The host has no token for this viewer (`getToken()` gave null, or no token source at all): not
 * a refusal by the BFF, so nothing is sent and the widget asks for a sign-in that may see this.
 */
export class NoToken extends ProblemError {
  constructor() {
    super(401, undefined, "No token: getToken() returned null or none is configured");
    this.name = "NoToken";
  }
}

async function bearer(token: string | undefined): Promise<string> {
  if (token) return token;
  const { getToken } = currentConfig();
  if (!getToken) throw new NoToken();
  let handedOut: string | null | undefined;
  try {
    handedOut = await getToken();
  } catch {
    // The host's error may carry its own secrets; it is not passed on or logged.
    throw new TokenUnavailable();
  }
  if (!handedOut) throw new NoToken();
  return handedOut;
}

async function fetchEnvelope(
  url: string,
  key: string,
  elementToken: string | undefined,
  signal: AbortSignal,
): Promise<Envelope<unknown>> {
  const doFetch = currentConfig().fetch ?? globalThis.fetch.bind(globalThis);
  const send = async () => {
    const headers = new Headers({ accept: "application/json, application/problem+json" });
    headers.set("authorization", `Bearer ${await bearer(elementToken)}`);
    const known = validated.get(key);
    if (known) headers.set("if-none-match", known.etag);
    // credentials: "omit" because the token travels in a header; cookies would only widen CORS.
    return doFetch(url, { headers, signal, credentials: "omit", mode: "cors" });
  };

  let response: Response;
  try {
    response = await send();
    // A short-lived embed token may have expired: ask once more, then give up.
    if (response.status === 401 && !elementToken && currentConfig().getToken) response = await send();
  } catch (error) {
    if (signal.aborted || error instanceof TokenUnavailable || error instanceof NoToken) throw error;
    throw new ProblemError(0, undefined, error instanceof Error ? error.message : String(error));
  }

  if (response.status === 304) {
    const known = validated.get(key);
    if (known) return known.body;
    throw new ProblemError(304, undefined, "The server answered 304 for a resource this page never loaded");
  }
  if (!response.ok) throw new ProblemError(response.status, await readProblem(response));

  const body = (await response.json()) as Envelope<unknown>;
  const etag = response.headers.get("etag");
  if (etag) {
    validated.delete(key);
    validated.set(key, { etag, body });
    if (validated.size > VALIDATED_LIMIT) validated.delete(validated.keys().next().value as string);
  }
  return body;
}

async function readProblem(response: Response): Promise<Problem | undefined> {
  try {
    const body = (await response.json()) as Partial<Problem>;
    if (body && typeof body.status === "number" && typeof body.title === "string") return body as Problem;
  } catch {
    // Not JSON (a proxy's HTML error page): the status alone has to do.
  }
  return undefined;
}
