/**
 * `createAiAdvisor`: Gemini when a key is set and the organization has budget, the local advisor
 * otherwise, and the local advisor again whenever Gemini misbehaves. Every answer says which one
 * wrote it. Order of a call: 48 h cache (memory/KV, then the AI results table) -> key -> rate
 * limit -> daily token budget -> Gemini (an invalid answer is retried once) -> fallback.
 */
import type { AiFallbackReason, AiUsageReport, Recommendation, Recommendations } from "../contract.ts";
import type { Clock } from "../deps.ts";
import { commentOnForecastLocally, explainRiskLocally, recommendLocally } from "./fallback.ts";
import { createGeminiCaller, type GeminiCaller, type StructuredRequest } from "./gemini.ts";
import type {
  AiAdvisor,
  AiAnswer,
  AiCache,
  AiCallOptions,
  AiResultRef,
  AiStore,
  AiText,
  AiUsageRecord,
  AiUseCase,
  StoredAiResult,
} from "./ports.ts";
import { DEFAULT_GEMINI_MODEL, estimateCostUsd, priceOf, type TokenPrice } from "./pricing.ts";
import {
  FORECAST_INSTRUCTIONS,
  fillPlaceholders,
  forecastPlaceholders,
  forecastPrompt,
  inLanguage,
  leaksInstructions,
  RECOMMENDATION_INSTRUCTIONS,
  RISK_INSTRUCTIONS,
  recommendationPrompt,
  riskPlaceholders,
  riskPrompt,
} from "./prompts.ts";
import {
  GeminiNumberFreeText,
  GeminiRecommendations,
  numberFreeTextJsonSchema,
  recommendationsJsonSchema,
} from "./schemas.ts";
import { memoryAiStore } from "./store.ts";

export const AI_DEFAULTS = {
  model: DEFAULT_GEMINI_MODEL,
  /** Tokens in + out per organization per UTC day. */
  dailyTokenBudget: 200_000,
  /** Gemini calls per organization per minute (per instance). */
  rateLimitPerMinute: 30,
  timeoutMs: 8_000,
  cacheTtlSeconds: 48 * 3600,
  /** How long a fallback answer counts as fresh: Gemini may be back soon. */
  fallbackTtlSeconds: 15 * 60,
  recommendationCount: 5,
  /** Catalogue courses offered to Gemini per recommendation call, best local candidates first. */
  candidateCourses: 40,
} as const;

interface CallSite {
  key: string;
  inputHash: string;
  now: Date;
  requestId: string | undefined;
}

/** Bumped when prompts or schemas change, so cached answers of the old prompt are not reused. */
const PROMPT_VERSION = "ai-v2";

export interface AiAdvisorOptions {
  /** GOOGLE_GEMINI_API_KEY; without it every answer is the fallback (reason `no_api_key`). */
  apiKey?: string | undefined;
  model?: string | undefined;
  /** GEMINI_BASE_URL: another server speaking the Gemini REST API (tests, staging proxies). */
  baseUrl?: string | undefined;
  cache: AiCache;
  store?: AiStore | undefined;
  clock: Clock;
  dailyTokenBudget?: number | undefined;
  rateLimitPerMinute?: number | undefined;
  timeoutMs?: number | undefined;
  cacheTtlSeconds?: number | undefined;
  /** Overrides the list price used for cost estimates (USD per million tokens). */
  price?: TokenPrice | undefined;
  /** Consecutive failed calls before Gemini is skipped for `breakerCooldownMs` (default 5 / 30 s). */
  breakerThreshold?: number | undefined;
  breakerCooldownMs?: number | undefined;
  /** One structured line per Gemini call or fallback; never prompt or answer text. */
  log?: ((entry: Record<string, unknown>) => void) | undefined;
}

