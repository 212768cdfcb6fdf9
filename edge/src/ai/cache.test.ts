/**
 * Both answer caches behave alike: the LRU on Node, and Workers KV (a real KV namespace served by
 * Miniflare's workerd, the storage `wrangler dev` uses), including the advisor on top of KV.
 */
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGemini, startFakeGemini } from "../../fakes/gemini/server.ts";
import { createAiAdvisor } from "./advisor.ts";
import { type AiKvNamespace, kvAiCache, memoryAiCache } from "./cache.ts";
import { learnerInput, validRecommendationsFor } from "./fixtures.ts";
import type { AiCache, StoredAiResult } from "./ports.ts";
import { memoryAiStore } from "./store.ts";

let mf: Miniflare;
let kv: AiKvNamespace;
let fake: FakeGemini;
beforeAll(async () => {
  mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      script: "export default { fetch() { return new Response('') } }",
      compatibilityDate: "2026-08-01",
      kvNamespaces: ["AI_CACHE"],
    }),
  );
  kv = (await mf.getKVNamespace("AI_CACHE")) as unknown as AiKvNamespace;
  fake = await startFakeGemini();
}, 30_000);
afterAll(async () => {
  await fake?.close();
  await mf?.dispose();
});

const result = (key: string): StoredAiResult => ({
  key,
  learnerId: "lrn-1",
  orgId: "org-acme",
  useCase: "recommendations",
  inputHash: "abc",
  model: "gemini-3.8-flash",
  data: { learnerId: "lrn-1", items: [{ courseId: "c-stats" }] },
  calculatedAt: "2026-11-25T09:00:00.000Z",
  expiresAt: "2026-11-27T09:00:00.000Z",
});

describe.each([
  ["memory LRU", () => memoryAiCache()],
  ["Workers KV", () => kvAiCache(kv)],
] as [string, () => AiCache][])("%s cache", (_, make) => {
  it("returns what was stored under the key and nothing for other keys", async () => {
    const cache = make();
    await cache.set(result("recommendations:lrn-1:abc"), 3600);
    expect(await cache.get("recommendations:lrn-1:abc")).toEqual(result("recommendations:lrn-1:abc"));
    expect(await cache.get("recommendations:lrn-2:abc")).toBeNull();
  });
});

describe("the advisor on Workers KV", () => {
  it("a second instance sharing the KV namespace answers from it without calling Gemini", async () => {
    fake.script(validRecommendationsFor);
    const clock = { now: () => new Date("2026-11-25T09:00:00Z") };
    const options = { apiKey: "local-test-key", baseUrl: fake.baseUrl, clock, timeoutMs: 500 };
    const first = await createAiAdvisor({ ...options, cache: kvAiCache(kv), store: memoryAiStore() }).recommend(
      learnerInput({ learnerId: "lrn-kv" }),
    );
    expect(first.aiSource).toBe("gemini");
    fake.reset();
    const second = await createAiAdvisor({ ...options, cache: kvAiCache(kv), store: memoryAiStore() }).recommend(
      learnerInput({ learnerId: "lrn-kv" }),
    );
    expect(second).toMatchObject({ aiSource: "gemini", cached: true });
    expect(second.data).toEqual(first.data);
    expect(fake.requests).toHaveLength(0);
  });
});
