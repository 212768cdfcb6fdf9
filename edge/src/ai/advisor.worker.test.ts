/**
 * Inside workerd: the advisor and the real @google/genai SDK load and run on Workers. Gemini is
 * unreachable here (a closed loopback port), which must end in the fallback, not an exception.
 */
import { describe, expect, it } from "vitest";
import { createAiAdvisor } from "./advisor.ts";
import { memoryAiCache } from "./cache.ts";
import { learnerInput, risk } from "./fixtures.ts";

const clock = { now: () => new Date("2026-11-25T09:00:00Z") };

describe("AI advisor inside workerd", () => {
  it("without a key answers from the fallback", async () => {
    const advisor = createAiAdvisor({ cache: memoryAiCache(), clock });
    const answer = await advisor.recommend(learnerInput());
    expect(answer).toMatchObject({ aiSource: "fallback", fallbackReason: "no_api_key" });
    expect(answer.data.items).toHaveLength(5);
  });

  it("with a key and an unreachable Gemini, the SDK's failure becomes a fallback answer", async () => {
    const advisor = createAiAdvisor({
      apiKey: "local-test-key",
      baseUrl: "http://127.0.0.1:9",
      cache: memoryAiCache(),
      clock,
      timeoutMs: 1_000,
    });
    const answer = await advisor.explainRisk({ learnerId: "lrn-0042", orgId: "org-acme", risk });
    expect(answer.aiSource).toBe("fallback");
    expect(["gemini_error", "timeout"]).toContain(answer.fallbackReason);
    expect(answer.data.text).toContain("62%");
  });
});
