/**
 * POST /api/v1/events through the real app (createApp with the HTTP layer's token checks, body
 * rules and problem+json path) on a real, migrated PGlite database.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceToken, userToken } from "../../test/doubles/tokens.ts";
import { createTestWorld } from "../../test/doubles/world.ts";
import { createApp } from "../app.ts";
import { UpstreamUnavailableError } from "../deps.ts";
import { createSqlStore, type SqlClient } from "../store/sql.ts";
import { freshPglite } from "../store/testing.ts";
import { type AnalyticsStore, StoreError } from "../store/types.ts";
import type { KnownLearner } from "./ingest.ts";

const directory = new Map<string, KnownLearner>([
  ["lrn-1", { learnerId: "lrn-1", orgId: "org-a", displayName: "Ada", timeZone: "Europe/Berlin" }],
  ["lrn-2", { learnerId: "lrn-2", orgId: "org-a", displayName: "Ben", timeZone: "America/New_York" }],
  ["lrn-9", { learnerId: "lrn-9", orgId: "org-b", displayName: "Gus", timeZone: "Asia/Tokyo" }],
  ["lrn-5", { learnerId: "lrn-5", orgId: "org-b", displayName: "Zed", timeZone: "Mars/Olympus_Mons" }],
]);

const event = (over: Record<string, unknown> = {}) => ({
  eventId: randomUUID(),
  learnerId: "lrn-1",
  orgId: "org-a",
  type: "lesson_completed",
  occurredAt: "2026-01-05T10:00:00+01:00",
  data: { courseId: "crs-1", unitId: "u-1" },
  ...over,
});

describe("POST /api/v1/events", () => {
  let client: SqlClient;
  let store: AnalyticsStore;
  let app: ReturnType<typeof createApp>;
  const changed: string[][] = [];
  let directoryDown = false;
  let token = "";

  beforeAll(async () => {
    client = await freshPglite();
    store = createSqlStore(client);
    // The app as createApp wires it: the route reads the ledger from deps, looks learners up with
    // insights.profile and invalidates through insights.invalidate.
    const world = createTestWorld({ ledger: store });
    world.insights.profile = async (id: string) => {
      if (directoryDown)
        throw new UpstreamUnavailableError("the Directory cannot answer: connect ECONNREFUSED 127.0.0.1:4102");
      const known = directory.get(id);
      return known ? { ...known, displayName: known.displayName ?? id, courseIds: [], trainerIds: [] } : null;
    };
    world.insights.invalidate = async (ids: string[]) => {
      changed.push(ids);
    };
    app = createApp(world.deps);
    token = await serviceToken("course-builder", "events:write");
  });
  afterAll(() => client.close());

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    app.request("/api/v1/events", {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  const storedEvents = async () =>
    Number(
      (await client.transaction((q) => q("select count(*)::int as n from public.activity_events", [])))[0]?.n ?? -1,
    );

  it("accepts the good events of a batch and rejects each bad one with its reason", async () => {
    const good = [
      event(),
      event({ learnerId: "lrn-2", type: "assessment_passed", data: { assessmentId: "as-1", score: 100 } }),
    ];
    const bad = [
      { eventId: "not-a-uuid", learnerId: "lrn-1", orgId: "org-a", type: "login", occurredAt: "2026-01-05T10:00:00Z" },
      event({ type: "video_watched" }),
      event({ learnerId: "lrn-unknown" }),
      event({ orgId: "org-b" }),
      event({ type: "assessment_passed", data: { assessmentId: "as-1" } }),
      event({ occurredAt: "2999-01-01T00:00:00Z" }),
      "not an object",
    ];
    const before = await storedEvents();
    const res = await post({ events: [good[0], ...bad, good[1]] });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ accepted: 2, duplicates: 0, rejected: 7 });
    expect(body.rejections.map((r: { index: number; reason: string }) => [r.index, r.reason])).toEqual([
      [1, "malformed"],
      [2, "unknown_type"],
      [3, "unknown_learner"],
      [4, "wrong_org"],
      [5, "malformed"],
      [6, "malformed"],
      [7, "malformed"],
    ]);
    expect(body.rejections[0].errors).toEqual([{ path: "eventId", message: expect.any(String) }]);
    expect(body.rejections[4].errors).toEqual([{ path: "data.score", message: expect.any(String) }]);
    expect(body.rejections[1]).toMatchObject({ eventId: (bad[1] as { eventId: string }).eventId });
    expect(await storedEvents()).toBe(before + 2);
    expect((await store.gamificationState("lrn-2"))?.points).toBe(75);
    expect(changed.at(-1)).toEqual(["lrn-1", "lrn-2"]);
  });

  it("rejects only the event with text the database cannot store (NUL, half a surrogate pair); the rest are stored", async () => {
    const good = event({ data: { courseId: "crs-1", lessonId: "l-ok" } });
    const nul = event({ data: { courseId: "crs-1", lessonId: "l\u0000" } });
    const loneSurrogate = event({ data: { courseId: "crs-1", note: "\ud800" } });
    const badKey = event({ data: { courseId: "crs-1", ["k\u0000"]: 1 } });
    const emoji = event({ data: { courseId: "crs-1", note: "done \u{1F389}" } }); // a whole pair is fine
    const before = await storedEvents();
    const res = await post({ events: [good, nul, loneSurrogate, badKey, emoji] });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ accepted: 2, rejected: 3 });
    expect(body.rejections.map((r: { index: number; reason: string }) => [r.index, r.reason])).toEqual([
      [1, "malformed"],
      [2, "malformed"],
      [3, "malformed"],
    ]);
    expect(body.rejections[0].errors).toEqual([
      { path: "data.lessonId", message: "text must be valid Unicode without NUL characters" },
    ]);
    expect(body.rejections[1].errors[0].path).toBe("data.note");
    expect(await storedEvents()).toBe(before + 2);
  });

  it("rejects alone an event nested absurdly deep or dated before 1970; the rest of the batch is stored", async () => {
    // 6,000 levels (about 60 KB), written as text: past the depth JSON.stringify can take again.
    const deep = `${'{"next":'.repeat(6000)}{"leaf":"x"}${"}".repeat(6000)}`;
    const good = event();
    const nested = event({ data: { courseId: "crs-1", deep: "DEEP" } });
    const yearZero = event({ occurredAt: "0000-01-01T00:00:00Z" });
    const res = await post(JSON.stringify({ events: [good, nested, yearZero] }).replace('"DEEP"', deep));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ accepted: 1, rejected: 2 });
    expect(body.rejections[0].reason).toBe("malformed");
    expect(body.rejections[0].errors[0].message).toBe("nested deeper than 32 levels");
    expect(body.rejections[0].errors[0].path).toMatch(/^data\.deep(\.next)+$/);
    expect(body.rejections[1].errors).toEqual([{ path: "occurredAt", message: "occurredAt is before 1970" }]);
  });

  it("acknowledges a resent batch as duplicates and counts nothing twice", async () => {
    const batch = [event({ learnerId: "lrn-9", orgId: "org-b", type: "course_completed", data: { courseId: "c-9" } })];
    expect(await (await post({ events: batch })).json()).toMatchObject({ accepted: 1, duplicates: 0 });
    const calls = changed.length;
    expect(await (await post({ events: [...batch, ...batch] })).json()).toMatchObject({
      accepted: 0,
      duplicates: 2,
      rejected: 0,
    });
    expect(changed.length).toBe(calls); // nothing changed, nothing to invalidate
    const state = await store.gamificationState("lrn-9");
    expect(state).toMatchObject({ points: 200, badges: [{ badgeId: "first_course" }] });
  });

  it.each([
    ["not JSON", "{events: [", "invalid_json"],
    ["no events array", { event: [] }, "invalid_request"],
    ["events not an array", { events: "many" }, "invalid_request"],
    ["more than 500 events", { events: Array.from({ length: 501 }, () => ({})) }, "invalid_request"],
  ])("fails the whole request when the envelope is %s, writing nothing", async (_, body, code) => {
    const before = await storedEvents();
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/problem\+json/);
    expect((await res.json()).type).toContain(code.replaceAll("_", "-"));
    expect(await storedEvents()).toBe(before);
  });

  it("accepts xAPI statements in the same batch and records their source", async () => {
    const statementId = randomUUID();
    const res = await post({
      events: [event({ learnerId: "lrn-2", occurredAt: "2026-01-07T10:00:00Z" })],
      statements: [
        {
          id: statementId,
          actor: { account: { homePage: "https://directory.example", name: "lrn-2" } },
          verb: { id: "http://adlnet.gov/expapi/verbs/completed" },
          object: {
            id: "https://lms.example/courses/crs-7",
            definition: { type: "http://adlnet.gov/expapi/activities/course" },
          },
          context: { extensions: { "https://ms8.dev/xapi/extensions/org-id": "org-a" } },
          timestamp: "2026-01-07T11:00:00Z",
        },
      ],
    });
    expect(await res.json()).toMatchObject({ accepted: 2, rejected: 0 });
    const [row] = await client.transaction((q) =>
      q("select type, source from public.activity_events where event_id = $1::uuid", [statementId]),
    );
    expect(row).toEqual({ type: "course_completed", source: "xapi" });
  });

  // 500 events of this size are ~120 KB: /api/v1/events needs a larger body limit than the 64 KB
  // the app sets for /api/v1/* (src/app.ts, jsonBodies); until then this fails with 413.
  it("takes a full batch of 500 realistic events", async () => {
    const events = Array.from({ length: 500 }, (_, i) =>
      event({
        occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
        data: { courseId: "crs-aurora-01", unitId: `crs-aurora-01-u${i}` },
      }),
    );
    const res = await post({ events });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 500, rejected: 0 });
  });

  it("counts a learner whose Directory time zone is not a real zone in UTC days", async () => {
    const res = await post({
      events: [event({ learnerId: "lrn-5", orgId: "org-b", occurredAt: "2026-01-05T23:30:00Z" })],
    });
    expect(await res.json()).toMatchObject({ accepted: 1 });
    expect(await store.gamificationState("lrn-5")).toMatchObject({
      timeZone: "UTC",
      points: 10,
      streak: { currentRunDays: 1, currentRunEnd: "2026-01-05" },
    });
  });

  it("requires a service token with the events:write scope", async () => {
    const batch = { events: [event()] };
    expect((await post(batch, { Authorization: "" })).status).toBe(401);
    const user = await userToken({ sub: "lrn-1", org: "org-a", roles: ["org_admin"] });
    expect((await post(batch, { Authorization: `Bearer ${user}` })).status).toBe(401);
    const wrongScope = await serviceToken("course-builder", "reports:read");
    expect((await post(batch, { Authorization: `Bearer ${wrongScope}` })).status).toBe(403);
  });

  it("answers 503 with Retry-After when the Directory is down, and the retry succeeds", async () => {
    const batch = { events: [event({ learnerId: "lrn-2", type: "devlab_session", data: { minutes: 50 } })] };
    directoryDown = true;
    const res = await post(batch);
    directoryDown = false;
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBe("5");
    expect((await (await post(batch)).json()).accepted).toBe(1);
  });

  it("answers 400, not 'retry', when the database refuses a value as invalid (retrying would fail the same way)", async () => {
    const world = createTestWorld({
      ledger: {
        ...store,
        ingestEvents: () => Promise.reject(new StoreError("invalid_input", "invalid byte sequence", "22021")),
      },
    });
    world.insights.profile = async (id: string) => {
      const known = directory.get(id);
      return known ? { ...known, displayName: known.displayName ?? id, courseIds: [], trainerIds: [] } : null;
    };
    const res = await createApp(world.deps).request("/api/v1/events", {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ events: [event()] }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.headers.get("Retry-After")).toBeNull();
    expect((await res.json()).detail).toMatch(/nothing was stored/);
  });
});