export function createAiAdvisor(options: AiAdvisorOptions): AiAdvisor {
  const model = options.model || AI_DEFAULTS.model;
  const store = options.store ?? memoryAiStore();
  const clock = options.clock;
  const budget = options.dailyTokenBudget ?? AI_DEFAULTS.dailyTokenBudget;
  const ratePerMinute = options.rateLimitPerMinute ?? AI_DEFAULTS.rateLimitPerMinute;
  const cacheTtlSeconds = options.cacheTtlSeconds ?? AI_DEFAULTS.cacheTtlSeconds;
  const price = options.price ?? priceOf(model);
  const log = options.log ?? (() => {});
  const gemini: GeminiCaller | null = options.apiKey
    ? createGeminiCaller({
        apiKey: options.apiKey,
        model,
        baseUrl: options.baseUrl || undefined,
        timeoutMs: options.timeoutMs ?? AI_DEFAULTS.timeoutMs,
        breakerThreshold: options.breakerThreshold,
        breakerCooldownMs: options.breakerCooldownMs,
      })
    : null;
  const callsThisMinute = new Map<string, { minute: number; calls: number }>();
  const reservedTokens = new Map<string, number>();
  const inflight = new Map<string, Promise<AiAnswer<unknown>>>();

  interface UseCaseRun<T> {
    useCase: AiUseCase;
    learnerId: string;
    orgId: string;
    /** Everything the answer depends on: changed inputs mean a new cache key. */
    hashInput: unknown;
    request: Omit<StructuredRequest<unknown>, "signal">;
    /** Turns a valid Gemini answer into the public data, or names why it cannot (then: fallback). */
    accept: (value: unknown) => { data: T } | { reason: AiFallbackReason };
    fallback: () => T;
  }

  async function answer<T>(run: UseCaseRun<T>, call: AiCallOptions | undefined): Promise<AiAnswer<T>> {
    const now = clock.now();
    const fallbackAnswer = (reason: AiFallbackReason, detail?: string): AiAnswer<T> => {
      log({ msg: "ai fallback", useCase: run.useCase, orgId: run.orgId, reason, detail, requestId: call?.requestId });
      return {
        data: run.fallback(),
        aiSource: "fallback",
        fallbackReason: reason,
        cached: false,
        calculatedAt: now,
        expiresAt: new Date(now.getTime() + AI_DEFAULTS.fallbackTtlSeconds * 1000),
      };
    };
    try {
      const inputHash = await sha256Hex(JSON.stringify([PROMPT_VERSION, model, run.orgId, run.hashInput]));
      const key = `${run.useCase}:${run.learnerId}:${inputHash}`;
      const hit = await readCache(key, { learnerId: run.learnerId, useCase: run.useCase, inputHash }, now);
      if (hit) {
        return {
          data: hit.data as T,
          aiSource: "gemini",
          cached: true,
          calculatedAt: new Date(hit.calculatedAt),
          expiresAt: new Date(hit.expiresAt),
        };
      }
      if (!gemini) return fallbackAnswer("no_api_key");
      // Identical questions in flight share one Gemini call (and its tokens).
      let asking = inflight.get(key) as Promise<AiAnswer<T>> | undefined;
      if (!asking) {
        const background = call?.answerWithinMs !== undefined;
        asking = askGemini(
          gemini,
          run,
          { key, inputHash, now, requestId: call?.requestId },
          background ? undefined : call?.signal,
          fallbackAnswer,
        );
        inflight.set(key, asking);
        void asking.finally(() => inflight.delete(key));
      }
      if (call?.answerWithinMs === undefined) return await asking;
      const inTime = await withinMs(asking, call.answerWithinMs);
      if (inTime) return inTime;
      call.waitUntil?.(asking);
      return fallbackAnswer("timeout", "Gemini is still answering; its answer goes to the cache for the next request");
    } catch (error) {
      // The store or cache failing must cost the caller nothing but the AI part of the answer.
      return fallbackAnswer("gemini_error", error instanceof Error ? error.message.slice(0, 200) : "unknown error");
    }
  }

  async function askGemini<T>(
    gemini: GeminiCaller,
    run: UseCaseRun<T>,
    where: CallSite,
    signal: AbortSignal | undefined,
    fallbackAnswer: (reason: AiFallbackReason, detail?: string) => AiAnswer<T>,
  ): Promise<AiAnswer<T>> {
    try {
      return await askGeminiOnce(gemini, run, where, signal, fallbackAnswer);
    } catch (error) {
      // Never rejects: it may be running in the background with nobody awaiting it.
      return fallbackAnswer("gemini_error", error instanceof Error ? error.message.slice(0, 200) : "unknown error");
    }
  }

  async function askGeminiOnce<T>(
    gemini: GeminiCaller,
    run: UseCaseRun<T>,
    { key, inputHash, now, requestId }: CallSite,
    signal: AbortSignal | undefined,
    fallbackAnswer: (reason: AiFallbackReason, detail?: string) => AiAnswer<T>,
  ): Promise<AiAnswer<T>> {
    if (!takeRateSlot(run.orgId, now)) return fallbackAnswer("rate_limited");
    const reserve = estimateTokens(run.request.instructions + run.request.prompt) + run.request.maxOutputTokens;
    // Calls still running hold their reservation, so concurrent requests cannot overshoot together.
    const used = (await store.tokensUsedOn(run.orgId, dayOf(now))) + (reservedTokens.get(run.orgId) ?? 0);
    if (used + reserve > budget) return fallbackAnswer("budget_exhausted", `${used} of ${budget} tokens used today`);
    reservedTokens.set(run.orgId, (reservedTokens.get(run.orgId) ?? 0) + reserve);
    try {
      let accepted: { data: T } | { reason: AiFallbackReason } = { reason: "invalid_answer" };
      for (let attempt = 1; attempt <= 2; attempt++) {
        if (attempt === 2) takeRateSlot(run.orgId, now);
        const result = await gemini.generate({ ...run.request, ...(signal ? { signal } : {}) });
        // A paused breaker made no call: nothing to record.
        if (result.ok || result.failure !== "gemini_unavailable") {
          await recordUsage(run, result, result.ok ? "ok" : outcomeOf(result.failure));
        }
        log({
          msg: "ai gemini call",
          useCase: run.useCase,
          orgId: run.orgId,
          attempt,
          outcome: result.ok ? "ok" : result.failure,
          detail: result.ok ? undefined : result.detail,
          tokensIn: result.tokensIn,
          tokensOut: result.tokensOut,
          requestId,
        });
        if (result.ok) {
          accepted = run.accept(result.value);
          break;
        }
        // Only an unusable answer earns a second try; transport failures fall back at once.
        if (result.failure !== "invalid_answer") return fallbackAnswer(result.failure, result.detail);
      }
      if ("reason" in accepted) return fallbackAnswer(accepted.reason);

      const expiresAt = new Date(now.getTime() + cacheTtlSeconds * 1000);
      await writeCache({
        key,
        learnerId: run.learnerId,
        orgId: run.orgId,
        useCase: run.useCase,
        inputHash,
        model,
        data: accepted.data,
        calculatedAt: now.toISOString(),
        expiresAt: expiresAt.toISOString(),
      });
      return { data: accepted.data, aiSource: "gemini", cached: false, calculatedAt: now, expiresAt };
    } finally {
      const left = (reservedTokens.get(run.orgId) ?? 0) - reserve;
      if (left > 0) reservedTokens.set(run.orgId, left);
      else reservedTokens.delete(run.orgId);
    }
  }

  async function readCache(key: string, ref: AiResultRef, now: Date): Promise<StoredAiResult | null> {
    const fresh = (r: StoredAiResult | null) => (r && Date.parse(r.expiresAt) > now.getTime() ? r : null);
    const fromCache = fresh(await options.cache.get(key).catch(() => null));
    if (fromCache) return fromCache;
    const fromStore = fresh(await store.loadResult(ref, now).catch(() => null));
    if (fromStore) {
      const ttl = Math.floor((Date.parse(fromStore.expiresAt) - now.getTime()) / 1000);
      await options.cache.set(fromStore, ttl).catch(() => {});
    }
    return fromStore;
  }

  async function writeCache(result: StoredAiResult): Promise<void> {
    await Promise.all([
      options.cache.set(result, cacheTtlSeconds).catch(() => {}),
      store.saveResult(result).catch((error: unknown) => log({ msg: "ai result not saved", error: String(error) })),
    ]);
  }

  async function recordUsage(
    run: UseCaseRun<unknown>,
    { tokensIn, tokensOut, latencyMs }: { tokensIn: number; tokensOut: number; latencyMs: number },
    outcome: AiUsageRecord["outcome"],
  ): Promise<void> {
    await store
      .recordUsage({
        orgId: run.orgId,
        learnerId: run.learnerId,
        useCase: run.useCase,
        model,
        tokensIn,
        tokensOut,
        estimatedCostUsd: estimateCostUsd(price, tokensIn, tokensOut),
        outcome,
        latencyMs,
        at: clock.now(),
      })
      .catch((error: unknown) => log({ msg: "ai usage not recorded", error: String(error) }));
  }

  function takeRateSlot(orgId: string, now: Date): boolean {
    if (ratePerMinute <= 0) return true;
    const minute = Math.floor(now.getTime() / 60_000);
    const slot = callsThisMinute.get(orgId);
    if (!slot || slot.minute !== minute) {
      if (callsThisMinute.size > 10_000) callsThisMinute.clear(); // bounded memory; a minute's window is cheap to lose
      callsThisMinute.set(orgId, { minute, calls: 1 });
      return true;
    }
    if (slot.calls >= ratePerMinute) return false;
    slot.calls += 1;
    return true;
  }

  return {
    aiEnabled: gemini !== null,

    recommend(input, call) {
      const count = clampCount(input.count ?? AI_DEFAULTS.recommendationCount);
      const audience = input.audience ?? "learner";
      const language = input.language ?? "en";
      const completedCourseIds = input.completedCourseIds ?? [];
      const local = {
        skills: input.skills,
        goals: input.goals,
        enrolledCourseIds: input.enrolledCourseIds,
        completedCourseIds,
        catalogue: input.catalogue,
        count,
        audience,
        language,
      };
      const instructions = inLanguage(RECOMMENDATION_INSTRUCTIONS[audience], language, audience, {
        placeholders: false,
      });
      const taken = new Set([...input.enrolledCourseIds, ...completedCourseIds]);
      const eligible = input.catalogue.filter((c) => !taken.has(c.courseId));
      const catalogueById = new Map(input.catalogue.map((c) => [c.courseId, c]));
      // Gemini chooses among the local ranking's best candidates: a large catalogue would cost
      // prompt tokens on courses that close no gap. Its choice is still checked against the whole.
      const shortlist = new Set(
        recommendLocally({ ...local, count: AI_DEFAULTS.candidateCourses }).map((c) => c.courseId),
      );
      const candidates = eligible.filter((c) => shortlist.has(c.courseId));
      const wrap = (items: Recommendation[]): Recommendations => ({ learnerId: input.learnerId, items });
      return answer<Recommendations>(
        {
          useCase: "recommendations",
          learnerId: input.learnerId,
          orgId: input.orgId,
          hashInput: {
            audience,
            // English answers keep their keys (cached before languages existed).
            ...(language === "en" ? {} : { language }),
            count,
            skills: [...input.skills].sort((a, b) => a.skillId.localeCompare(b.skillId)),
            goals: [...input.goals].sort(),
            enrolled: [...input.enrolledCourseIds].sort(),
            completed: [...completedCourseIds].sort(),
            catalogue: [...input.catalogue].sort((a, b) => a.courseId.localeCompare(b.courseId)),
          },
          request: {
            instructions,
            prompt: recommendationPrompt({ ...local, catalogue: candidates }),
            schema: GeminiRecommendations,
            jsonSchema: recommendationsJsonSchema(candidates.map((c) => c.courseId)),
            maxOutputTokens: 300 * count + 200,
            check: (value) => {
              const texts = (value as GeminiRecommendations).items.flatMap((i) => [i.reasoning, ...i.expectedOutcomes]);
              return leaksInstructions(texts.join("\n"), instructions) ? "the answer repeats the instructions" : null;
            },
          },
          accept: (value) => {
            const chosen: Recommendation[] = [];
            for (const item of (value as GeminiRecommendations).items) {
              const course = catalogueById.get(item.courseId);
              if (!course || taken.has(course.courseId) || chosen.some((c) => c.courseId === course.courseId)) continue;
              if (chosen.length === count) break;
              chosen.push({
                courseId: course.courseId,
                title: course.title,
                reasoning: item.reasoning,
                expectedOutcomes: item.expectedOutcomes,
                estimatedHours: course.estimatedHours,
                priority: item.priority,
                source: "gemini",
              });
            }
            if (chosen.length === 0 && eligible.length > 0) return { reason: "unknown_course_ids" };
            const wanted = Math.min(count, eligible.length);
            const refill = recommendLocally({
              ...local,
              count: wanted - chosen.length,
              excludeCourseIds: chosen.map((c) => c.courseId),
            }).map((item, i) => ({ ...item, priority: Math.min(5, chosen.length + i + 1) }));
            return { data: wrap([...chosen, ...refill]) };
          },
          fallback: () => wrap(recommendLocally(local)),
        },
        call,
      );
    },

    explainRisk(input, call) {
      const audience = input.audience ?? "learner";
      const language = input.language ?? "en";
      const values = riskPlaceholders(input.risk, language);
      return answer<AiText>(
        {
          useCase: "risk_explanation",
          learnerId: input.learnerId,
          orgId: input.orgId,
          hashInput: { audience, ...(language === "en" ? {} : { language }), risk: input.risk },
          request: numberFreeTextRequest(
            inLanguage(RISK_INSTRUCTIONS[audience], language, audience, { placeholders: true }),
            riskPrompt(input.risk, language),
            values,
          ),
          accept: (value) => acceptNumberFreeText(value, values),
          fallback: () => ({ text: explainRiskLocally(input.risk, audience, language) }),
        },
        call,
      );
    },

    commentOnForecast(input, call) {
      const audience = input.audience ?? "learner";
      const language = input.language ?? "en";
      const values = forecastPlaceholders(input.forecast, language);
      return answer<AiText>(
        {
          useCase: "forecast_commentary",
          learnerId: input.learnerId,
          orgId: input.orgId,
          hashInput: { audience, ...(language === "en" ? {} : { language }), forecast: input.forecast },
          request: numberFreeTextRequest(
            inLanguage(FORECAST_INSTRUCTIONS[audience], language, audience, { placeholders: true }),
            forecastPrompt(input.forecast, language),
            values,
          ),
          accept: (value) => acceptNumberFreeText(value, values),
          fallback: () => ({ text: commentOnForecastLocally(input.forecast, audience, language) }),
        },
        call,
      );
    },

    async usage(orgId, range = {}): Promise<AiUsageReport> {
      const today = dayOf(clock.now());
      const to = range.to ?? today;
      const from = range.from ?? dayOf(new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000));
      const days = (await store.usageByDay(orgId, from, to)).map((d) => ({
        ...d,
        estimatedCostUsd: roundUsd(d.estimatedCostUsd),
      }));
      const totals = days.reduce(
        (sum, d) => ({
          calls: sum.calls + d.calls,
          failedCalls: sum.failedCalls + d.failedCalls,
          tokensIn: sum.tokensIn + d.tokensIn,
          tokensOut: sum.tokensOut + d.tokensOut,
          estimatedCostUsd: roundUsd(sum.estimatedCostUsd + d.estimatedCostUsd),
        }),
        { calls: 0, failedCalls: 0, tokensIn: 0, tokensOut: 0, estimatedCostUsd: 0 },
      );
      return {
        orgId,
        model,
        aiEnabled: gemini !== null,
        dailyTokenBudget: budget,
        tokensUsedToday: await store.tokensUsedOn(orgId, today),
        priceUsdPerMillion: price,
        days,
        totals,
      };
    },
  };
}

