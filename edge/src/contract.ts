/**
 * The public shapes of MS8's HTTP API. Routes validate their answers against these, the OpenAPI
 * document is generated from them, and widgets / demo-host import the inferred types, so one file
 * is the contract between the BFF and everything that embeds it.
 */
import { z } from "@hono/zod-openapi";

export const LearnerId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "a learner id: 1-64 letters, digits, _ or -");
export const OrgId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "an organization id: 1-64 letters, digits, _ or -");
export const Role = z.enum(["learner", "trainer", "org_admin"]);
export type Role = z.infer<typeof Role>;

/** Where an analytics answer came from: the fallback chain of docs/architecture.md. */
export const DataSource = z.enum(["cached", "realtime", "stale_cache", "mock"]);
export type DataSource = z.infer<typeof DataSource>;

export const Meta = z.object({
  dataSource: DataSource,
  calculatedAt: z.string().datetime(),
  expiresAt: z.string().datetime(),
});
export type Meta = z.infer<typeof Meta>;

export const envelope = <T extends z.ZodTypeAny>(data: T) => z.object({ data, meta: Meta });

export const WeeklyPace = z.object({
  weekStart: z.string().date(),
  units: z.number().nonnegative(),
  targetUnits: z.number().nonnegative(),
});

export const Velocity = z.object({
  learnerId: LearnerId,
  /** Units completed per week over the trailing window. */
  currentPace: z.number().nonnegative(),
  /** Units per week needed to finish the remaining units by the due date. */
  targetPace: z.number().nonnegative(),
  trendDirection: z.enum(["up", "down", "flat"]),
  /** Last 14 days against the 14 before, in percent; null when the 14 before had no units. */
  trendPercentage: z.number().nullable(),
  status: z.enum(["ahead", "on_track", "behind", "at_risk"]),
  estimatedCompletion: z.string().date().nullable(),
  unitsCompleted: z.number().nonnegative(),
  unitsTotal: z.number().nonnegative(),
  weekly: z.array(WeeklyPace),
});
export type Velocity = z.infer<typeof Velocity>;

export const RiskLevel = z.enum(["low", "medium", "high", "critical"]);
export type RiskLevel = z.infer<typeof RiskLevel>;

/**
 * A sentence the BFF wrote, as a stable message id and the values in it, so a client can word it in
 * its reader's language (the widgets do, for German and Arabic); the English text stays beside it.
 * The ids and their values are `RiskMessages` below (docs/embedding.md#server-texts-in-other-languages).
 */
export const TextMessage = z.object({ id: z.string(), values: z.record(z.string(), z.unknown()) });

/** An assessment a learner missed: its title, or only its due date when it has none. */
export interface MissedAssessment {
  title: string | null;
  /** YYYY-MM-DD */
  dueDate: string;
}

/**
 * Every message a drop-off risk answer can carry, with its values: reasons (one per factor and
 * direction), missing signals, and next steps for the learner (`action.learner.*`) and the trainer
 * (`action.trainer.*`). `urgency` is the risk level, which sets how soon ("today", "this week").
 */
export interface RiskMessages {
  "reason.missedWork.some": { missed: number; due: number; weightPercent: number | null };
  "reason.missedWork.none": { due: number };
  "reason.lateWork.some": { late: number; submitted: number };
  "reason.lateWork.none": { submitted: number };
  "reason.scoreShortfall.below": { mean: number; marked: number; typical: number };
  "reason.scoreShortfall.above": { mean: number; marked: number; typical: number };
  "reason.courseWeek.early": { week: number };
  "reason.courseWeek.past": { week: number };
  "reason.studyLoad.more": { credits: number; typical: number };
  "reason.studyLoad.less": { credits: number; typical: number };
  "missing.missedWork": Record<string, never>;
  "missing.scoreShortfall": Record<string, never>;
  "missing.lateWork": Record<string, never>;
  "missing.studyLoad": Record<string, never>;
  "missing.courseWeek": Record<string, never>;
  "action.learner.missedWork": { urgency: RiskLevel; missed: MissedAssessment[] };
  "action.trainer.missedWork": { urgency: RiskLevel; missed: MissedAssessment[] };
  "action.learner.scoreShortfall": { urgency: RiskLevel };
  "action.trainer.scoreShortfall": { urgency: RiskLevel; mean: number };
  "action.learner.lateWork": { urgency: RiskLevel };
  "action.trainer.lateWork": { urgency: RiskLevel; late: number; submitted: number };
  "action.learner.courseWeek": { urgency: RiskLevel };
  "action.trainer.courseWeek": { urgency: RiskLevel };
  "action.learner.studyLoad": { urgency: RiskLevel };
  "action.trainer.studyLoad": { urgency: RiskLevel; credits: number };
  "action.learner.quiet": { weeks: number };
  "action.trainer.quiet": { weeks: number };
  "action.learner.firstSteps": Record<string, never>;
  "action.trainer.firstSteps": Record<string, never>;
  "action.learner.noWorkYet": { weeks: number };
  "action.trainer.noWorkYet": { weeks: number };
  "action.learner.steady": Record<string, never>;
  "action.trainer.steady": Record<string, never>;
}
export type RiskMessageId = keyof RiskMessages;
/** One message of a drop-off risk answer, its values typed by its id. */
export type RiskMessage = { [K in RiskMessageId]: { id: K; values: RiskMessages[K] } }[RiskMessageId];

