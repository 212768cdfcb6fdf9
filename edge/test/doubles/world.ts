/**
 * TEST DOUBLES for the HTTP-layer tests only (never used by the product): a small fixed world of two
 * organizations, and in-memory stand-ins for the LearnerInsights, AnalyticsStore and Identity ports
 * that record every call, so tests can assert what the HTTP layer asked for (and that a refused
 * request asked for nothing). The real implementations live in src/insights, src/store, src/upstream.
 */

import { generateWorld, trainersOfLearner } from "../../simulator/world.ts";
import { createAiAdvisor, memoryAiCache, memoryAiStore } from "../../src/ai/index.ts";
import type { AiServices } from "../../src/ai/ports.ts";
import type { DropoffRisk, Forecast, Gamification, RiskLevel, Velocity } from "../../src/contract.ts";
import type {
  AnalyticsStore,
  AppDeps,
  AtRiskRow,
  Identity,
  IdentityUser,
  Insight,
  InsightOptions,
  LearnerInsights,
  LearnerProfile,
  LearnerRow,
  ListScope,
  LogLevel,
} from "../../src/deps.ts";
import { InvalidCursorError, UpstreamUnavailableError } from "../../src/deps.ts";
import type { IngestionDeps } from "../../src/events/ingest.ts";

export const TEST_JWT_SECRET = "local-dev-only-test-jwt-secret-0123456789abcdef";
export const TEST_SERVICE_SECRET = "local-dev-only-test-service-secret-0123456789ab";

/**
 * org-aurora as the simulator's world has it (seed 8, 18 learners: 6 in org-aurora), where each
 * course has a trainer and trainer 1 also trains course 2. A learner's trainers are those assigned
 * to any of their courses, as insights' loadProfile computes them from the Directory.
 */
const simulated = generateWorld({ now: new Date("2026-11-20T00:00:00Z"), learners: 18 });
export const SIMULATED_ORG = "org-aurora";
const simulatedProfiles: LearnerProfile[] = [...simulated.learners.entries()]
  .filter(([id]) => simulated.users.get(id)!.orgId === SIMULATED_ORG)
  .map(([id, record]) => {
    const user = simulated.users.get(id)!;
    const courseIds = record.enrollments.map((e) => e.courseId);
    return {
      learnerId: id,
      orgId: user.orgId,
      displayName: user.displayName,
      timeZone: user.timeZone,
      courseIds,
      trainerIds: trainersOfLearner(simulated, id),
    };
  });

/**
 * acme: two learners (lrn-a1 trained by tr-a1 only; lrn-a2 with no trainer listed), globex: one;
 * then the simulated organization.
 */
export const profiles: LearnerProfile[] = [
  {
    learnerId: "lrn-a1",
    orgId: "acme",
    displayName: "Ada One",
    timeZone: "Europe/Berlin",
    courseIds: ["c1"],
    trainerIds: ["tr-a1"],
  },
  {
    learnerId: "lrn-a2",
    orgId: "acme",
    displayName: "Ada Two",
    timeZone: "America/New_York",
    courseIds: ["c2"],
    trainerIds: [],
  },
  {
    learnerId: "lrn-g1",
    orgId: "globex",
    displayName: "Gus One",
    timeZone: "Asia/Tokyo",
    courseIds: ["c9"],
    trainerIds: ["tr-g1"],
  },
  ...simulatedProfiles,
];

export interface Call {
  method: string;
  args: unknown[];
  requestId?: string;
  /** profile() only: false when the caller asked not to start the snapshot's upstream calls. */
  warmSnapshot?: boolean;
}

export class InMemoryLearnerInsightsDouble implements LearnerInsights {
  readonly calls: Call[] = [];
  /** Set to make analytics answers fail as if the fallback chain were exhausted. */
  unavailable = false;
  upstreams: ReturnType<LearnerInsights["upstreamHealth"]> = {
    auth: { state: "healthy", breaker: "closed" },
    directory: { state: "healthy", breaker: "closed" },
  };
  private readonly calculatedAt: Date;
  constructor(now: () => Date) {
    this.calculatedAt = now();
  }