function numberFreeTextRequest(instructions: string, prompt: string, values: Record<string, string>): UseCaseRequest {
  return {
    instructions,
    prompt,
    schema: GeminiNumberFreeText,
    jsonSchema: numberFreeTextJsonSchema(),
    maxOutputTokens: 400,
    check: (value) => {
      const { text } = value as GeminiNumberFreeText;
      if (fillPlaceholders(text, values) === null) return "the answer uses a placeholder MS8 did not give";
      if (leaksInstructions(text, instructions)) return "the answer repeats the instructions";
      return null;
    },
  };
}
type UseCaseRequest = Omit<StructuredRequest<unknown>, "signal">;

function acceptNumberFreeText(value: unknown, values: Record<string, string>): { data: AiText } {
  // `check` already proved the placeholders resolve.
  return { data: { text: fillPlaceholders((value as GeminiNumberFreeText).text, values) ?? "" } };
}

/** The promise's value if it settles within `ms`, else null (the promise keeps running). */
async function withinMs<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

function outcomeOf(failure: string): AiUsageRecord["outcome"] {
  if (failure === "invalid_answer") return "invalid_output";
  if (failure === "gemini_rate_limited") return "rate_limited";
  if (failure === "timeout") return "timeout";
  return "error";
}

function clampCount(count: number): number {
  return Math.max(1, Math.min(10, Math.floor(count)));
}

/** Google's rule of thumb: about four characters a token. Only used to reserve budget before a call. */
function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

function roundUsd(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