export const RiskFactor = z.object({
  /** Stable machine id of the factor (e.g. "missedWork"); show `label` to people. */
  name: z.string(),
  /** Short human-readable name of the factor ("Missed work"); optional: added by analytics. */
  label: z.string().optional(),
  /**
   * Share of the score this factor produced; the weights of one answer sum to 1. They are shares of
   * the model terms that raise the risk (or, when none does, of those that lower it): docs/risk-model.md.
   */
  weight: z.number().min(0).max(1),
  reason: z.string(),
  /** `reason` as a message id and values, for wording it in another language. */
  reasonMessage: TextMessage.optional(),
  /** Whether this factor pushes the risk up or down from the typical learner's (optional: added by analytics). */
  effect: z.enum(["raises", "lowers"]).optional(),
});

export const DropoffRisk = z.object({
  learnerId: LearnerId,
  /** Calibrated probability of withdrawing: 0.3 means about a 30 % chance. */
  riskScore: z.number().min(0).max(1),
  /**
   * The typical learner's riskScore at the same week of the course (every other signal typical):
   * what riskLevel compares with. Absent in answers stored before model oulad-2013-v2.
   */
  typicalRiskScore: z.number().min(0).max(1).optional(),
  /**
   * riskScore relative to the typical learner at the same week of the course: low below 1.5 times,
   * medium from 1.5, high from 2, critical from 3 (docs/risk-model.md#levels).
   */
  riskLevel: RiskLevel,
  factors: z.array(RiskFactor),
  recommendedActions: z.object({ learner: z.array(z.string()), trainer: z.array(z.string()) }),
  /** The same steps as messages, one for each text, in the same order (absent in older answers). */
  recommendedActionMessages: z.object({ learner: z.array(TextMessage), trainer: z.array(TextMessage) }).optional(),
  /** Signals the model wanted but did not have (a new learner has few). */
  missingSignals: z.array(z.string()),
  /** The same as messages, one for each text, in the same order (absent in older answers). */
  missingSignalMessages: z.array(TextMessage).optional(),
  modelVersion: z.string(),
  /** Plain-language reading of the numbers above (src/ai: Gemini or the template fallback). */
  explanation: z.string().optional(),
});
export type DropoffRisk = z.infer<typeof DropoffRisk>;

const Interval = z.object({ low: z.number(), high: z.number() });
export const Forecast = z.object({
  learnerId: LearnerId,
  projectedCompletion: z.string().date().nullable(),
  completionInterval: z.object({ earliest: z.string().date(), latest: z.string().date() }).nullable(),
  expectedFinalScore: z.number().min(0).max(100).nullable(),
  scoreInterval: Interval.nullable(),
  confidence: z.enum(["low", "medium", "high"]),
  commentary: z.string().optional(),
});
export type Forecast = z.infer<typeof Forecast>;

/** The badges the BFF awards (edge/src/gamification/progress.ts); clients may word them by id. */
export const BADGE_IDS = [
  "first_steps",
  "first_course",
  "course_collector",
  "streak_7",
  "streak_30",
  "perfect_score",
  "never_give_up",
  "devlab_10",
  "deep_work",
  "lessons_50",
  "back_on_track",
] as const;
export type BadgeId = (typeof BADGE_IDS)[number];

