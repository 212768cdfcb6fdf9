/**
 * The AI routes through the real app (tokens, access rules, problem+json) with the advisor talking
 * to the fake Gemini server through the real SDK: whatever Gemini does, the answer is a 200 that
 * says where it came from; bad input and wrong callers get 4xx problems; nothing is ever a 500.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeGemini, startFakeGemini } from "../../fakes/gemini/server.ts";
import { createAiAdvisor } from "../ai/advisor.ts";
import { memoryAiCache } from "../ai/cache.ts";
import { catalogue, forecast, learnerInput, risk, validRecommendationsFor } from "../ai/fixtures.ts";
import type { AiServices } from "../ai/ports.ts";
import { memoryAiStore } from "../ai/store.ts";
import { createApp } from "../app.ts";
import {
  AiMeta,
  AiUsageReport,
  aiEnvelope,
  DropoffRisk,
  Forecast,
  Problem,
  Recommendations,
  type Role,
} from "../contract.ts";
import { type AppDeps, type LearnerProfile, UpstreamUnavailableError } from "../deps.ts";
import { requireUser } from "../http/auth.ts";
import { createRouter } from "../http/context.ts";
import { createTokenSigner } from "../http/tokens.ts";
import { commentedForecast, explainedRisk } from "./ai.ts";

const clock = { now: () => new Date("2026-11-25T09:00:00Z") };
const secrets = {
  jwtSecret: "local-dev-only-jwt-secret-for-ai-tests",
  serviceSecret: "local-dev-only-service-secret-ai",
};
const signer = createTokenSigner({ ...secrets, clock });

const profiles: Record<string, LearnerProfile> = {
  "lrn-0042": {
    learnerId: "lrn-0042",
    orgId: "org-acme",
    displayName: "Ada",
    timeZone: "UTC",
    courseIds: ["c-sql-basics"],
    trainerIds: [],
  },
  "lrn-0043": {
    learnerId: "lrn-0043",
    orgId: "org-acme",
    displayName: "Bo",
    timeZone: "UTC",
    courseIds: [],
    trainerIds: [],
  },
  "lrn-9000": {
    learnerId: "lrn-9000",
    orgId: "org-other",
    displayName: "Cy",
    timeZone: "UTC",
    courseIds: [],
    trainerIds: [],
  },
};

const notUsedHere = () => Promise.reject(new Error("not used by the AI routes"));

function appWith(ai: AiServices | undefined) {
  const deps = {
    clock,
    runtime: "node",
    http: { ...secrets, corsOrigins: [], production: false },
    logger: { log() {} },
    insights: {
      profile: async (learnerId: string) => profiles[learnerId] ?? null,
      velocity: notUsedHere,
      dropoffRisk: notUsedHere,
      forecast: notUsedHere,
      gamification: notUsedHere,
      invalidate: async () => {},
      upstreamHealth: () => ({}),
    },
    store: { listLearners: notUsedHere, listAtRisk: notUsedHere, orgSummary: notUsedHere },
    identity: { verifyPassword: async () => null },
    rateLimits: {},
    health: {
      database: async () => ({ state: "healthy" as const }),
      cache: async () => ({ state: "healthy" as const }),
    },
    clientIp: () => "127.0.0.1",
    ...(ai ? { ai } : {}),
  } satisfies AppDeps;
  // What routes/learners.ts does with the risk and forecast insights, on probe paths.
  const insightOf = <T>(data: T) => ({
    data,
    dataSource: "realtime" as const,
    calculatedAt: clock.now(),
    expiresAt: new Date(clock.now().getTime() + 3600_000),
  });
  const probes = createRouter()
    .use("/probe/*", requireUser())
    .get("/probe/dropoff-risk", async (c) => c.json(await explainedRisk(c, "org-acme", insightOf(risk)), 200))
    .get("/probe/forecast", async (c) => c.json(await commentedForecast(c, "org-acme", insightOf(forecast)), 200));
  // app.ts mounts aiRoutes under /api/v1 itself.
  return createApp(deps).route("/", probes);
}

async function tokenFor(sub: string, roles: Role[], org = "org-acme") {
  return (await signer.signUser({ sub, org, roles, ttlSeconds: 600 })).token;
}

let fake: FakeGemini;
beforeAll(async () => {
  fake = await startFakeGemini();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function aiServices(options: { apiKey?: string; timeoutMs?: number } = {}) {
  const store = memoryAiStore();
  const advisor = createAiAdvisor({
    apiKey: "apiKey" in options ? options.apiKey : "local-test-key",
    baseUrl: fake.baseUrl,
    cache: memoryAiCache(),
    store,
    clock,
    timeoutMs: options.timeoutMs ?? 300,
  });
  const { skills, goals, enrolledCourseIds } = learnerInput();
  const services: AiServices = {
    advisor,
    recommendationContext: async () => ({ skills, goals, enrolledCourseIds, completedCourseIds: [], catalogue }),
  };
  return { services, store };
}

async function get(app: ReturnType<typeof appWith>, path: string, token: string) {
  const res = await app.request(path, { headers: { Authorization: `Bearer ${token}` } });
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, type: res.headers.get("content-type"), body };
}

describe("GET /api/v1/learners/{learnerId}/recommendations", () => {
  it("answers the learner with five catalogue courses from Gemini", async () => {
    fake.script(validRecommendationsFor);
    const app = appWith(aiServices().services);
    const res = await get(app, "/api/v1/learners/lrn-0042/recommendations", await tokenFor("lrn-0042", ["learner"]));
    expect(res.status).toBe(200);
    const data = Recommendations.parse(res.body.data);
    const meta = AiMeta.parse(res.body.meta);
    expect(data.items).toHaveLength(5);
    expect(meta).toMatchObject({ aiSource: "gemini", dataSource: "realtime" });
    expect(meta.fallbackReason).toBeUndefined();
  });

  it.each([
    ["500", { kind: "status" as const, status: 500 }, "gemini_error"],
    ["429", { kind: "status" as const, status: 429 }, "gemini_rate_limited"],
    ["a hang", { kind: "hang" as const }, "timeout"],
    ["invalid JSON", { kind: "text" as const, text: "{oops" }, "invalid_answer"],
  ])("Gemini answering %s is a 200 from the fallback, never a 500", async (_, reply, reason) => {
    fake.script(reply, reply);
    const app = appWith(aiServices({ timeoutMs: 150 }).services);
    const res = await get(
      app,
      "/api/v1/learners/lrn-0042/recommendations?count=3",
      await tokenFor("lrn-0042", ["learner"]),
    );
    expect(res.status).toBe(200);
    expect(res.body.meta).toMatchObject({ aiSource: "fallback", fallbackReason: reason });
    expect(Recommendations.parse(res.body.data).items).toHaveLength(3);
  });

  it("words the reasons for whoever reads them: the learner, or the learner's trainer", async () => {
    const app = appWith(aiServices({ apiKey: undefined }).services);
    const own = await get(app, "/api/v1/learners/lrn-0042/recommendations", await tokenFor("lrn-0042", ["learner"]));
    const admin = await get(app, "/api/v1/learners/lrn-0042/recommendations", await tokenFor("u-admin", ["org_admin"]));
    expect(own.body.meta).toMatchObject({ audience: "learner" });
    expect(admin.body.meta).toMatchObject({ audience: "trainer" });
    const reasons = (res: typeof own) => Recommendations.parse(res.body.data).items.map((i) => i.reasoning);
    expect(reasons(own).join(" ")).toMatch(/\byour\b/);
    expect(reasons(admin).join(" ")).not.toMatch(/\byour?\b/i);
    expect(reasons(admin).join(" ")).toMatch(/the learner/);
  });

  it("writes the reasons and outcomes in the language the request asks for", async () => {
    const app = appWith(aiServices({ apiKey: undefined }).services);
    const res = await app.request("/api/v1/learners/lrn-0042/recommendations", {
      headers: { Authorization: `Bearer ${await tokenFor("lrn-0042", ["learner"])}`, "Accept-Language": "de" },
    });
    expect(res.headers.get("content-language")).toBe("de");
    const body = (await res.json()) as { data: unknown; meta: { language: string } };
    expect(body.meta.language).toBe("de");
    const items = Recommendations.parse(body.data).items;
    for (const item of items) {
      expect(item.reasoning, item.reasoning).toMatch(/^(Stärkt .*, wo Ihr|Passt zu Ihren Zielen|Ein Kurs im Katalog)/);
      // The catalogue's level in German too, never "beginner" inside a German sentence.
      expect(item.reasoning).not.toMatch(/beginner|intermediate|advanced/);
      for (const outcome of item.expectedOutcomes) expect(outcome).toMatch(/^Fortschritt in |abschließen$| üben$/);
    }
  });

  it("without a key answers from the fallback and never calls Gemini", async () => {
    const app = appWith(aiServices({ apiKey: undefined }).services);
    const res = await get(app, "/api/v1/learners/lrn-0042/recommendations", await tokenFor("u-admin", ["org_admin"]));
    expect(res.status).toBe(200);
    expect(res.body.meta).toMatchObject({ aiSource: "fallback", fallbackReason: "no_api_key" });
    expect(fake.requests).toHaveLength(0);
  });

  it.each([
    ["another learner of the same org", "lrn-0043", 403],
    ["a learner of another org", "lrn-9000", 404],
    ["a learner that does not exist", "lrn-nobody", 404],
  ])("refuses %s before any AI work", async (_, learnerId, status) => {
    const app = appWith(aiServices().services);
    const res = await get(
      app,
      `/api/v1/learners/${learnerId}/recommendations`,
      await tokenFor("lrn-0042", ["learner"]),
    );
    expect(res.status).toBe(status);
    expect(res.type).toContain("application/problem+json");
    Problem.parse(res.body);
    expect(fake.requests).toHaveLength(0);
  });

  it.each(["0", "11", "abc", "2.5"])("count=%s is a 400 problem naming the field", async (count) => {
    const app = appWith(aiServices().services);
    const res = await get(
      app,
      `/api/v1/learners/lrn-0042/recommendations?count=${count}`,
      await tokenFor("lrn-0042", ["learner"]),
    );
    expect(res.status).toBe(400);
    expect(Problem.parse(res.body).errors?.[0]?.path).toBe("query.count");
  });

  it("an unavailable catalogue is a 503 problem, not a 500", async () => {
    const { services } = aiServices();
    const app = appWith({
      ...services,
      recommendationContext: () => Promise.reject(new UpstreamUnavailableError("the course catalogue is unavailable")),
    });
    const res = await app.request("/api/v1/learners/lrn-0042/recommendations", {
      headers: { Authorization: `Bearer ${await tokenFor("lrn-0042", ["learner"])}`, "Accept-Language": "de" },
    });
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    // The problem is in English: it does not claim the German the request asked for.
    expect(res.headers.get("content-language")).toBeNull();
  });

  it("an instance without AI services answers 503, not 500", async () => {
    const app = appWith(undefined);
    const res = await get(app, "/api/v1/learners/lrn-0042/recommendations", await tokenFor("lrn-0042", ["learner"]));
    expect(res.status).toBe(503);
  });
});

describe("GET /api/v1/orgs/{orgId}/ai-usage", () => {
  it("shows an org admin the organization's tokens and estimated cost", async () => {
    fake.script(validRecommendationsFor);
    const app = appWith(aiServices().services);
    await get(app, "/api/v1/learners/lrn-0042/recommendations", await tokenFor("lrn-0042", ["learner"]));
    const res = await get(app, "/api/v1/orgs/org-acme/ai-usage", await tokenFor("u-admin", ["org_admin"]));
    expect(res.status).toBe(200);
    const report = AiUsageReport.parse(res.body.data);
    expect(report.days).toHaveLength(1);
    expect(report.days[0]).toMatchObject({ day: "2026-11-25", calls: 1, failedCalls: 0 });
    expect(report.totals.tokensIn).toBeGreaterThan(0);
    expect(report.totals.estimatedCostUsd).toBeGreaterThan(0);
    expect(report.tokensUsedToday).toBe(report.totals.tokensIn + report.totals.tokensOut);
  });

  it.each([
    ["a trainer", ["trainer"] as Role[], "org-acme", 403],
    ["a learner", ["learner"] as Role[], "org-acme", 403],
    ["an admin of another org", ["org_admin"] as Role[], "org-other", 404],
  ])("refuses %s", async (_, roles, org, status) => {
    const app = appWith(aiServices().services);
    const res = await get(app, "/api/v1/orgs/org-acme/ai-usage", await tokenFor("u-1", roles, org));
    expect(res.status).toBe(status);
    Problem.parse(res.body);
  });

  it.each([
    ["from=2026-13-01", "query.from"],
    ["from=2026-11-20&to=2026-11-01", "query.from"],
    ["from=2024-01-01&to=2026-01-01", "query.to"],
  ])("%s is a 400 problem", async (query, path) => {
    const app = appWith(aiServices().services);
    const res = await get(app, `/api/v1/orgs/org-acme/ai-usage?${query}`, await tokenFor("u-admin", ["org_admin"]));
    expect(res.status).toBe(400);
    expect(Problem.parse(res.body).errors?.map((e) => e.path)).toContain(path);
  });

  it("a database that cannot answer is a 503 problem, not a 500", async () => {
    const { services } = aiServices();
    const broken = { ...services, advisor: { ...services.advisor, usage: () => Promise.reject(new Error("db down")) } };
    const res = await get(appWith(broken), "/api/v1/orgs/org-acme/ai-usage", await tokenFor("u-admin", ["org_admin"]));
    expect(res.status).toBe(503);
    expect(res.type).toContain("application/problem+json");
  });

  it("without a token is a 401", async () => {
    const app = appWith(aiServices().services);
    const res = await app.request("/api/v1/orgs/org-acme/ai-usage");
    expect(res.status).toBe(401);
  });
});

describe("risk explanation and forecast commentary beside the analytics", () => {
  const asLearner = () => tokenFor("lrn-0042", ["learner"]);
  const asTrainer = () => tokenFor("u-trainer", ["trainer"]);
  const probe = async (app: ReturnType<typeof appWith>, path: string, token: string) =>
    (await app.request(path, { headers: { Authorization: `Bearer ${token}` } })).json();

  it("adds Gemini's words to MS8's numbers, and says so in meta", async () => {
    fake.script(
      { kind: "json", value: { text: "Your risk is {riskLevel} at {riskPercent}, mostly from {topFactor}." } },
      { kind: "json", value: { text: "You should finish around {projectedCompletion}; confidence is {confidence}." } },
    );
    const app = appWith(aiServices().services);
    const riskBody = aiEnvelope(DropoffRisk).parse(await probe(app, "/probe/dropoff-risk", await asLearner()));
    expect(riskBody.data).toMatchObject({
      riskScore: 0.62,
      explanation: "Your risk is high at 62%, mostly from days inactive.",
    });
    expect(riskBody.meta).toMatchObject({ aiSource: "gemini", dataSource: "realtime", audience: "learner" });
    const forecastBody = aiEnvelope(Forecast).parse(await probe(app, "/probe/forecast", await asLearner()));
    expect(forecastBody.data.commentary).toBe("You should finish around 2027-02-14; confidence is medium.");
  });

  it("writes for the trainer when a trainer reads the learner: its own instructions, its own cached answer", async () => {
    fake.script(
      { kind: "json", value: { text: "Your risk is {riskLevel}." } },
      { kind: "json", value: { text: "The learner's risk is {riskLevel}; reach out this week." } },
    );
    const app = appWith(aiServices().services);
    await probe(app, "/probe/dropoff-risk", await asLearner());
    const trainerBody = aiEnvelope(DropoffRisk).parse(await probe(app, "/probe/dropoff-risk", await asTrainer()));
    // The learner's cached words are not served to the trainer: a second Gemini call, told who reads.
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0]?.systemText).toContain("to the learner in plain, encouraging language");
    expect(fake.requests[1]?.systemText).toContain("to the learner's trainer");
    expect(trainerBody.data.explanation).toBe("The learner's risk is high; reach out this week.");
    expect(trainerBody.meta).toMatchObject({ aiSource: "gemini", audience: "trainer" });
    // Each reader's answer is cached under its own key: asking again calls Gemini no more.
    const again = aiEnvelope(DropoffRisk).parse(await probe(app, "/probe/dropoff-risk", await asTrainer()));
    expect(again.data.explanation).toBe(trainerBody.data.explanation);
    expect(fake.requests).toHaveLength(2);
  });

  it("the template speaks to the learner, and about the learner to anyone else (an admin's embed token too)", async () => {
    const app = appWith(undefined);
    const learner = aiEnvelope(DropoffRisk).parse(await probe(app, "/probe/dropoff-risk", await asLearner()));
    expect(learner.data.explanation).toMatch(/^Your drop-off risk is high .* Book a 20-minute session this week\.$/);
    const trainer = aiEnvelope(DropoffRisk).parse(await probe(app, "/probe/dropoff-risk", await asTrainer()));
    expect(trainer.data.explanation).toMatch(/^This learner's drop-off risk is high .* Reach out personally\.$/);
    expect(trainer.meta.audience).toBe("trainer");
    const embed = await signer.signUser({
      sub: "u-admin",
      org: "org-acme",
      roles: ["org_admin"],
      embed: { learnerId: "lrn-0042", widgets: ["forecast"] },
      ttlSeconds: 600,
    });
    const forecastBody = aiEnvelope(Forecast).parse(await probe(app, "/probe/forecast", embed.token));
    expect(forecastBody.meta.audience).toBe("trainer");
    expect(forecastBody.data.commentary).toMatch(/^At their current pace the learner should finish around 2027-02-14/);
  });

  it("writes in the language the request asks for (Accept-Language), with the figures in that language too", async () => {
    const app = appWith(undefined);
    const inLanguage = async (path: string, token: string, language: string) => {
      const res = await app.request(path, {
        headers: { Authorization: `Bearer ${token}`, "Accept-Language": language },
      });
      return { res, body: (await res.json()) as Record<string, unknown> };
    };
    const german = await inLanguage("/probe/dropoff-risk", await asLearner(), "de-DE,de;q=0.9,en;q=0.8");
    const risk = aiEnvelope(DropoffRisk).parse(german.body);
    const percent = new Intl.NumberFormat("de", { style: "percent" }).format(0.62);
    expect(risk.data.explanation).toMatch(
      new RegExp(
        `^Ihr Abbruchrisiko ist an diesem Punkt des Kurses hoch \\(${percent} Wahrscheinlichkeit eines Abbruchs\\)\\.`,
      ),
    );
    expect(risk.meta.language).toBe("de");
    expect(german.res.headers.get("content-language")).toBe("de");
    expect(german.res.headers.get("vary")).toContain("Accept-Language");
    const forecast = aiEnvelope(Forecast).parse((await inLanguage("/probe/forecast", await asTrainer(), "de")).body);
    // The trainer's voice, and the date as a German reader writes it.
    expect(forecast.data.commentary).toMatch(
      /^In ihrem aktuellen Tempo sollte die lernende Person etwa am 14\. Februar 2027 fertig sein \(zwischen dem .+ und dem .+\)\./,
    );
    const arabic = aiEnvelope(DropoffRisk).parse(
      (await inLanguage("/probe/dropoff-risk", await asLearner(), "ar")).body,
    );
    expect(arabic.data.explanation).toMatch(/^خطر انقطاعك مرتفع في هذه المرحلة من الدورة/);
    // A language MS8 does not write: English, said so.
    const french = await inLanguage("/probe/dropoff-risk", await asLearner(), "fr-FR,fr;q=0.9");
    expect(aiEnvelope(DropoffRisk).parse(french.body).data.explanation).toMatch(/^Your drop-off risk is high/);
    expect(french.res.headers.get("content-language")).toBe("en");
  });

  it("tells Gemini the language, and keeps each language's answer apart in the cache", async () => {
    fake.script(
      { kind: "json", value: { text: "Your risk is {riskLevel} at {riskPercent}." } },
      { kind: "json", value: { text: "Ihr Risiko ist {riskLevel} ({riskPercent})." } },
    );
    const app = appWith(aiServices().services);
    const ask = async (language: string) =>
      aiEnvelope(DropoffRisk).parse(
        await (
          await app.request("/probe/dropoff-risk", {
            headers: { Authorization: `Bearer ${await asLearner()}`, "Accept-Language": language },
          })
        ).json(),
      );
    expect((await ask("en")).data.explanation).toBe("Your risk is high at 62%.");
    const german = await ask("de");
    // The German reader's own Gemini call, told to write German; MS8 fills the figures in German.
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0]?.systemText).not.toContain("German");
    expect(fake.requests[1]?.systemText).toContain("Write the text in German and address the learner, who reads it");
    const percent = new Intl.NumberFormat("de", { style: "percent" }).format(0.62);
    expect(german.data.explanation).toBe(`Ihr Risiko ist hoch (${percent}).`);
    expect(german.meta).toMatchObject({ aiSource: "gemini", language: "de" });
    // Asked again, each language is served from its own cached answer.
    expect((await ask("en")).data.explanation).toBe("Your risk is high at 62%.");
    expect((await ask("de")).data.explanation).toBe(german.data.explanation);
    expect(fake.requests).toHaveLength(2);
  });

  it("tells Gemini who reads the German (a trainer: about the learner, in the third person), and refuses digits of any script", async () => {
    fake.script(
      { kind: "json", value: { text: "Das Risiko der lernenden Person ist {riskLevel}; melden Sie sich." } },
      // A figure the model made up, in Arabic-Indic digits: not MS8's, so the template answers.
      { kind: "json", value: { text: "خطر انقطاعك {riskLevel}، خلال ٣ أسابيع قد تنقطع عن الدورة." } },
    );
    const app = appWith(aiServices().services);
    const ask = async (token: string, language: string) =>
      aiEnvelope(DropoffRisk).parse(
        await (
          await app.request("/probe/dropoff-risk", {
            headers: { Authorization: `Bearer ${token}`, "Accept-Language": language },
          })
        ).json(),
      );
    const trainer = await ask(await asTrainer(), "de");
    expect(fake.requests[0]?.systemText).toContain("address the reader, the learner's trainer, with the formal Sie");
    expect(trainer.data.explanation).toBe("Das Risiko der lernenden Person ist hoch; melden Sie sich.");
    const arabic = await ask(await asLearner(), "ar");
    expect(arabic.meta).toMatchObject({ aiSource: "fallback", language: "ar" });
    expect(arabic.data.explanation).not.toContain("٣");
    expect(arabic.data.explanation).toMatch(/^خطر انقطاعك مرتفع/);
  });

  it("Gemini failing, or AI not wired at all, still answers with the template and the reason", async () => {
    fake.script({ kind: "status", status: 500 });
    const failing = aiEnvelope(DropoffRisk).parse(
      await probe(appWith(aiServices().services), "/probe/dropoff-risk", await asLearner()),
    );
    expect(failing.meta).toMatchObject({ aiSource: "fallback", fallbackReason: "gemini_error" });
    expect(failing.data.explanation).toContain("62%");
    const unwired = aiEnvelope(Forecast).parse(await probe(appWith(undefined), "/probe/forecast", await asLearner()));
    expect(unwired.meta).toMatchObject({ aiSource: "fallback", fallbackReason: "no_api_key" });
    expect(unwired.data.commentary).toContain("2027-02-14");
  });
});
