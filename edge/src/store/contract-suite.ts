/**
 * The data-access test suite every adapter must pass (SQL on the server, SQL on PGlite,
 * supabase-js through the PostgREST stand-in). Each adapter's test file calls it with a factory
 * for a store over a fresh, migrated database.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshLearnerProgress } from "../events/ingest.ts";
import { progressFrom } from "../gamification/progress.ts";
import { awardsFor, type LearningEvent, RULES_VERSION } from "../gamification/rules.ts";
import { aiStoreFrom } from "./ai-store.ts";
import { encodeCursor } from "./store.ts";
import { type AnalyticsStore, type DirectoryUser, type ListScope, StoreError } from "./types.ts";

export interface StoreFixture {
  store: AnalyticsStore;
  teardown(): Promise<void>;
}

const people: DirectoryUser[] = [
  { userId: "lrn-a-1", orgId: "org-a", displayName: "Ada", roles: ["learner"], timeZone: "Europe/Berlin" },
  { userId: "lrn-a-2", orgId: "org-a", displayName: "Ben", roles: ["learner"], timeZone: "America/New_York" },
  { userId: "lrn-a-3", orgId: "org-a", displayName: "Cleo", roles: ["learner"], timeZone: "UTC" },
  { userId: "lrn-a-4", orgId: "org-a", displayName: "Ben", roles: ["learner"], timeZone: "UTC" },
  { userId: "lrn-a-5", orgId: "org-a", displayName: "Dev", roles: ["learner"], timeZone: "UTC" },
  { userId: "trn-a-1", orgId: "org-a", displayName: "Tess", roles: ["trainer"], timeZone: "UTC" },
  { userId: "trn-a-2", orgId: "org-a", displayName: "Theo", roles: ["trainer"], timeZone: "UTC" },
  { userId: "adm-a", orgId: "org-a", displayName: "Alma", roles: ["org_admin"], timeZone: "UTC" },
  { userId: "lrn-b-1", orgId: "org-b", displayName: "Gus", roles: ["learner"], timeZone: "Asia/Tokyo" },
  { userId: "adm-b", orgId: "org-b", displayName: "Gina", roles: ["org_admin"], timeZone: "UTC" },
];

let n = 0;
const event = (learnerId: string, orgId: string, type: LearningEvent["type"], occurredAt: string, data = {}) =>
  ({
    eventId: `20000000-0000-4000-8000-${String(++n).padStart(12, "0")}`,
    learnerId,
    orgId,
    type,
    occurredAt,
    data,
  }) satisfies LearningEvent;

const risk = (learnerId: string, orgId: string, riskScore: number, riskLevel: string) => ({
  learnerId,
  orgId,
  kind: "dropoff_risk",
  computationVersion: "risk-v1",
  payload: { riskScore, riskLevel, factors: [{ name: "inactivity", weight: 1, reason: "quiet" }] },
  calculatedAt: new Date("2026-01-10T10:00:00Z"),
  expiresAt: new Date("2026-01-10T14:00:00Z"),
});

async function rejection(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

export function storeContractSuite(adapter: string, create: () => Promise<StoreFixture>) {
  describe(`AnalyticsStore contract: ${adapter}`, () => {
    let fixture: StoreFixture;
    let store: AnalyticsStore;
    beforeAll(async () => {
      fixture = await create();
      store = fixture.store;
      await store.upsertDirectoryUsers(people);
    });
    afterAll(() => fixture?.teardown());

    it("answers a health ping", async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it("ingests an event once with its awards; a replay is a duplicate", async () => {
      const e = event("lrn-a-1", "org-a", "assessment_passed", "2026-01-05T10:00:00Z", { score: 100 });
      expect(await store.ingestEvent(e, awardsFor(e), RULES_VERSION)).toEqual({
        eventId: e.eventId,
        status: "accepted",
        points: 75,
      });
      expect(await store.ingestEvent(e, awardsFor(e), RULES_VERSION)).toMatchObject({ status: "duplicate", points: 0 });
      expect((await store.gamificationState("lrn-a-1"))?.points).toBe(75);
      // Org lists read the points recorded with the learner's progress (ingestion refreshes it).
      expect((await store.listLearners("org-a", { limit: 1 })).items[0]).toMatchObject({
        learnerId: "lrn-a-1",
        points: 0,
      });
      await refreshLearnerProgress(store, "lrn-a-1");
      expect((await store.listLearners("org-a", { limit: 1 })).items[0]).toMatchObject({
        learnerId: "lrn-a-1",
        points: 75,
      });
    });

    it("refuses an unknown learner and a learner outside the stated organization", async () => {
      const unknown = event("lrn-nobody", "org-a", "login", "2026-01-05T10:00:00Z");
      expect((await rejection(store.ingestEvent(unknown, [], RULES_VERSION))).code).toBe("unknown_learner");
      const wrongOrg = event("lrn-a-1", "org-b", "login", "2026-01-05T10:00:00Z");
      expect((await rejection(store.ingestEvent(wrongOrg, [], RULES_VERSION))).code).toBe("wrong_org");
      expect((await store.learnerHistory("lrn-a-1"))?.events.map((e) => e.eventId)).not.toContain(wrongOrg.eventId);
    });

    it("records progress from the current history version and refuses a stale one", async () => {
      const e = event("lrn-a-2", "org-a", "lesson_completed", "2026-01-06T03:30:00Z");
      await store.ingestEvent(e, awardsFor(e), RULES_VERSION);
      const history = await store.learnerHistory("lrn-a-2");
      expect(history).toMatchObject({ learnerId: "lrn-a-2", orgId: "org-a", timeZone: "America/New_York", version: 1 });
      const progress = progressFrom(history!.events, history!.timeZone);
      expect(await store.recordLearnerProgress("lrn-a-2", 0, progress)).toEqual({ status: "stale", newBadges: [] });
      expect(await store.recordLearnerProgress("lrn-a-2", 1, progress)).toEqual({
        status: "recorded",
        newBadges: ["first_steps"],
      });
      const state = await store.gamificationState("lrn-a-2");
      // 03:30 UTC is the evening before in New York.
      expect(state).toMatchObject({ points: 10, streak: { currentRunDays: 1, currentRunEnd: "2026-01-05" } });
      expect(state?.badges.map((b) => [b.badgeId, new Date(b.earnedAt).toISOString()])).toEqual([
        ["first_steps", "2026-01-06T03:30:00.000Z"],
      ]);
      expect(await store.gamificationState("lrn-nobody")).toBeNull();
    });

    it("keeps the fresher snapshot and reads it back with its times", async () => {
      const fresh = { ...risk("lrn-a-3", "org-a", 0.5, "high"), calculatedAt: new Date("2026-01-10T12:00:00Z") };
      expect(await store.writeSnapshot(fresh)).toBe(true);
      expect(await store.writeSnapshot(risk("lrn-a-3", "org-a", 0.1, "low"))).toBe(false);
      const read = await store.readSnapshot("lrn-a-3", "dropoff_risk");
      expect(read).toEqual({ ...fresh, expiresAt: new Date("2026-01-10T14:00:00Z") });
      expect(await store.readSnapshot("lrn-a-3", "velocity")).toBeNull();
    });

    it("pages an organization's learners by name with keyset cursors", async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await store.listLearners("org-a", { cursor, limit: 2 });
        seen.push(...page.items.map((l) => `${l.displayName}/${l.learnerId}`));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor && pages < 10);
      // Two Bens: the id breaks the tie; trainers are not listed.
      expect(seen).toEqual(["Ada/lrn-a-1", "Ben/lrn-a-2", "Ben/lrn-a-4", "Cleo/lrn-a-3", "Dev/lrn-a-5"]);
      expect(pages).toBe(3);
      const first = await store.listLearners("org-a", { limit: 1 });
      expect(first.items[0]).toMatchObject({ learnerId: "lrn-a-1", points: 75, riskLevel: null, calculatedAt: null });
      expect((await rejection(store.listLearners("org-a", { cursor: "not-a-cursor" }))).code).toBe("invalid_cursor");
      // Text PostgreSQL cannot take (NUL, half a surrogate pair) is no cursor of ours either: a 400, not a 500.
      for (const cursor of [encodeCursor(["a\u0000b", "lrn-x"]), encodeCursor(["\ud800", "lrn-x"])]) {
        expect((await rejection(store.listLearners("org-a", { cursor }))).code).toBe("invalid_cursor");
      }
      const atRiskNul = encodeCursor([2, 0.23, "lrn\u0000"]);
      expect((await rejection(store.listAtRisk("org-a", { cursor: atRiskNul }))).code).toBe("invalid_cursor");
    });

    it("pages at-risk learners from the highest level and score, from a minimum level", async () => {
      await store.writeSnapshot(risk("lrn-a-1", "org-a", 0.9, "critical"));
      await store.writeSnapshot(risk("lrn-a-2", "org-a", 0.5, "high"));
      await store.writeSnapshot(risk("lrn-a-4", "org-a", 0.3, "medium"));
      await store.writeSnapshot(risk("lrn-b-1", "org-b", 0.95, "critical"));
      const firstPage = await store.listAtRisk("org-a", { minLevel: "high", limit: 2 });
      expect(firstPage.items.map((r) => [r.learnerId, r.riskScore, r.riskLevel])).toEqual([
        ["lrn-a-1", 0.9, "critical"],
        ["lrn-a-2", 0.5, "high"],
      ]);
      expect(firstPage.items[0]).toMatchObject({ displayName: "Ada", topFactor: "inactivity" });
      const second = await store.listAtRisk("org-a", { minLevel: "high", limit: 2, cursor: firstPage.nextCursor });
      expect(second.items.map((r) => r.learnerId)).toEqual(["lrn-a-3"]);
      expect(second.nextCursor).toBeNull();
      const medium = await store.listAtRisk("org-a", { minLevel: "medium", limit: 10 });
      expect(medium.items.map((r) => r.learnerId)).toEqual(["lrn-a-1", "lrn-a-2", "lrn-a-3", "lrn-a-4"]);
    });

    it("summarizes an organization", async () => {
      const summary = await store.orgSummary("org-a", { now: new Date("2026-01-08T00:00:00Z") });
      expect(summary).toEqual({
        orgId: "org-a",
        learnerCount: 5,
        atRiskCount: 3,
        byRiskLevel: { low: 0, medium: 1, high: 2, critical: 1 },
        averageRiskScore: 0.55,
        calculatedAt: new Date("2026-01-10T10:00:00Z"),
        activeLearners7d: 2,
        events7d: 2,
        totalPoints: 85,
        badgesAwarded: 2, // perfect_score (lrn-a-1), first_steps (lrn-a-2)
      });
    });

    it("stores AI results and sums AI usage", async () => {
      await store.writeAiResult({
        learnerId: "lrn-a-1",
        orgId: "org-a",
        kind: "recommendations",
        inputHash: "h-1",
        model: "gemini-test",
        aiSource: "fallback",
        payload: { items: [1, 2] },
        expiresAt: new Date("2026-01-11T00:00:00Z"),
      });
      expect(await store.readAiResult("lrn-a-1", "recommendations", "h-1")).toMatchObject({
        aiSource: "fallback",
        payload: { items: [1, 2] },
        expiresAt: new Date("2026-01-11T00:00:00Z"),
      });
      expect(await store.readAiResult("lrn-a-1", "recommendations", "h-2")).toBeNull();
      const usage = { orgId: "org-a", kind: "recommendations", model: "m" } as const;
      const day10 = { ...usage, learnerId: "lrn-a-1", inputTokens: 120, outputTokens: 30, estimatedCostUsd: 0.0125 };
      await store.recordAiUsage({ ...day10, outcome: "ok", createdAt: new Date("2026-01-10T23:59:00Z") });
      await store.recordAiUsage({ ...usage, outcome: "timeout", createdAt: new Date("2026-01-10T00:00:00Z") });
      await store.recordAiUsage({
        ...usage,
        inputTokens: 7,
        outcome: "ok",
        createdAt: new Date("2026-01-12T08:00:00Z"),
      });
      await store.recordAiUsage({
        ...usage,
        inputTokens: 9,
        outcome: "ok",
        createdAt: new Date("2026-01-09T23:59:59Z"),
      });
      expect(await store.aiUsageByDay("org-a", "2026-01-10", "2026-01-12")).toEqual([
        { day: "2026-01-10", calls: 2, failedCalls: 1, tokensIn: 120, tokensOut: 30, estimatedCostUsd: 0.0125 },
        { day: "2026-01-12", calls: 1, failedCalls: 0, tokensIn: 7, tokensOut: 0, estimatedCostUsd: 0 },
      ]);
    });

    it("serves the AI port: results until they expire, tokens per UTC day", async () => {
      const ai = aiStoreFrom(store);
      const ref = { learnerId: "lrn-a-2", useCase: "risk_explanation" as const, inputHash: "h-9" };
      await ai.saveResult({
        key: "risk_explanation:lrn-a-2:h-9",
        ...ref,
        orgId: "org-a",
        model: "gemini-test",
        data: { text: "quiet for three weeks" },
        calculatedAt: "2026-01-10T10:00:00.000Z",
        expiresAt: "2026-01-12T10:00:00.000Z",
      });
      expect(await ai.loadResult(ref, new Date("2026-01-11T00:00:00Z"))).toMatchObject({
        key: "risk_explanation:lrn-a-2:h-9",
        orgId: "org-a",
        data: { text: "quiet for three weeks" },
        calculatedAt: "2026-01-10T10:00:00.000Z",
      });
      expect(await ai.loadResult(ref, new Date("2026-01-12T10:00:00Z"))).toBeNull();
      await ai.recordUsage({
        orgId: "org-b",
        learnerId: "lrn-b-1",
        useCase: "recommendations",
        model: "m",
        tokensIn: 40,
        tokensOut: 2,
        estimatedCostUsd: 0.001,
        outcome: "ok",
        latencyMs: 812.4,
        at: new Date("2026-01-15T12:00:00Z"),
      });
      expect(await ai.tokensUsedOn("org-b", "2026-01-15")).toBe(42);
      expect(await ai.tokensUsedOn("org-b", "2026-01-16")).toBe(0);
      expect(await ai.usageByDay("org-b", "2026-01-01", "2026-01-31")).toEqual([
        { day: "2026-01-15", calls: 1, failedCalls: 0, tokensIn: 40, tokensOut: 2, estimatedCostUsd: 0.001 },
      ]);
    });

    it("under a user's claims, applies row-level security", async () => {
      const ada = store.forUser({ userId: "lrn-a-1", orgId: "org-a", roles: ["learner"] });
      expect((await ada.gamificationState("lrn-a-1"))?.points).toBe(75);
      expect(await ada.gamificationState("lrn-a-2")).toBeNull();
      expect((await ada.listLearners("org-a")).items.map((l) => l.learnerId)).toEqual(["lrn-a-1"]);
      const trainer = store.forUser({ userId: "trn-a-1", orgId: "org-a", roles: ["trainer"] });
      // Mirrored without trainer ids, the learners' trainers are unknown: no trainer may read them,
      // in the trainer-scoped list nor under RLS. Recorded as "none listed", every trainer may.
      expect((await trainer.listLearners("org-a")).items).toEqual([]);
      const tessScope = { kind: "trainer", trainerId: "trn-a-1" } as const;
      expect((await store.listLearners("org-a", { scope: tessScope })).items).toEqual([]);
      await store.upsertDirectoryUsers(
        people.filter((p) => p.orgId === "org-a" && p.roles.includes("learner")).map((p) => ({ ...p, trainerIds: [] })),
      );
      expect((await trainer.listLearners("org-a")).items).toHaveLength(5);
      expect((await trainer.readSnapshot("lrn-a-3", "dropoff_risk"))?.payload).toMatchObject({ riskLevel: "high" });
      const otherAdmin = store.forUser({ userId: "adm-b", orgId: "org-b", roles: ["org_admin"] });
      expect((await otherAdmin.listLearners("org-a")).items).toEqual([]);
      expect((await otherAdmin.listAtRisk("org-a", { minLevel: "low" })).items).toEqual([]);
      expect(await otherAdmin.gamificationState("lrn-a-1")).toBeNull();
      expect(await otherAdmin.readAiResult("lrn-a-1", "recommendations", "h-1")).toBeNull();
      expect((await otherAdmin.orgSummary("org-a")).learnerCount).toBe(0);
      expect(await otherAdmin.aiUsageByDay("org-a", "2026-01-01", "2026-01-31")).toEqual([]);
      expect((await otherAdmin.listAtRisk("org-b", { minLevel: "low" })).items.map((r) => r.learnerId)).toEqual([
        "lrn-b-1",
      ]);
    });
    it("narrows a trainer's lists and summary to the learners they train, pages still exact", async () => {
      // trn-a-1 trains the courses of Ada and Ben, trn-a-2 those of the second Ben; nobody is
      // listed for Cleo's and Dev's courses, so every trainer of org-a may read those two.
      const trained = (userId: string, trainerIds: string[]) => ({
        ...people.find((p) => p.userId === userId)!,
        trainerIds,
      });
      await store.upsertDirectoryUsers([
        trained("lrn-a-1", ["trn-a-1"]),
        trained("lrn-a-2", ["trn-a-1"]),
        trained("lrn-a-3", []),
        trained("lrn-a-4", ["trn-a-2"]),
        trained("lrn-a-5", []),
      ]);
      const tess = { kind: "trainer", trainerId: "trn-a-1" } as const;
      const theo = { kind: "trainer", trainerId: "trn-a-2" } as const;
      const allPages = async (scope: ListScope) => {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page = await store.listLearners("org-a", { cursor, limit: 1, scope });
          seen.push(...page.items.map((l) => l.learnerId));
          cursor = page.nextCursor;
          pages += 1;
        } while (cursor && pages < 10);
        return seen;
      };
      expect(await allPages(tess)).toEqual(["lrn-a-1", "lrn-a-2", "lrn-a-3", "lrn-a-5"]);
      expect(await allPages(theo)).toEqual(["lrn-a-4", "lrn-a-3", "lrn-a-5"]);
      expect(await allPages({ kind: "organization" })).toEqual(["lrn-a-1", "lrn-a-2", "lrn-a-4", "lrn-a-3", "lrn-a-5"]);
      const scored = (await store.listLearners("org-a", { limit: 1, scope: tess })).items[0];
      expect(scored).toMatchObject({
        learnerId: "lrn-a-1",
        riskLevel: "critical",
        calculatedAt: new Date("2026-01-10T10:00:00Z"),
      });

      // At-risk, one row a page across the tie at 0.5 (lrn-a-2, lrn-a-3); lrn-a-4 (medium) is theo's.
      const atRisk: string[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 10; pages++) {
        const page = await store.listAtRisk("org-a", { minLevel: "medium", limit: 1, cursor, scope: tess });
        atRisk.push(...page.items.map((r) => r.learnerId));
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      expect(atRisk).toEqual(["lrn-a-1", "lrn-a-2", "lrn-a-3"]);
      const theoAtRisk = await store.listAtRisk("org-a", { minLevel: "low", scope: theo });
      expect(theoAtRisk.items.map((r) => r.learnerId)).toEqual(["lrn-a-3", "lrn-a-4"]);

      const now = new Date("2026-01-08T00:00:00Z");
      const organization = await store.orgSummary("org-a", { now });
      const mine = await store.orgSummary("org-a", { now, scope: tess });
      expect(organization.learnerCount).toBe(5);
      expect(mine).toEqual({
        orgId: "org-a",
        learnerCount: 4,
        atRiskCount: 3,
        byRiskLevel: { low: 0, medium: 0, high: 2, critical: 1 },
        averageRiskScore: 0.6333,
        calculatedAt: new Date("2026-01-10T10:00:00Z"),
        activeLearners7d: 2,
        events7d: 2,
        totalPoints: 85,
        badgesAwarded: 2,
      });

      // Row-level security draws the same line for the trainer's own claims; the admin sees all.
      const asTess = store.forUser({ userId: "trn-a-1", orgId: "org-a", roles: ["trainer"] });
      expect((await asTess.listLearners("org-a")).items.map((l) => l.learnerId)).toEqual([
        "lrn-a-1",
        "lrn-a-2",
        "lrn-a-3",
        "lrn-a-5",
      ]);
      expect(await asTess.readSnapshot("lrn-a-4", "dropoff_risk")).toBeNull();
      expect(await asTess.gamificationState("lrn-a-4")).toBeNull();
      expect(await asTess.orgSummary("org-a", { now })).toEqual(mine);
      const asAdmin = store.forUser({ userId: "adm-a", orgId: "org-a", roles: ["org_admin"] });
      expect((await asAdmin.listLearners("org-a")).items).toHaveLength(5);
      expect(await asAdmin.orgSummary("org-a", { now })).toEqual(organization);
      const otherAdmin = store.forUser({ userId: "adm-b", orgId: "org-b", roles: ["org_admin"] });
      expect((await otherAdmin.listLearners("org-a", { scope: tess })).items).toEqual([]);

      // A writer that does not know the courses (no trainerIds) keeps them; an empty list clears them.
      await store.upsertDirectoryUsers(
        people.map((p) => (p.userId === "lrn-a-4" ? { ...p, displayName: "Ben B." } : p)),
      );
      expect((await store.listLearners("org-a", { limit: 3 })).items[2]).toMatchObject({ displayName: "Ben B." });
      expect(await allPages(tess)).toEqual(["lrn-a-1", "lrn-a-2", "lrn-a-3", "lrn-a-5"]);
      await store.upsertDirectoryUsers([trained("lrn-a-4", [])]);
      expect(await allPages(tess)).toEqual(["lrn-a-1", "lrn-a-2", "lrn-a-4", "lrn-a-3", "lrn-a-5"]);
    });

    it("orders at-risk learners by level, then score, and pages that order without gap or repeat", async () => {
      // Levels are relative to the course week: late in a course 0.30 can be critical while an early
      // learner at 0.40 is high. A fresh organization, so the rows above do not interleave.
      const scored: [string, number, string][] = [
        ["lrn-c-1", 0.3, "critical"],
        ["lrn-c-2", 0.3, "critical"],
        ["lrn-c-3", 0.4, "high"],
        ["lrn-c-4", 0.25, "high"],
        ["lrn-c-5", 0.4, "high"],
        ["lrn-c-6", 0.45, "medium"],
        ["lrn-c-7", 0.5, "low"],
      ];
      await store.upsertDirectoryUsers(
        scored.map(([userId]) => ({
          userId,
          orgId: "org-c",
          displayName: userId,
          roles: ["learner"],
          timeZone: "UTC",
        })),
      );
      for (const [learnerId, score, level] of scored) await store.writeSnapshot(risk(learnerId, "org-c", score, level));
      const expected = ["lrn-c-1", "lrn-c-2", "lrn-c-3", "lrn-c-5", "lrn-c-4", "lrn-c-6", "lrn-c-7"];
      const all = await store.listAtRisk("org-c", { minLevel: "low", limit: 50 });
      expect(all.items.map((r) => [r.learnerId, r.riskScore, r.riskLevel])).toEqual(
        expected.map((id) => scored.find(([learnerId]) => learnerId === id)),
      );
      for (const limit of [1, 2]) {
        for (const [minLevel, count] of [
          ["low", 7],
          ["high", 5],
        ] as const) {
          const seen: string[] = [];
          let cursor: string | null = null;
          for (let pages = 0; pages < 10; pages++) {
            const page = await store.listAtRisk("org-c", { minLevel, limit, cursor });
            expect(page.items.length).toBeLessThanOrEqual(limit);
            seen.push(...page.items.map((r) => r.learnerId));
            cursor = page.nextCursor;
            if (!cursor) break;
          }
          expect(seen, `minLevel ${minLevel}, pages of ${limit}`).toEqual(expected.slice(0, count));
        }
      }
      // A cursor from before the level was part of the order ([score, id]) is refused, as is a
      // rank no level has; neither reaches the database.
      const oldCursor = encodeCursor([0.3, "lrn-c-2"]);
      expect((await rejection(store.listAtRisk("org-c", { minLevel: "low", cursor: oldCursor }))).code).toBe(
        "invalid_cursor",
      );
      for (const rank of [4, 1.5, -1]) {
        const cursor = encodeCursor([rank, 0.3, "lrn-c-2"]);
        expect((await rejection(store.listAtRisk("org-c", { minLevel: "low", cursor }))).code).toBe("invalid_cursor");
      }
    });

    it("claims the risk snapshots due for refresh: retired formulas first, then expired, least recently tried and oldest first, each once per lease", async () => {
      const learners = ["lrn-d-1", "lrn-d-2", "lrn-d-3", "lrn-d-4", "lrn-d-5", "lrn-d-6"];
      await store.upsertDirectoryUsers(
        learners.map((userId) => ({
          userId,
          orgId: "org-d",
          displayName: userId,
          roles: ["learner"],
          timeZone: "UTC",
        })),
      );
      const at = (iso: string) => new Date(`2026-01-10T${iso}:00Z`);
      const snapshot = (learnerId: string, version: string, expiresAt: Date, kind = "dropoff_risk") => ({
        ...risk(learnerId, "org-d", 0.2, "low"),
        kind,
        computationVersion: version,
        calculatedAt: at("08:00"),
        expiresAt,
      });
      await store.writeSnapshot(snapshot("lrn-d-1", "risk-v1", at("09:00")));
      await store.writeSnapshot(snapshot("lrn-d-2", "risk-v1", at("11:00")));
      await store.writeSnapshot(snapshot("lrn-d-3", "risk-v0", new Date("2026-01-11T08:00:00Z")));
      await store.writeSnapshot(snapshot("lrn-d-4", "risk-v1", at("15:00")));
      await store.writeSnapshot(snapshot("lrn-d-4", "risk-v1", at("09:00"), "velocity"));
      // A newer instance's formulas (not retired here): left alone until it expires.
      await store.writeSnapshot(snapshot("lrn-d-5", "risk-v2", at("16:00")));
      // At 13:00 the other tests' risk-v1 rows (expiring 14:00) are current, as is lrn-d-4's. The
      // database may be shared with other test files (workerd), so only org-d's rows are judged.
      const claim = (time: string, limit: number) =>
        store.claimDueRiskSnapshots({
          now: at(time),
          version: "risk-v1",
          retiredVersions: ["risk-v0"],
          limit,
          leaseSeconds: 600,
        });
      const inOrgD = (rows: Awaited<ReturnType<typeof claim>>) => rows.filter((d) => d.orgId === "org-d");
      // Two at a time: the first claim gets the retired-formula row and the oldest expired one...
      const first = inOrgD(await claim("13:00", 2));
      const second = inOrgD(await claim("13:00", 2));
      expect([...first, ...second]).toEqual([
        { learnerId: "lrn-d-3", orgId: "org-d", expiresAt: new Date("2026-01-11T08:00:00Z"), currentVersion: false },
        { learnerId: "lrn-d-1", orgId: "org-d", expiresAt: at("09:00"), currentVersion: true },
        { learnerId: "lrn-d-2", orgId: "org-d", expiresAt: at("11:00"), currentVersion: true },
      ]);
      // ...and while their leases run (ten minutes) nobody is offered them again.
      expect(inOrgD(await claim("13:05", 10))).toEqual([]);
      // lrn-d-1 was recomputed meanwhile; the other two were not (their services failed, say).
      // After the lease they are due again, but behind a learner not tried yet (lrn-d-6, expired
      // later than both): learners that keep failing do not take the head of every run.
      await store.writeSnapshot({ ...snapshot("lrn-d-1", "risk-v1", at("17:00")), calculatedAt: at("13:01") });
      await store.writeSnapshot(snapshot("lrn-d-6", "risk-v1", at("12:00")));
      expect(inOrgD(await claim("13:11", 10)).map((d) => d.learnerId)).toEqual(["lrn-d-6", "lrn-d-3", "lrn-d-2"]);
      // The newer formulas' row is claimed once it has expired, like any other.
      // (lrn-d-5 was left out of every claim above; the three never recomputed are due again too.)
      const late = inOrgD(await claim("16:30", 1000)).map((d) => d.learnerId);
      expect(late).toEqual(expect.arrayContaining(["lrn-d-4", "lrn-d-5"]));
      expect(late).not.toContain("lrn-d-1");
    });

    it("hands out each organization's roster check once per lease and interval, and names the learners it lacks", async () => {
      await store.upsertDirectoryUsers([
        { userId: "lrn-f-1", orgId: "org-f", displayName: "Known", roles: ["learner"], timeZone: "UTC" },
        { userId: "lrn-f-2", orgId: "org-f", displayName: "Mirrored only", roles: ["learner"], timeZone: "UTC" },
      ]);
      await store.writeSnapshot(risk("lrn-f-1", "org-f", 0.2, "low"));
      // Of the Directory's roster, those with no drop-off snapshot, in the roster's order.
      expect(await store.learnersWithoutRiskSnapshot(["lrn-f-9", "lrn-f-1", "lrn-f-2", "lrn-f-3"])).toEqual([
        "lrn-f-9",
        "lrn-f-2",
        "lrn-f-3",
      ]);
      expect(await store.learnersWithoutRiskSnapshot(["lrn-f-1"])).toEqual([]);
      expect(await store.learnersWithoutRiskSnapshot([])).toEqual([]);

      // Times of their own, years back: the database may be shared with other test files, whose
      // organizations are due too, and their checks at the real time must not be held up by ours.
      const at = (iso: string) => new Date(`2020-03-01T${iso}:00Z`);
      const claimAll = async (time: string, orgIds: string[] = []) => {
        const claimed: string[] = [];
        for (;;) {
          const orgId = await store.claimDueRosterCheck({
            now: at(time),
            everySeconds: 3600,
            leaseSeconds: 600,
            orgIds,
          });
          if (orgId === null) return claimed.filter((id) => id.startsWith("org-f")); // ours only
          claimed.push(orgId);
        }
      };
      // Every organization once (the store's own and those only the Directory lists), then none
      // while the leases run.
      const first = await claimAll("10:00", ["org-f-directory-only"]);
      expect(first.sort()).toEqual(["org-f", "org-f-directory-only"]);
      expect(await claimAll("10:05")).toEqual([]);
      // org-f: complete (due again after an hour). The Directory-only one: more to take (at once).
      await store.finishRosterCheck("org-f", at("10:06"), "complete");
      await store.finishRosterCheck("org-f-directory-only", at("10:06"), "more");
      expect(await claimAll("10:07")).toEqual(["org-f-directory-only"]);
      await store.finishRosterCheck("org-f-directory-only", at("10:07"), "failed"); // pauses half an hour
      expect(await claimAll("10:30")).toEqual([]);
      expect(await claimAll("10:40")).toEqual(["org-f-directory-only"]);
      expect((await claimAll("11:07")).sort()).toEqual(["org-f", "org-f-directory-only"]);
    });

    it("takes a departed learner out of every organization view, and keeps their ledger", async () => {
      await store.upsertDirectoryUsers([
        { userId: "lrn-e-1", orgId: "org-e", displayName: "Stays", roles: ["learner"], timeZone: "UTC" },
        { userId: "lrn-e-2", orgId: "org-e", displayName: "Leaves", roles: ["learner"], timeZone: "UTC" },
      ]);
      await store.writeSnapshot(risk("lrn-e-1", "org-e", 0.2, "medium"));
      await store.writeSnapshot(risk("lrn-e-2", "org-e", 0.6, "critical"));
      await store.writeSnapshot({ ...risk("lrn-e-2", "org-e", 0.6, "critical"), kind: "velocity" });
      const ingested = await store.ingestEvent(
        event("lrn-e-2", "org-e", "course_completed", "2026-01-06T10:00:00Z", { courseId: "c-e" }),
        awardsFor(event("lrn-e-2", "org-e", "course_completed", "2026-01-06T10:00:00Z", { courseId: "c-e" })),
        RULES_VERSION,
      );
      expect(ingested.status).toBe("accepted");
      const before = await store.orgSummary("org-e");
      expect(before).toMatchObject({ learnerCount: 2, atRiskCount: 1 });

      expect(await store.markLearnerDeparted("lrn-e-2")).toEqual({ snapshots: 2, wasLearner: true });
      expect((await store.listAtRisk("org-e", { minLevel: "low" })).items.map((r) => r.learnerId)).toEqual(["lrn-e-1"]);
      expect((await store.listLearners("org-e")).items.map((l) => l.learnerId)).toEqual(["lrn-e-1"]);
      expect(await store.orgSummary("org-e")).toMatchObject({ learnerCount: 1, atRiskCount: 0 });
      expect(await store.readSnapshot("lrn-e-2", "dropoff_risk")).toBeNull();
      // The ledger is append-only: their history stays, should the Directory know them again.
      expect((await store.learnerHistory("lrn-e-2"))?.events.length).toBe(1);
      // Marking again changes nothing.
      expect(await store.markLearnerDeparted("lrn-e-2")).toEqual({ snapshots: 0, wasLearner: false });
    });
  });
}