export const Badge = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  /** How to earn it, in the learner's words. */
  criteria: z.string(),
  earnedAt: z.string().datetime().nullable(),
});
export const Gamification = z.object({
  learnerId: LearnerId,
  points: z.number().int().nonnegative(),
  level: z.number().int().positive(),
  levelName: z.string(),
  pointsIntoLevel: z.number().int().nonnegative(),
  pointsForNextLevel: z.number().int().nonnegative().nullable(),
  currentStreak: z.number().int().nonnegative(),
  longestStreak: z.number().int().nonnegative(),
  badges: z.array(Badge),
});
export type Gamification = z.infer<typeof Gamification>;

export const Recommendation = z.object({
  /** Always a course of the Course Builder catalogue. */
  courseId: z.string(),
  title: z.string(),
  reasoning: z.string(),
  expectedOutcomes: z.array(z.string()),
  /** From the catalogue, never from the model. */
  estimatedHours: z.number().nonnegative(),
  /** 1 is the most urgent. */
  priority: z.number().int().min(1).max(5),
  /** Which advisor wrote this item: Gemini's unknown course ids are refilled by the fallback. */
  source: z.enum(["gemini", "fallback"]).optional(),
});
export type Recommendation = z.infer<typeof Recommendation>;
export const Recommendations = z.object({
  learnerId: LearnerId,
  items: z.array(Recommendation),
});
export type Recommendations = z.infer<typeof Recommendations>;

export const AiSource = z.enum(["gemini", "fallback"]);
export type AiSource = z.infer<typeof AiSource>;
/** Why an AI answer came from the local fallback instead of Gemini. */
export const AiFallbackReason = z.enum([
  "no_api_key",
  "budget_exhausted",
  "rate_limited",
  "gemini_rate_limited",
  "gemini_error",
  "gemini_unavailable",
  "timeout",
  "invalid_answer",
  "unknown_course_ids",
]);
export type AiFallbackReason = z.infer<typeof AiFallbackReason>;

/**
 * Whom the AI text is written for: the learner themself ("you"), or the people who support them
 * (trainers and org admins, and anything they embed: "the learner", with the trainer's actions).
 * Decided from the caller: a token whose user is the learner reads the learner's words.
 */
export const Audience = z.enum(["learner", "trainer"]);
export type Audience = z.infer<typeof Audience>;

/**
 * The language of the AI's texts (explanation, commentary, recommendations): the first of these
 * the request's Accept-Language names, else English. The answer says it in Content-Language.
 */
export const TextLanguage = z.enum(["en", "de", "ar"]);
export type TextLanguage = z.infer<typeof TextLanguage>;

export const AiMeta = Meta.extend({
  aiSource: AiSource,
  fallbackReason: AiFallbackReason.optional(),
  audience: Audience,
  /** The language the AI's texts are written in (see TextLanguage). */
  language: TextLanguage,
});
export type AiMeta = z.infer<typeof AiMeta>;
/** The envelope of answers with AI text in them: analytics provenance plus where the text came from. */
export const aiEnvelope = <T extends z.ZodTypeAny>(data: T) => z.object({ data, meta: AiMeta });

/** One UTC day of an organization's Gemini use; cost is estimated from the model's list price. */
export const AiUsageDay = z.object({
  day: z.string().date(),
  calls: z.number().int().nonnegative(),
  failedCalls: z.number().int().nonnegative(),
  tokensIn: z.number().int().nonnegative(),
  tokensOut: z.number().int().nonnegative(),
  estimatedCostUsd: z.number().nonnegative(),
});
export const AiUsageReport = z.object({
  orgId: OrgId,
  model: z.string(),
  aiEnabled: z.boolean(),
  dailyTokenBudget: z.number().int().nonnegative(),
  tokensUsedToday: z.number().int().nonnegative(),
  priceUsdPerMillion: z.object({ input: z.number().nonnegative(), output: z.number().nonnegative() }),
  days: z.array(AiUsageDay),
  totals: AiUsageDay.omit({ day: true }),
});
export type AiUsageReport = z.infer<typeof AiUsageReport>;

/** RFC 9457 problem details: the one error shape of the API. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type Problem = z.infer<typeof Problem>;

// ---- Sessions, organization lists and health (the HTTP layer of issue 3) ----

const Id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "an id: 1-64 letters, digits, _ or -");

/** What an embed token may read: the learner analytics endpoints a widget renders. */
export const EmbedWidget = z.enum(["velocity", "dropoff-risk", "forecast", "recommendations", "gamification"]);
export type EmbedWidget = z.infer<typeof EmbedWidget>;

export const Me = z.object({
  userId: Id,
  orgId: OrgId,
  roles: z.array(Role),
  /** Set when the caller holds an embed token: the one learner and the widgets it may read. */
  embed: z.object({ learnerId: LearnerId, widgets: z.array(EmbedWidget) }).nullable(),
  tokenExpiresAt: z.string().datetime(),
});
export type Me = z.infer<typeof Me>;

