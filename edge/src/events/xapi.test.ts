import { describe, expect, it } from "vitest";
import { checkEvent } from "./ingest.ts";
import { COURSE_EXTENSION, durationMinutes, eventFromStatement, ORG_EXTENSION, XAPI_VERBS } from "./xapi.ts";

const statement = (verb: string, objectId: string, type: string, result?: Record<string, unknown>) => ({
  id: "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f",
  actor: { account: { homePage: "https://directory.example", name: "lrn-aurora-001" } },
  verb: { id: verb, display: { "en-US": "whatever" } },
  object: { id: objectId, definition: { type: `http://adlnet.gov/expapi/activities/${type}` } },
  ...(result ? { result } : {}),
  context: { extensions: { [ORG_EXTENSION]: "org-aurora", [COURSE_EXTENSION]: "crs-aurora-01" } },
  timestamp: "2026-01-05T10:00:00+01:00",
});
const now = new Date("2026-02-01T00:00:00Z");

describe("xAPI statements", () => {
  it("map completed, passed, failed and attempted to the native events", () => {
    const cases = [
      [
        statement(XAPI_VERBS.completed, "https://lms.example/units/u-3", "lesson"),
        "lesson_completed",
        { courseId: "crs-aurora-01", unitId: "u-3" },
      ],
      [
        statement(XAPI_VERBS.completed, "https://lms.example/courses/crs-aurora-02", "course"),
        "course_completed",
        { courseId: "crs-aurora-02" },
      ],
      [
        statement(XAPI_VERBS.passed, "https://lms.example/assessments/a-1", "assessment", { score: { scaled: 1 } }),
        "assessment_passed",
        { assessmentId: "a-1", score: 100 },
      ],
      [
        statement(XAPI_VERBS.failed, "https://lms.example/assessments/a-1", "assessment", { score: { scaled: 0.425 } }),
        "assessment_failed",
        { assessmentId: "a-1", score: 42.5 },
      ],
      [
        statement(XAPI_VERBS.attempted, "https://devlab.example/sessions/s-9", "simulation", { duration: "PT1H5M30S" }),
        "devlab_session",
        { sessionId: "s-9", minutes: 65.5 },
      ],
    ] as const;
    for (const [raw, type, data] of cases) {
      const checked = checkEvent(eventFromStatement(raw), now);
      expect(checked).toMatchObject({
        ok: true,
        event: { eventId: raw.id, learnerId: "lrn-aurora-001", orgId: "org-aurora", type, source: "xapi", data },
      });
      if (checked.ok) expect(checked.event.occurredAt).toBe("2026-01-05T09:00:00.000Z");
    }
  });

  it("rejects other verbs as unknown types and bad statements as malformed", () => {
    const other = checkEvent(
      eventFromStatement(statement("http://adlnet.gov/expapi/verbs/experienced", "x", "lesson")),
      now,
    );
    expect(other).toMatchObject({ ok: false, rejection: { reason: "unknown_type" } });
    const noScore = checkEvent(eventFromStatement(statement(XAPI_VERBS.passed, "a", "assessment")), now);
    expect(noScore).toMatchObject({ ok: false, rejection: { reason: "malformed", errors: [{ path: "data.score" }] } });
    expect(checkEvent(eventFromStatement({ verb: "completed" }), now)).toMatchObject({
      ok: false,
      rejection: { reason: "malformed" },
    });
  });

  it("reads ISO 8601 durations", () => {
    expect(durationMinutes("PT45M")).toBe(45);
    expect(durationMinutes("PT1H30M")).toBe(90);
    expect(durationMinutes("P1DT1M")).toBe(1441);
    expect(durationMinutes("PT")).toBeNull();
    expect(durationMinutes("45 minutes")).toBeNull();
  });
});
