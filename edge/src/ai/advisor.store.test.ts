/**
 * The advisor over the real tables (ai_results, ai_usage) through the store's AiStore adapter on a
 * migrated PGlite, with the real SDK against the fake Gemini server: the daily budget is read from
 * ai_usage, and a second instance with a cold cache answers from ai_results without a call.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeGemini, startFakeGemini } from "../../fakes/gemini/server.ts";
import { aiStoreFrom } from "../store/ai-store.ts";
import { createSqlStore } from "../store/sql.ts";
import { freshPglite } from "../store/testing.ts";
import type { AnalyticsStore } from "../store/types.ts";
import { createAiAdvisor } from "./advisor.ts";
import { memoryAiCache } from "./cache.ts";
import { learnerInput, validRecommendationsFor } from "./fixtures.ts";

let fake: FakeGemini;
let store: AnalyticsStore;
beforeAll(async () => {
  fake = await startFakeGemini();
  store = createSqlStore(await freshPglite());
  await store.upsertDirectoryUsers(
    ["lrn-a", "lrn-b", "lrn-c"].map((userId) => ({
      userId,
      orgId: "org-acme",
      displayName: userId,
      roles: ["learner" as const],
      timeZone: "UTC",
    })),
  );
}, 60_000);
afterAll(async () => {
  await fake?.close();
});
beforeEach(() => fake.reset());

describe("the advisor on the AI tables", () => {
  it("spends the daily budget recorded in ai_usage and serves ai_results to a cold instance", async () => {
    let now = new Date("2026-11-25T09:00:00Z");
    const clock = { now: () => now };
    const options = {
      apiKey: "local-test-key",
      baseUrl: fake.baseUrl,
      store: aiStoreFrom(store),
      clock,
      timeoutMs: 500,
      dailyTokenBudget: 5_000,
    };
    fake.setDefault((request) => ({ ...validRecommendationsFor(request), tokensIn: 900, tokensOut: 600 }));
    try {
      const advisor = createAiAdvisor({ ...options, cache: memoryAiCache() });
      const sources = [];
      for (const learnerId of ["lrn-a", "lrn-b", "lrn-c"]) {
        const answer = await advisor.recommend(learnerInput({ learnerId }));
        sources.push(answer.fallbackReason ?? answer.aiSource);
      }
      expect(sources).toEqual(["gemini", "gemini", "budget_exhausted"]);
      expect(fake.requests).toHaveLength(2);

      const report = await advisor.usage("org-acme");
      expect(report.tokensUsedToday).toBe(3_000);
      expect(report.days).toEqual([
        { day: "2026-11-25", calls: 2, failedCalls: 0, tokensIn: 1_800, tokensOut: 1_200, estimatedCostUsd: 0.0117 },
      ]);

      fake.reset();
      const coldInstance = createAiAdvisor({ ...options, cache: memoryAiCache() });
      const fromTable = await coldInstance.recommend(learnerInput({ learnerId: "lrn-a" }));
      expect(fromTable).toMatchObject({ aiSource: "gemini", cached: true });
      expect(fromTable.data.items).toHaveLength(5);
      expect(fake.requests).toHaveLength(0);

      now = new Date("2026-11-26T00:00:01Z");
      expect((await coldInstance.recommend(learnerInput({ learnerId: "lrn-c" }))).aiSource).toBe("gemini");
    } finally {
      fake.setDefault({ kind: "status", status: 503, message: "fake gemini: no reply scripted" });
    }
  });
});