export const LoginRequest = z
  .object({
    email: z.email().max(254),
    password: z.string().min(1).max(1024),
  })
  .openapi("LoginRequest");
export const SessionUser = z.object({ id: Id, orgId: OrgId, roles: z.array(Role), displayName: z.string() });
export const LoginResponse = z.object({
  token: z.string(),
  expiresAt: z.string().datetime(),
  user: SessionUser,
});
export type LoginResponse = z.infer<typeof LoginResponse>;

export const EmbedTokenRequest = z
  .object({
    /** Defaults to the caller. */
    learnerId: LearnerId.optional(),
    /** Defaults to every widget. */
    widgets: z.array(EmbedWidget).min(1).max(EmbedWidget.options.length).optional(),
  })
  .strict()
  .openapi("EmbedTokenRequest");
export const EmbedTokenResponse = z.object({
  token: z.string(),
  expiresAt: z.string().datetime(),
  learnerId: LearnerId,
  widgets: z.array(EmbedWidget),
});
export type EmbedTokenResponse = z.infer<typeof EmbedTokenResponse>;

export const OrgLearner = z.object({
  learnerId: LearnerId,
  displayName: z.string(),
  riskLevel: RiskLevel.nullable(),
  riskScore: z.number().min(0).max(1).nullable(),
  calculatedAt: z.string().datetime().nullable(),
});
/**
 * Whose learners an organization answer covers: `organization` for an org admin (everyone);
 * `trainer` for a trainer: the learners they may open, i.e. those whose courses they train or
 * whose courses list no trainer. A UI can say "your learners" for `trainer`.
 */
export const ListScope = z.enum(["organization", "trainer"]);
export type ListScope = z.infer<typeof ListScope>;

export const OrgLearnersPage = z.object({
  items: z.array(OrgLearner),
  nextCursor: z.string().nullable(),
  scope: ListScope,
});
export type OrgLearnersPage = z.infer<typeof OrgLearnersPage>;

export const AtRiskLearner = z.object({
  learnerId: LearnerId,
  displayName: z.string(),
  riskScore: z.number().min(0).max(1),
  riskLevel: RiskLevel,
  topFactor: z.string().nullable(),
  calculatedAt: z.string().datetime(),
});
export const AtRiskPage = z.object({
  items: z.array(AtRiskLearner),
  nextCursor: z.string().nullable(),
  scope: ListScope,
});
export type AtRiskPage = z.infer<typeof AtRiskPage>;

export const OrgSummary = z.object({
  orgId: OrgId,
  /** The learners counted: the whole organization, or the calling trainer's learners. */
  scope: ListScope,
  learnerCount: z.number().int().nonnegative(),
  atRiskCount: z.number().int().nonnegative(),
  byRiskLevel: z.object({
    low: z.number().int().nonnegative(),
    medium: z.number().int().nonnegative(),
    high: z.number().int().nonnegative(),
    critical: z.number().int().nonnegative(),
  }),
  averageRiskScore: z.number().min(0).max(1).nullable(),
  calculatedAt: z.string().datetime().nullable(),
  /** Learners with at least one event in the last 7 days. */
  activeLearners7d: z.number().int().nonnegative(),
  /** Events recorded for the learners in scope in the last 7 days. */
  events7d: z.number().int().nonnegative(),
  /** Points held by the learners in scope, all time. */
  totalPoints: z.number().int().nonnegative(),
  /** Badges awarded to the learners in scope, all time. */
  badgesAwarded: z.number().int().nonnegative(),
});
export type OrgSummary = z.infer<typeof OrgSummary>;

export const HealthState = z.enum(["healthy", "degraded", "down"]);
export const ComponentHealth = z.object({ state: HealthState, detail: z.string().optional() });
export const UpstreamHealth = z.object({
  state: HealthState,
  breaker: z.string(),
  lastError: z.string().optional(),
  /** The service's own GET /health, probed by this instance (absent when no probe is wired). */
  probe: ComponentHealth.optional(),
});
export const HealthReport = z.object({
  status: HealthState,
  runtime: z.enum(["node", "workerd"]),
  checkedAt: z.string().datetime(),
  database: ComponentHealth,
  cache: ComponentHealth,
  upstreams: z.record(z.string(), UpstreamHealth),
});
export type HealthReport = z.infer<typeof HealthReport>;
