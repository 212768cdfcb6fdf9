/**
 * One error type for everything that can go wrong calling a platform service, so the fallback
 * chain and /health can tell "the service is failing" from "the service said no".
 */
export type UpstreamFailure =
  /** Connection refused or reset, DNS, TLS: nothing usable came back. */
  | "network"
  /** No answer within the per-attempt timeout or the call's deadline. */
  | "timeout"
  /** An HTTP status the client does not accept (5xx, or a 4xx it did not expect). */
  | "http"
  /** A 200 whose body is not JSON or does not match the documented shape. */
  | "malformed"
  /** The breaker is open: the service failed repeatedly and is not being called. */
  | "circuit_open"
  /** Too many calls to this service are in flight already. */
  | "bulkhead_full";

export class UpstreamError extends Error {
  override readonly name = "UpstreamError";
  readonly service: string;
  readonly failure: UpstreamFailure;
  readonly status: number | undefined;

  constructor(
    service: string,
    failure: UpstreamFailure,
    message: string,
    options?: { status?: number; cause?: unknown },
  ) {
    super(`${service}: ${message}`, { cause: options?.cause });
    this.service = service;
    this.failure = failure;
    this.status = options?.status;
  }

  /** Worth another try: the network or the server failed, not our request. */
  get retryable(): boolean {
    return this.failure === "network" || (this.failure === "http" && (this.status ?? 0) >= 500);
  }

  /** Counts towards opening the breaker: the service itself is unwell (a 4xx is our problem). */
  get countsAgainstService(): boolean {
    return this.failure === "network" || this.failure === "timeout" || this.failure === "malformed" || this.retryable;
  }
}

/** The service refused MS8's own service token (RFC 6750 invalid_token): SERVICE_SECRET differs. */
export class ServiceTokenRejectedError extends UpstreamError {
  readonly misconfigured = "SERVICE_SECRET";
  constructor(service: string) {
    super(service, "http", "rejected MS8's service token; SERVICE_SECRET does not match the service's", {
      status: 401,
    });
  }
}

/** "network: course: GET … failed" for an upstream failure (its kind and call, never a body), else undefined. */
export function upstreamFailureText(error: unknown): string | undefined {
  return error instanceof UpstreamError ? `${error.failure}: ${error.message}` : undefined;
}
