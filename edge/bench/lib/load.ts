/** Load generation with autocannon, reduced to the figures the report needs. */
import autocannon from "autocannon";
import { percentile } from "./stats.ts";

export interface LoadFigures {
  /** Mean completed requests per second over the run. */
  rps: number;
  /** Latency in ms, from every answer's own timing (autocannon's histogram keeps whole ms only). */
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
  const run = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSec,
    pipelining: 1,
    timeout: 10,
    headers: options.headers,
    expectBody: options.expectBody,
  });
  const latencies: number[] = [];
  run.on("response", (_client, _status, _bytes, ms) => {
    latencies.push(ms);
  });
  const result = await run;
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]));
  return {
    rps: result.requests.total / result.duration,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    total: result.requests.total,
    errors: result.errors + result.timeouts + (result.mismatches ?? 0),
    non2xx: result.non2xx,
    statusCodes,
  };
}
