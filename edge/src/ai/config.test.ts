import { describe, expect, it } from "vitest";
import { parseAiEnv } from "./config.ts";

describe("AI configuration", () => {
  it("has working defaults with nothing set: no key, the default Flash model, the default budget", () => {
    expect(parseAiEnv({})).toEqual({
      apiKey: undefined,
      model: "gemini-3.8-flash",
      baseUrl: undefined,
      dailyTokenBudget: 200_000,
      rateLimitPerMinute: 30,
      timeoutMs: 8_000,
    });
  });

  it("reads every variable", () => {
    expect(
      parseAiEnv({
        GOOGLE_GEMINI_API_KEY: "local-dev-only-key",
        GEMINI_MODEL: "gemini-3.5-flash-lite",
        GEMINI_BASE_URL: "http://127.0.0.1:9999/",
        AI_DAILY_TOKEN_BUDGET: "0",
        AI_RATE_LIMIT_PER_MIN: "5",
        AI_TIMEOUT_MS: "2500",
      }),
    ).toEqual({
      apiKey: "local-dev-only-key",
      model: "gemini-3.5-flash-lite",
      baseUrl: "http://127.0.0.1:9999",
      dailyTokenBudget: 0,
      rateLimitPerMinute: 5,
      timeoutMs: 2_500,
    });
  });

  it.each([
    ["GEMINI_BASE_URL", "ftp://example.test"],
    ["GEMINI_MODEL", "Gemini Flash!"],
    ["AI_DAILY_TOKEN_BUDGET", "-1"],
    ["AI_TIMEOUT_MS", "10"],
  ])("rejects a malformed %s", (variable, value) => {
    expect(() => parseAiEnv({ [variable]: value })).toThrow();
  });
});
