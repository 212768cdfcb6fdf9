/** Turns an Insight (data with provenance) into the `{data, meta}` envelope of analytics answers. */
import type { Context } from "hono";
import type { Insight, InsightOptions } from "../deps.ts";

export function envelopeOf<T>(insight: Insight<T>) {
  return {
    data: insight.data,
    meta: {
      dataSource: insight.dataSource,
      calculatedAt: insight.calculatedAt.toISOString(),
      expiresAt: insight.expiresAt.toISOString(),
    },
  };
}

/** Per-request options for insights: the request id travels to every upstream call. */
export function insightOptions(c: Context): InsightOptions {
  return { requestId: c.var.requestId, waitUntil: waitUntilOf(c), signal: c.req.raw.signal };
}

/** `ctx.waitUntil` on Workers; on Node there is no execution context and the promise just runs. */
export function waitUntilOf(c: Context): (work: Promise<unknown>) => void {
  try {
    const ctx = c.executionCtx;
    return (work) => ctx.waitUntil(work);
  } catch {
    return (work) => {
      work.catch((err: unknown) =>
        c.var.deps.logger.log("warn", { msg: "background work failed", error: String(err) }),
      );
    };
  }
}