  analyticsCalls(): Call[] {
    return this.calls.filter((c) => c.method !== "profile");
  }

  async profile(learnerId: string, opts?: { requestId?: string; warmSnapshot?: boolean }) {
    this.calls.push({
      method: "profile",
      args: [learnerId],
      requestId: opts?.requestId,
      ...(opts?.warmSnapshot === undefined ? {} : { warmSnapshot: opts.warmSnapshot }),
    });
    return profiles.find((p) => p.learnerId === learnerId) ?? null;
  }

  private answer<T>(method: string, learnerId: string, opts: InsightOptions | undefined, data: T): Insight<T> {
    this.calls.push({ method, args: [learnerId], requestId: opts?.requestId });
    if (this.unavailable) throw new UpstreamUnavailableError("all upstreams down (double)", 17);
    // Fixed per double, like an answer served from cache: equal bodies make equal ETags.
    const calculatedAt = this.calculatedAt;
    return { data, dataSource: "realtime", calculatedAt, expiresAt: new Date(calculatedAt.getTime() + 300_000) };
  }

  async velocity(learnerId: string, opts?: InsightOptions) {
    const v: Velocity = {
      learnerId,
      currentPace: 3,
      targetPace: 4,
      trendDirection: "down",
      trendPercentage: -12.5,
      status: "behind",
      estimatedCompletion: "2026-03-01",
      unitsCompleted: 12,
      unitsTotal: 40,
      weekly: [{ weekStart: "2025-12-29", units: 3, targetUnits: 4 }],
    };
    return this.answer("velocity", learnerId, opts, v);
  }
  async dropoffRisk(learnerId: string, opts?: InsightOptions) {
    const r: DropoffRisk = {
      learnerId,
      riskScore: 0.42,
      riskLevel: "medium",
      factors: [{ name: "inactivity", weight: 1, reason: "no activity for 9 days" }],
      recommendedActions: { learner: ["book a study slot"], trainer: ["check in this week"] },
      missingSignals: [],
      modelVersion: "double",
    };
    return this.answer("dropoffRisk", learnerId, opts, r);
  }
  async forecast(learnerId: string, opts?: InsightOptions) {
    const f: Forecast = {
      learnerId,
      projectedCompletion: "2026-03-01",
      completionInterval: { earliest: "2026-02-20", latest: "2026-03-15" },
      expectedFinalScore: 78,
      scoreInterval: { low: 70, high: 85 },
      confidence: "medium",
    };
    return this.answer("forecast", learnerId, opts, f);
  }
  async gamification(learnerId: string, opts?: InsightOptions) {
    const g: Gamification = {
      learnerId,
      points: 120,
      level: 2,
      levelName: "Explorer",
      pointsIntoLevel: 20,
      pointsForNextLevel: 80,
      currentStreak: 3,
      longestStreak: 5,
      badges: [],
    };
    return this.answer("gamification", learnerId, opts, g);
  }
  async invalidate(learnerIds: string[]) {
    this.calls.push({ method: "invalidate", args: learnerIds });
  }
  upstreamHealth() {
    return this.upstreams;
  }
}

const levels: RiskLevel[] = ["low", "medium", "high", "critical"];

type StoredLearner = LearnerRow & { trainerIds: string[] };

/**
 * Keyset pages over learner ids; the cursor is the base64url of the last id (foreign ones throw).
 * Each learner is stored with their trainers, and a trainer scope keeps the rows whose trainers
 * include that trainer or are empty, as the SQL functions do (src/store, tested there).
 */
