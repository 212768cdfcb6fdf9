/**
 * How MS8 calls one platform service: the service token, a per-attempt timeout inside the call's
 * deadline, retries with exponential backoff and jitter (GET only, network errors and 5xx only),
 * a circuit breaker with half-open probes, a bulkhead, and zod validation of every answer. All
 * policies come from cockatiel; this file only decides what counts as what.
 *
 * Identical concurrent GETs share one call (single-flight); each caller still waits no longer
 * than its own deadline.
 */
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  bulkhead,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleWhen,
  type IPolicy,
  retry,
  TaskCancelledError,
  TimeoutStrategy,
  timeout,
  wrap,
} from "cockatiel";
import type { z } from "zod";
import { createSingleFlight, withSignal } from "../cache/single-flight.ts";
import type { Logger } from "../deps.ts";
import { UpstreamError } from "./errors.ts";
import type { ServiceTokenSource } from "./service-token.ts";

export interface ResilienceOptions {
  /** Per attempt (default 1000 ms). */
  attemptTimeoutMs?: number;
  /** Whole call including retries and backoff (default 2500 ms). */
  callDeadlineMs?: number;
  /** Retries after the first attempt, GET only (default 2). */
  maxRetries?: number;
  /** First backoff delay; grows exponentially with decorrelated jitter (default 50 ms). */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Consecutive failures that open the breaker (default 5). */
  breakerThreshold?: number;
  /** How long the breaker stays open before a half-open probe (default 10 s). */
  halfOpenAfterMs?: number;
  /** Concurrent calls per service (default 32) and how many may queue (default 256). */
  bulkheadLimit?: number;
  bulkheadQueue?: number;
}

/** Where validation failures are logged (the app's Logger: one JSON object per line). */
export type LogSink = Pick<Logger, "log">;

export interface CallOptions {
  requestId?: string;
  signal?: AbortSignal;
}

export type BreakerState = "closed" | "open" | "half_open" | "isolated";

export interface ServiceHealth {
  state: "healthy" | "degraded" | "down";
  breaker: BreakerState;
  lastError?: string;
}

export interface ServiceCaller {
  readonly service: string;
  /** GET a path (with query) and validate the answer. `nullOn404`: a 404 answers null. */
  get<S extends z.ZodType>(path: string, schema: S, options?: CallOptions & { nullOn404?: false }): Promise<z.infer<S>>;
  get<S extends z.ZodType>(
    path: string,
    schema: S,
    options: CallOptions & { nullOn404: true },
  ): Promise<z.infer<S> | null>;
  /**
   * POST JSON, never retried. `acceptStatuses`: answered as `{status, body: null, challenge}` instead
   * of thrown; `challenge` is the answer's WWW-Authenticate (a rejected service token, not the payload).
   */
  post<S extends z.ZodType>(
    path: string,
    body: unknown,
    schema: S,
    options?: CallOptions & { acceptStatuses?: number[] },
  ): Promise<{ status: number; body: z.infer<S> | null; challenge?: string }>;
  health(): ServiceHealth;
}

const breakerStates: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: "closed",
  [CircuitState.Open]: "open",
  [CircuitState.HalfOpen]: "half_open",
  [CircuitState.Isolated]: "isolated",
};

