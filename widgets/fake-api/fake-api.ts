/**
 * A stand-in for the MS8 BFF's three widget endpoints, speaking the real protocol: bearer tokens,
 * the `{data, meta}` envelope, problem+json errors, ETag / 304 and CORS. Written against the Fetch
 * API so the same handler serves real HTTP in the widget tests (test/fake-api-server.ts) and runs
 * in the browser for Storybook. Node runs this file directly, so only erasable TypeScript here.
 *
 * The learner id picks the scenario by its first word: `ok-…` (or anything else) live data,
 * `stale-…`, `mock-…`, `empty-…`, `forbidden-…` (403), `unknown-…` (404), `broken-…` (500),
 * `slow-…` (answers after 1.5 s), `hang-…` (never answers), `flaky-…` (every other request fails with 503). A token starting with `expired`
 * gets a 401, as does a request without a token. The risk answer's `meta.audience` is `learner` for a
 * token starting with `self` (the learner's own token), else `trainer`, as the BFF decides it.
 */
import type { DropoffRisk, Gamification, Problem, Velocity } from "@ms8/edge/contract";

export interface FakeApiOptions {
  /** The "now" the data is relative to (stories pin it so screenshots stay still). */
  now?: () => Date;
  /** How long `slow-` learners wait, in ms. */
  slowMs?: number;
}

const PROBLEM_BASE = "https://ms8.dev/problems/";

function problem(status: number, slug: string, title: string, detail: string, instance: string): Response {
  const body: Problem = { type: `${PROBLEM_BASE}${slug}`, title, status, detail, instance };
  const headers: Record<string, string> = { "content-type": "application/problem+json" };
  if (status === 401) headers["www-authenticate"] = 'Bearer realm="ms8", error="invalid_token"';
  return new Response(JSON.stringify(body), { status, headers });
}

