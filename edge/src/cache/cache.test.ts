/**
 * The response cache on both runtimes' stores: the LRU (Node) and a real Workers KV namespace
 * (Miniflare's workerd, what `wrangler dev` uses). Freshness follows the app's clock; KV gets an
 * expirationTtl of at least 60 s whatever the cache's own lifetimes.
 */
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKvCache, KV_MIN_TTL_SECONDS, type KvNamespaceLike } from "./kv-cache.ts";
import { createMemoryCache } from "./memory-cache.ts";
import type { ResponseCache } from "./response-cache.ts";
import { createSingleFlight, withSignal } from "./single-flight.ts";

let mf: Miniflare;
let kv: KvNamespaceLike;
beforeAll(async () => {
  mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      script: "export default { fetch() { return new Response('') } }",
      compatibilityDate: "2026-08-01",
      kvNamespaces: ["RESPONSE_CACHE"],
    }),
  );
  kv = (await mf.getKVNamespace("RESPONSE_CACHE")) as unknown as KvNamespaceLike;
}, 30_000);
afterAll(() => mf?.dispose());

let now = Date.parse("2026-11-20T12:00:00Z");
const clock = { now: () => new Date(now) };
const ttl = { freshSeconds: 30, staleSeconds: 60 };

describe.each([
  ["memory LRU", () => createMemoryCache({ clock })],
  ["Workers KV", () => createKvCache({ kv, clock, prefix: `t${Math.random()}:` })],
] as [string, () => ResponseCache][])("%s", (_name, make) => {
  it("answers fresh, then stale within grace, then nothing", async () => {
    const cache = make();
    now = Date.parse("2026-11-20T12:00:00Z");
    await cache.set("velocity:lrn-1", { pace: 3.5 }, ttl);
    const fresh = await cache.get<{ pace: number }>("velocity:lrn-1");
    expect(fresh!.value).toEqual({ pace: 3.5 });
    expect(fresh!.freshUntil).toBe(now + 30_000);
    now += 45_000;
    const stale = await cache.get("velocity:lrn-1");
    expect(stale).toBeDefined();
    expect(stale!.freshUntil).toBeLessThan(now);
    now += 60_000;
    expect(await cache.get("velocity:lrn-1")).toBeUndefined();
  });

  it("deletes, and keeps keys apart", async () => {
    const cache = make();
    await cache.set("a", 1, ttl);
    await cache.set("b", 2, ttl);
    await cache.delete("a");
    expect(await cache.get("a")).toBeUndefined();
    expect((await cache.get("b"))!.value).toBe(2);
  });
});

describe("KV specifics", () => {
  it("never asks KV for an expirationTtl under 60 s", async () => {
    const puts: number[] = [];
    const spy: KvNamespaceLike = {
      get: (k, t) => kv.get(k, t),
      delete: (k) => kv.delete(k),
      put: (k, v, o) => {
        puts.push(o!.expirationTtl!);
        return kv.put(k, v, o);
      },
    };
    const cache = createKvCache({ kv: spy, clock });
    await cache.set("short", 1, { freshSeconds: 5, staleSeconds: 5 });
    await cache.set("long", 1, { freshSeconds: 300, staleSeconds: 600 });
    expect(puts).toEqual([KV_MIN_TTL_SECONDS, 900]);
    // The real KV accepted both; the short one still stops being served after 10 s by the clock.
    now += 11_000;
    expect(await cache.get("short")).toBeUndefined();
    expect(await cache.get("long")).toBeDefined();
  });
});

describe("memory LRU bound", () => {
  it("evicts the least recently used entry beyond maxEntries", async () => {
    const cache = createMemoryCache({ clock, maxEntries: 2 });
    await cache.set("a", 1, ttl);
    await cache.set("b", 2, ttl);
    await cache.get("a");
    await cache.set("c", 3, ttl);
    expect(await cache.get("b")).toBeUndefined();
    expect((await cache.get("a"))!.value).toBe(1);
  });
});

describe("single-flight", () => {
  it("runs concurrent identical work once and forgets it when settled", async () => {
    const flights = createSingleFlight();
    let runs = 0;
    const work = () =>
      new Promise<number>((resolve) => {
        runs++;
        setTimeout(() => resolve(runs), 20);
      });
    const answers = await Promise.all(Array.from({ length: 50 }, () => flights.run("k", work)));
    expect(answers).toEqual(Array(50).fill(1));
    expect(flights.size).toBe(0);
    await flights.run("k", work);
    expect(runs).toBe(2);
  });

  it("shares a failure too, and a caller's own deadline does not cancel the others", async () => {
    const flights = createSingleFlight();
    await expect(
      Promise.all([1, 2].map(() => flights.run("x", () => Promise.reject(new Error("boom"))))),
    ).rejects.toThrow("boom");
    const slow = flights.run("y", () => new Promise((r) => setTimeout(() => r("done"), 60)));
    await expect(withSignal(slow, AbortSignal.timeout(10))).rejects.toThrow();
    await expect(
      withSignal(
        flights.run("y", () => Promise.resolve("other")),
        undefined,
      ),
    ).resolves.toBe("done");
  });
});
