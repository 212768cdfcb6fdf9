/**
 * One structured Gemini call through the official SDK: JSON out, constrained by a response JSON
 * schema, parsed and checked with the zod schema (plus a caller's grounding check). It never throws:
 * every way a call can go wrong comes back as a reason the advisor maps to the fallback.
 */
import { ApiError, GoogleGenAI, ThinkingLevel } from "@google/genai";
import { BrokenCircuitError, ConsecutiveBreaker, circuitBreaker, handleWhen } from "cockatiel";
import type { z } from "zod";

export type GeminiFailure =
  | "invalid_answer"
  | "gemini_rate_limited"
  | "gemini_error"
  | "gemini_unavailable"
  | "timeout";

export type GeminiAttempt<T> =
  | { ok: true; value: T; tokensIn: number; tokensOut: number; latencyMs: number }
  | { ok: false; failure: GeminiFailure; detail: string; tokensIn: number; tokensOut: number; latencyMs: number };

export interface StructuredRequest<T> {
  instructions: string;
  prompt: string;
  schema: z.ZodType<T>;
  jsonSchema: Record<string, unknown>;
  maxOutputTokens: number;
  /** Grounding beyond the schema (known placeholders, no leaked instructions): a problem, or null. */
  check?: (value: T) => string | null;
  signal?: AbortSignal;
}

export interface GeminiCaller {
  generate<T>(request: StructuredRequest<T>): Promise<GeminiAttempt<T>>;
}

export function createGeminiCaller(options: {
  apiKey: string;
  model: string;
  baseUrl?: string;
  timeoutMs: number;
  /** Consecutive transport failures (5xx, 429, timeouts) before calls stop for `breakerCooldownMs`. */
  breakerThreshold?: number;
  breakerCooldownMs?: number;
}): GeminiCaller {
  const client = new GoogleGenAI({
    apiKey: options.apiKey,
    // No SDK retries: a failed call falls back at once; our own retry is for invalid answers only.
    httpOptions: { timeout: options.timeoutMs, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) },
  });
  const breaker = circuitBreaker(
    handleWhen((error) => !(error instanceof InvalidAnswer)),
    {
      halfOpenAfter: options.breakerCooldownMs ?? 30_000,
      breaker: new ConsecutiveBreaker(options.breakerThreshold ?? 5),
    },
  );

  return {
    async generate<T>(request: StructuredRequest<T>): Promise<GeminiAttempt<T>> {
      let tokensIn = 0;
      let tokensOut = 0;
      const started = performance.now();
      const latency = () => Math.round(performance.now() - started);
      try {
        const text = await breaker.execute(async () => {
          const response = await client.models.generateContent({
            model: options.model,
            contents: [{ role: "user", parts: [{ text: request.prompt }] }],
            config: {
              systemInstruction: request.instructions,
              responseMimeType: "application/json",
              responseJsonSchema: request.jsonSchema,
              maxOutputTokens: request.maxOutputTokens,
              // Short structured answers need little reasoning, and thinking tokens bill as output.
              thinkingConfig: { thinkingLevel: ThinkingLevel.LOW },
              automaticContinuation: false,
              ...(request.signal ? { abortSignal: request.signal } : {}),
            },
          });
          const usage = response.usageMetadata;
          tokensIn = usage?.promptTokenCount ?? 0;
          tokensOut = (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0);
          return response.text ?? "";
        });
        const value = parseAnswer(text, request);
        return { ok: true, value, tokensIn, tokensOut, latencyMs: latency() };
      } catch (error) {
        return { ok: false, ...classify(error), tokensIn, tokensOut, latencyMs: latency() };
      }
    },
  };
}

class InvalidAnswer extends Error {}

function parseAnswer<T>(text: string, request: StructuredRequest<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidAnswer("the answer is not JSON");
  }
  const parsed = request.schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new InvalidAnswer(`the answer breaks the schema at ${first?.path.join(".") || "(root)"}: ${first?.message}`);
  }
  const problem = request.check?.(parsed.data);
  if (problem) throw new InvalidAnswer(problem);
  return parsed.data;
}

function classify(error: unknown): { failure: GeminiFailure; detail: string } {
  if (error instanceof InvalidAnswer) return { failure: "invalid_answer", detail: error.message };
  if (error instanceof BrokenCircuitError) {
    return { failure: "gemini_unavailable", detail: "recent calls failed; Gemini is paused briefly" };
  }
  if (error instanceof ApiError) {
    if (error.status === 429) return { failure: "gemini_rate_limited", detail: "Gemini answered 429" };
    return { failure: "gemini_error", detail: `Gemini answered ${error.status}` };
  }
  if (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError")) {
    return { failure: "timeout", detail: "Gemini did not answer in time" };
  }
  return { failure: "gemini_error", detail: error instanceof Error ? error.message.slice(0, 200) : "unknown error" };
}