export class InMemoryAnalyticsStoreDouble implements AnalyticsStore {
  readonly calls: Call[] = [];
  readonly rows: Record<string, StoredLearner[]> = {};
  constructor(now: Date) {
    for (const [i, p] of profiles.entries()) {
      this.rows[p.orgId] ??= [];
      const simulatedRisk = levels[i % 4]!;
      this.rows[p.orgId]!.push({
        learnerId: p.learnerId,
        displayName: p.displayName,
        riskLevel: p.learnerId === "lrn-a1" ? "high" : p.orgId === SIMULATED_ORG ? simulatedRisk : "low",
        riskScore:
          p.learnerId === "lrn-a1" ? 0.7 : p.orgId === SIMULATED_ORG ? levels.indexOf(simulatedRisk) / 4 + 0.1 : 0.1,
        calculatedAt: now,
        trainerIds: p.trainerIds,
      });
    }
    // Enough acme learners for several pages (no trainer listed for their courses).
    for (let i = 10; i < 25; i++) {
      this.rows.acme!.push({
        learnerId: `lrn-a${i}`,
        displayName: `Learner ${i}`,
        riskLevel: levels[i % 4]!,
        riskScore: (i % 4) / 4 + 0.1,
        calculatedAt: now,
        trainerIds: [],
      });
    }
    for (const list of Object.values(this.rows)) list.sort((a, b) => a.learnerId.localeCompare(b.learnerId));
  }
  private page<T extends { learnerId: string }>(rows: T[], cursor: string | undefined, limit: number) {
    let after = "";
    if (cursor !== undefined) {
      after = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
      if (!after.startsWith("lrn-")) throw new InvalidCursorError();
    }
    const rest = rows.filter((r) => r.learnerId > after);
    const items = rest.slice(0, limit);
    const last = items.at(-1);
    const nextCursor = rest.length > limit && last ? btoa(last.learnerId).replace(/=+$/, "") : null;
    return { items, nextCursor };
  }
  private inScope(orgId: string, scope: ListScope): LearnerRow[] {
    return (this.rows[orgId] ?? [])
      .filter((r) => scope.kind === "organization" || !r.trainerIds.length || r.trainerIds.includes(scope.trainerId))
      .map(({ trainerIds: _trainerIds, ...row }) => row);
  }
  async listLearners(orgId: string, page: { cursor?: string; limit: number; scope: ListScope }) {
    this.calls.push({ method: "listLearners", args: [orgId, page] });
    return this.page(this.inScope(orgId, page.scope), page.cursor, page.limit);
  }
  async listAtRisk(orgId: string, page: { minLevel: RiskLevel; cursor?: string; limit: number; scope: ListScope }) {
    this.calls.push({ method: "listAtRisk", args: [orgId, page] });
    const min = levels.indexOf(page.minLevel);
    const rows: AtRiskRow[] = this.inScope(orgId, page.scope)
      .filter((r) => r.riskLevel && levels.indexOf(r.riskLevel) >= min)
      .map((r) => ({
        learnerId: r.learnerId,
        displayName: r.displayName,
        riskScore: r.riskScore ?? 0,
        riskLevel: r.riskLevel!,
        topFactor: "inactivity",
        calculatedAt: r.calculatedAt!,
      }));
    return this.page(rows, page.cursor, page.limit);
  }
  async orgSummary(orgId: string, opts: { scope: ListScope }) {
    this.calls.push({ method: "orgSummary", args: [orgId, opts] });
    const rows = this.inScope(orgId, opts.scope);
    const byRiskLevel = { low: 0, medium: 0, high: 0, critical: 0 };
    for (const r of rows) if (r.riskLevel) byRiskLevel[r.riskLevel] += 1;
    return {
      orgId,
      learnerCount: rows.length,
      atRiskCount: byRiskLevel.high + byRiskLevel.critical,
      byRiskLevel,
      averageRiskScore: rows.length ? rows.reduce((s, r) => s + (r.riskScore ?? 0), 0) / rows.length : null,
      calculatedAt: rows[0]?.calculatedAt ?? null,
      // Activity figures the double does not model: fixed, distinct values the tests can recognise.
      activeLearners7d: rows.length,
      events7d: 11,
      totalPoints: 1230,
      badgesAwarded: 4,
    };
  }
}

export const PASSWORD = "correct horse battery staple";
export class InMemoryIdentityDouble implements Identity {
  readonly calls: Call[] = [];
  down = false;
  readonly users = new Map<string, IdentityUser>([
    ["ada.one@acme.test", { id: "lrn-a1", orgId: "acme", roles: ["learner"], displayName: "Ada One" }],
    ["admin@acme.test", { id: "adm-a", orgId: "acme", roles: ["org_admin"], displayName: "Acme Admin" }],
  ]);
  async verifyPassword(email: string, password: string, opts?: { requestId?: string }) {
    // Never store the password, not even in the call log.
    this.calls.push({ method: "verifyPassword", args: [], requestId: opts?.requestId });
    if (this.down) throw new Error("auth service down (double)");
    return password === PASSWORD ? (this.users.get(email) ?? null) : null;
  }
}

