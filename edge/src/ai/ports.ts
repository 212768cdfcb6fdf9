/**
 * The AI advisor's port and the plain values it works on. The route / insights layer gathers the
 * inputs (analytics numbers, Skills Engine, Learner AI goals, Course Builder catalogue) and hands
 * them in, so nothing in src/ai knows about upstream services or HTTP.
 */
import type {
  AiFallbackReason,
  AiSource,
  AiUsageReport,
  Audience,
  DropoffRisk,
  Forecast,
  Recommendations,
  TextLanguage,
} from "../contract.ts";

export type AiUseCase = "recommendations" | "risk_explanation" | "forecast_commentary";

/** A course as the Course Builder catalogue describes it. */
export interface CatalogueCourse {
  courseId: string;
  title: string;
  /** Skill ids the course teaches (matched against the learner's skills). */
  skills: string[];
  /**
   * What people call those skills, by id (Course Builder's `skills[].name`). Texts name a skill
   * only through this or the learner's own skills: an id is never shown where a person reads.
   */
  skillNames?: Record<string, string>;
  estimatedHours: number;
  level?: "beginner" | "intermediate" | "advanced";
}

/** One of the learner's skills from the Skills Engine: where they are and where their role needs them. */
export interface LearnerSkill {
  skillId: string;
  /** Written by people (skill catalogues are user-editable), so it travels as quoted data. */
  name: string;
  level: number;
  targetLevel: number;
}

export interface RecommendInput {
  learnerId: string;
  orgId: string;
  /** Who reads the text (default learner): the words and the actions offered differ. */
  audience?: Audience;
  /** The language the text is written in (default English). */
  language?: TextLanguage;
  skills: LearnerSkill[];
  /** The learner's own words (Learner AI goals): quoted data, never instructions. */
  goals: string[];
  enrolledCourseIds: string[];
  completedCourseIds?: string[];
  catalogue: CatalogueCourse[];
  /** How many recommendations to return (default 5). */
  count?: number;
}

export interface ExplainRiskInput {
  learnerId: string;
  orgId: string;
  /** Who reads the text (default learner): the words and the actions offered differ. */
  audience?: Audience;
  /** The language the text is written in (default English). */
  language?: TextLanguage;
  risk: DropoffRisk;
}

export interface ForecastCommentInput {
  learnerId: string;
  orgId: string;
  /** Who reads the text (default learner): the words and the actions offered differ. */
  audience?: Audience;
  /** The language the text is written in (default English). */
  language?: TextLanguage;
  forecast: Forecast;
}

/** A text whose numbers are MS8's: the model only chose the words around them. */
export interface AiText {
  text: string;
}

/** An AI answer with its provenance, before HTTP turns it into `{data, meta}`. */
export interface AiAnswer<T> {
  data: T;
  aiSource: AiSource;
  fallbackReason?: AiFallbackReason;
  /** True when served from the 48 h cache (memory/KV or the AI results table). */
  cached: boolean;
  calculatedAt: Date;
  expiresAt: Date;
}

export interface AiCallOptions {
  requestId?: string;
  /** Aborts the Gemini call (e.g. the client went away). Ignored when `answerWithinMs` is set. */
  signal?: AbortSignal;
  /**
   * Answer from the fallback (reason `timeout`) once this long has passed, and let Gemini finish in
   * the background into the cache, so the next request gets its answer. For AI text shown beside
   * analytics, where the numbers must not wait for the words.
   */
  answerWithinMs?: number;
  /** Keeps the background call alive after the response (`ctx.waitUntil` on Workers). */
  waitUntil?: (work: Promise<unknown>) => void;
}

export interface AiAdvisor {
  /** Whether a Gemini key is configured (without one every answer is the fallback). */
  readonly aiEnabled: boolean;
  recommend(input: RecommendInput, options?: AiCallOptions): Promise<AiAnswer<Recommendations>>;
  explainRisk(input: ExplainRiskInput, options?: AiCallOptions): Promise<AiAnswer<AiText>>;
  commentOnForecast(input: ForecastCommentInput, options?: AiCallOptions): Promise<AiAnswer<AiText>>;
  /** Daily token use and estimated cost of one organization, from `from` to `to` (UTC days, inclusive). */
  usage(orgId: string, range?: { from?: string; to?: string }): Promise<AiUsageReport>;
}

export interface AiResultRef {
  learnerId: string;
  useCase: AiUseCase;
  inputHash: string;
}

/** A cached answer: what `AiAnswer` needs to be rebuilt, in JSON. */
export interface StoredAiResult {
  /** Cache key: `${useCase}:${learnerId}:${inputHash}`. */
  key: string;
  learnerId: string;
  orgId: string;
  useCase: AiUseCase;
  inputHash: string;
  model: string;
  data: unknown;
  calculatedAt: string;
  expiresAt: string;
}

/** The fast 48 h cache in front of the results table: memory (LRU) on Node, KV on Workers. */
export interface AiCache {
  get(key: string): Promise<StoredAiResult | null>;
  set(result: StoredAiResult, ttlSeconds: number): Promise<void>;
}

/** One Gemini call, recorded whether or not its answer was usable. */
export interface AiUsageRecord {
  orgId: string;
  learnerId: string;
  useCase: AiUseCase;
  model: string;
  tokensIn: number;
  tokensOut: number;
  estimatedCostUsd: number;
  /** Named as the `ai_usage.outcome` check constraint names them. */
  outcome: "ok" | "invalid_output" | "rate_limited" | "error" | "timeout";
  latencyMs: number;
  at: Date;
}

export interface AiUsageTotals {
  day: string;
  calls: number;
  failedCalls: number;
  tokensIn: number;
  tokensOut: number;
  estimatedCostUsd: number;
}

/**
 * Persistence of AI results and usage: the database engineer implements it over the `ai_results`
 * and `ai_usage` tables; `memoryAiStore()` serves Node without a database and tests.
 */
export interface AiStore {
  /** The unexpired result for this learner, use case and input hash (`ai_results` primary key). */
  loadResult(ref: AiResultRef, now: Date): Promise<StoredAiResult | null>;
  saveResult(result: StoredAiResult): Promise<void>;
  recordUsage(record: AiUsageRecord): Promise<void>;
  /** Tokens in + out the organization used on this UTC day (YYYY-MM-DD). */
  tokensUsedOn(orgId: string, day: string): Promise<number>;
  /** Per-day totals for days with any use, ascending, `from`..`to` inclusive (YYYY-MM-DD). */
  usageByDay(orgId: string, from: string, to: string): Promise<AiUsageTotals[]>;
}

/** What recommendations depend on, gathered by the caller from Skills Engine, Learner AI and Course Builder. */
export interface RecommendationContext {
  skills: LearnerSkill[];
  goals: string[];
  enrolledCourseIds: string[];
  completedCourseIds: string[];
  catalogue: CatalogueCourse[];
}

/** The AI part of AppDeps: the advisor and where recommendation inputs come from. */
export interface AiServices {
  advisor: AiAdvisor;
  recommendationContext(
    learnerId: string,
    orgId: string,
    options?: { requestId?: string; signal?: AbortSignal },
  ): Promise<RecommendationContext>;
}
