/** The fake Gemini server answers the SDK on both API versions it may use, and refuses a missing key. */
import { GoogleGenAI } from "@google/genai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGemini, startFakeGemini } from "../../fakes/gemini/server.ts";

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
