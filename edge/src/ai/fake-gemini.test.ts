/** The fake Gemini server answers the SDK on both API versions it may use, and refuses a missing key. */
import { GoogleGenAI } from "@google/genai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoReply, type FakeGemini, startFakeGemini } from "../../fakes/gemini/server.ts";
import { createAiAdvisor } from "./advisor.ts";
import { memoryAiCache } from "./cache.ts";
import { forecast, learnerInput, risk } from "./fixtures.ts";

let fake: FakeGemini;
beforeAll(async () => {
  fake = await startFakeGemini();
});
afterAll(() => fake.close());

describe("fake Gemini server", () => {
  it.each(["v1", "v1beta"])("serves generateContent on /%s with usage metadata", async (apiVersion) => {
    fake.reset();
    fake.script({ kind: "json", value: { ok: true }, tokensIn: 11, tokensOut: 7 });
    const ai = new GoogleGenAI({ apiKey: "local-test-key", httpOptions: { baseUrl: fake.baseUrl, apiVersion } });
    const response = await ai.models.generateContent({ model: "gemini-3.8-flash", contents: "hello" });
    expect(JSON.parse(response.text ?? "")).toEqual({ ok: true });
    expect(response.usageMetadata).toMatchObject({ promptTokenCount: 11, candidatesTokenCount: 7 });
    expect(fake.requests[0]).toMatchObject({ apiVersion, model: "gemini-3.8-flash", userText: "hello" });
  });

  it("answers 403 without an API key, as Google does", async () => {
    const res = await fetch(`${fake.baseUrl}/v1/models/gemini-3.8-flash:generateContent`, {
      method: "POST",
      body: "{}",
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { status: string } }).error.status).toBe("PERMISSION_DENIED");
  });
});

describe("the fake's demo mode", () => {
  it("gives MS8 well-formed answers for all three use cases", async () => {
    fake.reset();
    fake.setDefault(demoReply);
    try {
      const advisor = createAiAdvisor({
        apiKey: "local-test-key",
        baseUrl: fake.baseUrl,
        cache: memoryAiCache(),
        clock: { now: () => new Date("2026-11-25T09:00:00Z") },
      });
      const answers = await Promise.all([
        advisor.recommend(learnerInput()),
        advisor.explainRisk({ learnerId: "lrn-0042", orgId: "org-acme", risk }),
        advisor.commentOnForecast({ learnerId: "lrn-0042", orgId: "org-acme", forecast }),
      ]);
      for (const answer of answers) expect(answer.aiSource).toBe("gemini");
      expect((answers[1].data as { text: string }).text).toContain("risk percent is 62%");
    } finally {
      fake.setDefault({ kind: "status", status: 503, message: "fake gemini: no reply scripted" });
    }
  });
});
