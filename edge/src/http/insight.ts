/** Turns an Insight (data with provenance) into the `{data, meta}` envelope of analytics answers. */
import type { Context, TypedResponse } from "hono";
import type { JSONParsed } from "hono/utils/types";
import type { Insight, InsightOptions } from "../deps.ts";
import { conditionalAnswer } from "./conditional.ts";

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

/** An answer serialised once: the JSON body and its strong ETag (SHA-1 of the body, hex). */
interface RenderedInsight {
  dataSource: string;
  calculatedAt: number;
  expiresAt: number;
  body: string;
  etag: string;
}

/**
 * Keyed by the cached data object: the memory cache hands out the same object on every hit, so a
 * warm answer is serialised and hashed once, not per request. A recomputed or invalidated insight
 * is a new object (and the old entry goes with its garbage); provenance is compared as well, since
 * the same data may be answered as cached or stale.
 */
const rendered = new WeakMap<object, RenderedInsight>();

export async function renderInsight<T>(insight: Insight<T>): Promise<RenderedInsight> {
  const calculatedAt = insight.calculatedAt.getTime();
  const expiresAt = insight.expiresAt.getTime();
  const key = typeof insight.data === "object" && insight.data !== null ? (insight.data as object) : undefined;
  const known = key && rendered.get(key);
  if (
    known &&
    known.dataSource === insight.dataSource &&
    known.calculatedAt === calculatedAt &&
    known.expiresAt === expiresAt
  ) {
    return known;
  }
  const body = JSON.stringify(envelopeOf(insight));
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(body));
  const hex = Array.from(new Uint8Array(digest), (x) => x.toString(16).padStart(2, "0")).join("");
  const fresh = { dataSource: insight.dataSource, calculatedAt, expiresAt, body, etag: `"${hex}"` };
  if (key) rendered.set(key, fresh);
  return fresh;
}

/**
 * The answer for an insight: the pre-serialised body with its ETag, built in one pass with the
 * request's answer headers (200, or 304 on a matching If-None-Match), so a warm read does no
 * JSON.stringify, no hashing and no header-by-header work, and @hono/node-server writes it
 * directly. Typed like `c.json(envelopeOf(insight), 200)` for the hc client.
 */
export async function insightResponse<T>(
  c: Context,
  insight: Insight<T>,
): Promise<Response & TypedResponse<JSONParsed<ReturnType<typeof envelopeOf<T>>>, 200, "json">> {
  const { body, etag } = await renderInsight(insight);
  const response = conditionalAnswer(c, body, etag);
  return response as Response & TypedResponse<JSONParsed<ReturnType<typeof envelopeOf<T>>>, 200, "json">;
}

/** Per-request options for insights: the request id travels to every upstream call. */
export function insightOptions(c: Context): InsightOptions {
  return new RequestInsightOptions(c);
}

/**
 * Both the signal and waitUntil are only needed off the warm path (a refresh, a cold answer):
 * resolving them per request cost an exception (no executionCtx on Node) and an AbortController
 * each time, so they are resolved on use. A class, not an object literal with `get signal()`: V8
 * gives every evaluation of a literal with an accessor a new hidden class, kept in old space and
 * pointing at that request's closure, so each scavenge kept the whole request alive (Context,
 * headers, route match): a third of all allocations reached the old generation, with 20 ms
 * pauses, until the next full collection.
 */
class RequestInsightOptions implements InsightOptions {
  readonly requestId: string;
  readonly #c: Context;
  constructor(c: Context) {
    this.#c = c;
    this.requestId = c.get("requestId");
  }
  waitUntil(work: Promise<unknown>): void {
    waitUntilOf(this.#c)(work);
  }
  get signal(): AbortSignal {
    return this.#c.req.raw.signal;
  }
}

/** `ctx.waitUntil` on Workers; on Node there is no execution context and the promise just runs. */
export function waitUntilOf(c: Context): (work: Promise<unknown>) => void {
  try {
    const ctx = c.executionCtx;
    return (work) => ctx.waitUntil(work);
  } catch {
    return (work) => {
      work.catch((err: unknown) =>
        c.get("deps").logger.log("warn", { msg: "background work failed", error: String(err) }),
      );
    };
  }
}