/** The event ledger's writes; `writes` counts every call that would change the database. */
export class InMemoryLedgerDouble implements NonNullable<AppDeps["ledger"]> {
  readonly writes: Call[] = [];
  readonly events = new Map<string, { learnerId: string; type: string }>();
  async upsertDirectoryUsers(users: Parameters<IngestionDeps["store"]["upsertDirectoryUsers"]>[0]) {
    if (users.length > 0) this.writes.push({ method: "upsertDirectoryUsers", args: [users.map((u) => u.userId)] });
  }
  async ingestEvent(event: Parameters<IngestionDeps["store"]["ingestEvent"]>[0]) {
    this.writes.push({ method: "ingestEvent", args: [event.eventId] });
    const duplicate = this.events.has(event.eventId);
    this.events.set(event.eventId, { learnerId: event.learnerId, type: event.type });
    return { eventId: event.eventId, status: duplicate ? ("duplicate" as const) : ("accepted" as const), points: 10 };
  }
  async learnerHistory() {
    return null;
  }
  async recordLearnerProgress() {
    this.writes.push({ method: "recordLearnerProgress", args: [] });
    return { status: "recorded" as const, newBadges: [] };
  }
}

/** The real advisor without a Gemini key (its local fallback), over a fixed two-course catalogue. */
function aiServices(clock: { now(): Date }): AiServices {
  return {
    advisor: createAiAdvisor({ cache: memoryAiCache(), store: memoryAiStore(), clock }),
    recommendationContext: async () => ({
      catalogue: [
        { courseId: "c1", title: "Data basics", skills: ["sql"], estimatedHours: 6 },
        { courseId: "c3", title: "Statistics", skills: ["stats"], estimatedHours: 8 },
      ],
      enrolledCourseIds: [],
      completedCourseIds: [],
      skills: [{ skillId: "sql", name: "SQL", level: 1, targetLevel: 3 }],
      goals: [],
    }),
  };
}

export interface TestWorld {
  deps: AppDeps;
  insights: InMemoryLearnerInsightsDouble;
  store: InMemoryAnalyticsStoreDouble;
  identity: InMemoryIdentityDouble;
  ledger: InMemoryLedgerDouble;
  logs: string[];
  health: { database: "healthy" | "down"; cache: "healthy" | "down" };
}

/** A full AppDeps over the doubles; `overrides` swaps single parts (e.g. rate limiters). */
export function createTestWorld(
  overrides: Partial<AppDeps> = {},
  logLevel: Exclude<LogLevel, "silent"> = "info",
): TestWorld {
  const clock = { now: () => new Date() };
  const insights = new InMemoryLearnerInsightsDouble(clock.now);
  const store = new InMemoryAnalyticsStoreDouble(clock.now());
  const identity = new InMemoryIdentityDouble();
  const ledger = new InMemoryLedgerDouble();
  const logs: string[] = [];
  const health = { database: "healthy" as "healthy" | "down", cache: "healthy" as "healthy" | "down" };
  const deps: AppDeps = {
    clock,
    runtime: "node",
    http: {
      jwtSecret: TEST_JWT_SECRET,
      serviceSecret: TEST_SERVICE_SECRET,
      corsOrigins: ["https://dashboard.acme.test"],
      production: false,
    },
    logger: {
      log(level, fields) {
        if (level !== "debug" || logLevel === "debug") logs.push(JSON.stringify({ level, ...fields }));
      },
    },
    insights,
    store,
    identity,
    rateLimits: {},
    health: {
      database: async () => ({ state: health.database }),
      cache: async () => ({ state: health.cache }),
    },
    clientIp: (c) => c.req.header("X-Test-Client-Ip") ?? "127.0.0.1",
    ai: aiServices(clock),
    ledger,
    ...overrides,
  };
  return { deps, insights, store, identity, ledger, logs, health };
}