export function createServiceCaller(config: {
  service: string;
  baseUrl: string;
  tokens: ServiceTokenSource;
  fetch?: typeof fetch;
  logger?: LogSink;
  resilience?: ResilienceOptions;
}): ServiceCaller {
  const { service, tokens } = config;
  const baseUrl = config.baseUrl.replace(/\/+$/, "");
  const doFetch = config.fetch ?? ((input, init) => fetch(input, init));
  const logger = config.logger;
  const r = config.resilience ?? {};
  const callDeadlineMs = r.callDeadlineMs ?? 2500;

  const breaker = circuitBreaker(
    handleWhen((e) => e instanceof TaskCancelledError || (e instanceof UpstreamError && e.countsAgainstService)),
    {
      halfOpenAfter: r.halfOpenAfterMs ?? 10_000,
      breaker: new ConsecutiveBreaker(r.breakerThreshold ?? 5),
    },
  );
  const attemptTimeout = timeout(r.attemptTimeoutMs ?? 1000, TimeoutStrategy.Aggressive);
  const retries = retry(
    handleWhen((e) => e instanceof UpstreamError && e.retryable),
    {
      maxAttempts: r.maxRetries ?? 2,
      backoff: new ExponentialBackoff({ initialDelay: r.backoffInitialMs ?? 50, maxDelay: r.backoffMaxMs ?? 400 }),
    },
  );
  const limit = bulkhead(r.bulkheadLimit ?? 32, r.bulkheadQueue ?? 256);
  // Outermost first: a retrying call keeps its bulkhead slot; every attempt passes the breaker.
  const readPolicy: IPolicy = wrap(limit, retries, breaker, attemptTimeout);
  const writePolicy: IPolicy = wrap(limit, breaker, attemptTimeout);

  let lastError: string | undefined;
  let lastFailed = false;
  const flights = createSingleFlight();

  function translate(error: unknown, deadline: AbortSignal): UpstreamError {
    if (error instanceof UpstreamError) return error;
    if (error instanceof BrokenCircuitError)
      return new UpstreamError(service, "circuit_open", "circuit breaker is open");
    if (error instanceof BulkheadRejectedError) return new UpstreamError(service, "bulkhead_full", "too many calls");
    if (error instanceof TaskCancelledError || deadline.aborted) {
      return new UpstreamError(service, "timeout", "no answer in time", { cause: error });
    }
    return new UpstreamError(service, "network", (error as Error)?.message ?? String(error), { cause: error });
  }

  async function attempt<S extends z.ZodType>(
    method: "GET" | "POST",
    path: string,
    body: unknown,
    schema: S,
    signal: AbortSignal,
    expect: { nullStatuses: number[]; requestId?: string },
  ): Promise<{ status: number; body: z.infer<S> | null; challenge?: string }> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${await tokens.token()}`,
      accept: "application/json",
    };
    if (expect.requestId) headers["x-request-id"] = expect.requestId;
    if (body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw new UpstreamError(service, "timeout", "no answer in time", { cause: error });
      throw new UpstreamError(service, "network", `${method} ${path} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (expect.nullStatuses.includes(response.status)) {
      await response.body?.cancel();
      const challenge = response.headers.get("www-authenticate");
      return { status: response.status, body: null, ...(challenge ? { challenge } : {}) };
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new UpstreamError(service, "http", `${method} ${path} answered ${response.status}`, {
        status: response.status,
      });
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      if (signal.aborted) throw new UpstreamError(service, "timeout", "answer cut off by the deadline");
      logger?.log("warn", { msg: "upstream answer is not JSON", service, path });
      throw new UpstreamError(service, "malformed", `${method} ${path} answered with a body that is not JSON`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 5).map((i) => ({ path: i.path.join("."), message: i.message }));
      logger?.log("warn", { msg: "upstream answer does not match its schema", service, path, issues });
      throw new UpstreamError(
        service,
        "malformed",
        `${method} ${path} answered an unexpected shape at ${issues.map((i) => i.path || "(root)").join(", ")}`,
      );
    }
    return { status: response.status, body: parsed.data };
  }

  async function run<T>(policy: IPolicy, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const deadline = AbortSignal.timeout(callDeadlineMs);
    try {
      const result = await policy.execute(({ signal }) => work(signal), deadline);
      lastFailed = false;
      return result;
    } catch (error) {
      const failure = translate(error, deadline);
      // Shown on /health even when it does not count against the breaker: a 401 here means our
      // SERVICE_SECRET and the service's disagree, which an operator must see.
      lastFailed = true;
      lastError = failure.message;
      throw failure;
    }
  }

  return {
    service,
    get(path: string, schema: z.ZodType, options: CallOptions & { nullOn404?: boolean } = {}) {
      const shared = flights.run(`GET ${path}`, () =>
        run(readPolicy, (signal) =>
          attempt("GET", path, undefined, schema, signal, {
            nullStatuses: options.nullOn404 ? [404] : [],
            requestId: options.requestId,
          }),
        ),
      );
      return withSignal(shared, options.signal).then(
        (answer) => answer.body,
        (error: unknown) => {
          if (options.signal?.aborted && !(error instanceof UpstreamError)) {
            throw new UpstreamError(service, "timeout", "the request's deadline passed", { cause: error });
          }
          throw error;
        },
      );
    },
    post(path, body, schema, options = {}) {
      return withSignal(
        run(writePolicy, (signal) =>
          attempt("POST", path, body, schema, signal, {
            nullStatuses: options.acceptStatuses ?? [],
            requestId: options.requestId,
          }),
        ),
        options.signal,
      );
    },
    health() {
      const state = breakerStates[breaker.state];
      return {
        state:
          state === "open" || state === "isolated"
            ? "down"
            : state === "half_open" || lastFailed
              ? "degraded"
              : "healthy",
        breaker: state,
        ...(lastError ? { lastError } : {}),
      };
    },
  } as ServiceCaller;
}