/** A small deterministic generator, so the same learner id always gets the same numbers. */
function seeded(text: string): () => number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return () => {
    h = Math.imul(h ^ (h >>> 15), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    h ^= h >>> 16;
    return (h >>> 0) / 4294967296;
  };
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const round1 = (n: number) => Math.round(n * 10) / 10;

export function velocityFor(learnerId: string, now: Date, empty: boolean): Velocity {
  const random = seeded(`velocity:${learnerId}`);
  const weekly = empty
    ? []
    : Array.from({ length: 8 }, (_, i) => {
        const start = new Date(now.getTime() - (7 - i) * 7 * 86_400_000);
        return { weekStart: isoDay(start), units: round1(2 + random() * 5), targetUnits: 4.5 };
      });
  const currentPace = empty ? 0 : round1(weekly.slice(-3).reduce((sum, w) => sum + w.units, 0) / 3);
  const unitsTotal = empty ? 0 : 48;
  const unitsCompleted = empty ? 0 : Math.round(weekly.reduce((sum, w) => sum + w.units, 0));
  const remainingWeeks = currentPace > 0 ? Math.ceil((unitsTotal - unitsCompleted) / currentPace) : 0;
  const earlier = empty ? 0 : weekly.slice(0, 5).reduce((sum, w) => sum + w.units, 0) / 5;
  const trend = earlier ? round1(((currentPace - earlier) / earlier) * 100) : 0;
  return {
    learnerId,
    currentPace,
    targetPace: 4.5,
    // `restarted-…` learners had no units in the two weeks before: the BFF gives no percentage then.
    trendDirection: learnerId.startsWith("restarted") ? "up" : trend > 2 ? "up" : trend < -2 ? "down" : "flat",
    trendPercentage: learnerId.startsWith("restarted") ? null : trend,
    status: empty
      ? "on_track"
      : currentPace >= 5
        ? "ahead"
        : currentPace >= 4
          ? "on_track"
          : currentPace >= 3
            ? "behind"
            : "at_risk",
    estimatedCompletion: empty ? null : isoDay(new Date(now.getTime() + remainingWeeks * 7 * 86_400_000)),
    unitsCompleted,
    unitsTotal,
    weekly,
  };
}

export function dropoffRiskFor(learnerId: string, empty: boolean): DropoffRisk {
  if (empty) {
    return {
      learnerId,
      riskScore: 0,
      riskLevel: "low",
      factors: [],
      recommendedActions: { learner: [], trainer: [] },
      missingSignals: ["enrollments"],
      modelVersion: "fake-1",
    };
  }
  const random = seeded(`risk:${learnerId}`);
  const riskScore = Math.round((0.15 + random() * 0.7) * 100) / 100;
  const riskLevel = riskScore < 0.25 ? "low" : riskScore < 0.5 ? "medium" : riskScore < 0.75 ? "high" : "critical";
  // The API's level compares with the typical learner (low < 1.5x, medium < 2x, high < 3x): a
  // typical score in the middle of the level's band keeps the fake answer consistent.
  const timesTypical = { low: 1, medium: 1.75, high: 2.5, critical: 3.5 }[riskLevel];
  return {
    learnerId,
    riskScore,
    typicalRiskScore: Math.round((riskScore / timesTypical) * 100) / 100,
    riskLevel,
    factors: [
      // Machine names with the API's labels (edge/src/analytics/risk.ts FACTOR_LABELS) and each
      // reason's message (edge/src/analytics/risk-texts.ts), which the widgets word in German and
      // Arabic. The last has neither label nor message, as an older BFF would answer: the name and
      // the English reason are the fallback.
      {
        name: "missedWork",
        label: "Missed work",
        weight: 0.5,
        reason: "Has not handed in 2 of the 5 assessments due so far (40 % of the grade weight due).",
        reasonMessage: { id: "reason.missedWork.some", values: { missed: 2, due: 5, weightPercent: 40 } },
      },
      {
        name: "lateWork",
        label: "Late hand-ins",
        weight: 0.3,
        reason: "Handed in 2 of 3 submitted assessments after the due date.",
        reasonMessage: { id: "reason.lateWork.some", values: { late: 2, submitted: 3 } },
      },
      { name: "scoreShortfall", weight: 0.2, reason: "Last two quiz scores below 60 %" },
    ],
    recommendedActions: {
      learner: [
        "This week: catch up on Assignment 2 and the assessment due 29 March, past their due dates, or ask your trainer about an extension.",
        "Retake the module 3 quiz",
      ],
      trainer: ["This week: ask what gets in the way of deadlines (2 of 3 hand-ins came in late)."],
    },
    recommendedActionMessages: {
      learner: [
        {
          id: "action.learner.missedWork",
          values: {
            urgency: "medium",
            missed: [
              { title: "Assignment 2", dueDate: "2026-03-22" },
              { title: null, dueDate: "2026-03-29" },
            ],
          },
        },
        // A step this widget's catalogues do not know (a newer BFF): shown in the BFF's English.
        { id: "action.learner.retakeQuiz", values: {} },
      ],
      trainer: [{ id: "action.trainer.lateWork", values: { urgency: "medium", late: 2, submitted: 3 } }],
    },
    missingSignals: [],
    modelVersion: "fake-1",
  };
}

export function gamificationFor(learnerId: string, now: Date, empty: boolean): Gamification {
  const earned = (daysAgo: number) => (empty ? null : new Date(now.getTime() - daysAgo * 86_400_000).toISOString());
  return {
    learnerId,
    points: empty ? 0 : 1240,
    level: empty ? 1 : 4,
    levelName: empty ? "Newcomer" : "Practitioner",
    pointsIntoLevel: empty ? 0 : 240,
    pointsForNextLevel: 500,
    currentStreak: empty ? 0 : 6,
    longestStreak: empty ? 0 : 14,
    badges: [
      // The BFF's badges (edge/src/gamification/progress.ts), which the widgets word by id...
      {
        id: "first_steps",
        name: "First Steps",
        description: "Completed a first lesson.",
        criteria: "Complete any lesson.",
        earnedAt: earned(40),
      },
      {
        id: "streak_7",
        name: "Week Streak",
        description: "Learned seven days in a row.",
        criteria: "Learn something on seven consecutive days.",
        earnedAt: earned(12),
      },
      {
        id: "perfect_score",
        name: "Perfect Score",
        description: "Scored 100 % on an assessment.",
        criteria: "Pass an assessment with a perfect score.",
        earnedAt: null,
      },
      // ...and one their catalogues do not know (a newer BFF's): its English words are shown.
      {
        id: "course_marathon",
        name: "Course Marathon",
        description: "Completed five courses.",
        criteria: "Complete five courses.",
        earnedAt: null,
      },
    ],
  };
}

/** Weak ETag over the body: equal bodies get equal tags, which is all If-None-Match needs. */
function etagOf(body: string): string {
  const random = seeded(body);
  return `W/"${Math.floor(random() * 0xffffffff).toString(16)}-${body.length}"`;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

const ROUTE = /^\/api\/v1\/learners\/([A-Za-z0-9][A-Za-z0-9_-]{0,63})\/(velocity|dropoff-risk|gamification)$/;

export function createFakeApi(options: FakeApiOptions = {}) {
  const now = options.now ?? (() => new Date());
  const slowMs = options.slowMs ?? 1500;
  const flakyCalls = new Map<string, number>();

  return async function fakeApi(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const origin = request.headers.get("origin");
    const cors: Record<string, string> = origin
      ? {
          "access-control-allow-origin": origin,
          "access-control-expose-headers": "ETag",
          vary: "Origin",
        }
      : {};
    const respond = (response: Response) => {
      for (const [name, value] of Object.entries(cors)) response.headers.set(name, value);
      return response;
    };
    const instance = crypto.randomUUID();

    if (request.method === "OPTIONS") {
      return respond(
        new Response(null, {
          status: 204,
          headers: {
            "access-control-allow-methods": "GET, OPTIONS",
            "access-control-allow-headers": "authorization, if-none-match, accept",
            "access-control-max-age": "600",
          },
        }),
      );
    }
    const match = ROUTE.exec(url.pathname);
    if (!match) return respond(problem(404, "not-found", "Not found", `No route for ${url.pathname}`, instance));
    if (request.method !== "GET") {
      return respond(problem(405, "method-not-allowed", "Method not allowed", "Only GET is allowed here", instance));
    }
    if (url.search.toLowerCase().includes("token")) {
      return respond(
        problem(400, "token-in-url", "Bad request", "Tokens belong in the Authorization header", instance),
      );
    }
    const auth = request.headers.get("authorization") ?? "";
    const token = /^Bearer (\S+)$/.exec(auth)?.[1];
    if (!token) return respond(problem(401, "unauthorized", "Unauthorized", "A bearer token is required", instance));
    if (token.startsWith("expired")) {
      return respond(problem(401, "token-expired", "Unauthorized", "The token has expired", instance));
    }

    const learnerId = match[1]!;
    const resource = match[2]!;
    const scenario = learnerId.split("-")[0];
    switch (scenario) {
      case "forbidden":
        return respond(problem(403, "forbidden", "Forbidden", "Your role may not read this learner", instance));
      case "unknown":
        return respond(problem(404, "not-found", "Not found", "No such learner", instance));
      case "broken":
        return respond(
          problem(500, "internal", "Internal error", "The analytics database did not answer in time.", instance),
        );
      case "flaky": {
        const calls = (flakyCalls.get(`${learnerId}/${resource}`) ?? 0) + 1;
        flakyCalls.set(`${learnerId}/${resource}`, calls);
        if (calls % 2 === 1) {
          return respond(
            problem(503, "unavailable", "Service unavailable", "The analytics service is restarting.", instance),
          );
        }
        break;
      }
      case "hang":
        await sleep(2 ** 31 - 1, request.signal);
        break;
      case "slow":
        await sleep(slowMs, request.signal);
        break;
    }

    const at = now();
    const empty = scenario === "empty";
    const data =
      resource === "velocity"
        ? velocityFor(learnerId, at, empty)
        : resource === "dropoff-risk"
          ? dropoffRiskFor(learnerId, empty)
          : gamificationFor(learnerId, at, empty);
    const calculatedAt = new Date(at.getTime() - (scenario === "stale" ? 3 * 3_600_000 : 60_000));
    const dataSource = scenario === "stale" ? "stale_cache" : scenario === "mock" ? "mock" : "realtime";
    const meta = {
      dataSource,
      calculatedAt: calculatedAt.toISOString(),
      expiresAt: new Date(calculatedAt.getTime() + 300_000).toISOString(),
      // The BFF's risk answer carries AI provenance and whom its texts are written for.
      ...(resource === "dropoff-risk"
        ? {
            aiSource: "fallback",
            fallbackReason: "no_api_key",
            audience: token.startsWith("self") ? "learner" : "trainer",
          }
        : {}),
    };
    // The ETag covers the data only: a new calculatedAt with the same numbers still validates.
    const etag = etagOf(JSON.stringify(data));
    if (request.headers.get("if-none-match") === etag) {
      return respond(new Response(null, { status: 304, headers: { etag, "cache-control": "private, no-cache" } }));
    }
    return respond(
      new Response(JSON.stringify({ data, meta }), {
        status: 200,
        headers: { "content-type": "application/json", etag, "cache-control": "private, no-cache" },
      }),
    );
  };
}
