/** Load generation with autocannon, reduced to the figures the report needs. */
import autocannon from "autocannon";

export interface LoadFigures {
  /** Mean completed requests per second over the run. */
  rps: number;
  /** Latency in ms (autocannon records whole milliseconds). */
  p50: number;
  p99: number;
  total: number;
  errors: number;
  non2xx: number;
  statusCodes: Record<string, number>;
}

export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  durationSec: number;
  /** When set, the body every answer must equal; a different body counts as a mismatch error. */
  expectBody?: string;
}

export async function load(options: LoadOptions): Promise<LoadFigures> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSec,
    pipelining: 1,
    timeout: 10,
    headers: options.headers,
    expectBody: options.expectBody,
  });
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]));
  return {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    errors: result.errors + result.timeouts + (result.mismatches ?? 0),
    non2xx: result.non2xx,
    statusCodes,
  };
}
