import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { LearnerSnapshot } from "../../src/analytics/snapshot.ts";
import { ouladCases, presentationStart, readOuladTables } from "./convert.ts";
import { writeMiniOulad } from "./mini-oulad.ts";

const dir = writeMiniOulad();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("OULAD -> learner snapshots as of day D", () => {
  const cases = ouladCases(readOuladTables(dir), 28);
  const byId = new Map(cases.map((c) => [c.snapshot.learnerId, c]));

  it("keeps only registrations open at the end of day D, with the outcome beside them", () => {
    expect(cases.map((c) => [c.snapshot.learnerId, c.module, c.withdrawsAfterDay])).toEqual([
      ["XXX-2013J-100", "XXX", false],
      ["XXX-2013J-101", "XXX", true],
      ["YYY-2014B-100", "YYY", false],
    ]);
    for (const c of cases) expect(LearnerSnapshot.parse(c.snapshot)).toEqual(c.snapshot);
  });

  it("puts OULAD days on the London calendar of a fixed start date, across the clock change", () => {
    expect(presentationStart("2013J")).toBe("2013-10-01");
    expect(presentationStart("2014B")).toBe("2014-02-01");
    expect(() => presentationStart("2013X")).toThrow(/unknown OULAD presentation/);
    const s = byId.get("XXX-2013J-100")!.snapshot;
    expect(s.timeZone).toBe("Europe/London");
    expect(s.asOf).toBe("2013-10-29T23:59:59+00:00"); // day 28, after the change on 27 October
    expect(s.enrollments).toEqual([
      {
        courseId: "XXX-2013J",
        startDate: "2013-10-01",
        dueDate: "2014-05-29",
        unitsTotal: 0,
        unitsCompleted: [],
        enrolledAt: "2013-09-01T12:00:00+01:00",
        previousAttempts: 1,
        studiedCredits: 120,
      },
    ]);
    const late = byId.get("XXX-2013J-101")!.snapshot.assessments.find((a) => a.assessmentId === "1")!;
    expect(late.dueAt).toBe("2013-10-21T12:00:00+01:00");
    expect(late.submittedAt).toBe("2013-10-27T12:00:00+00:00");
  });

  it("leaves out what was not known on day D, and keeps banked credit apart", () => {
    const s = byId.get("XXX-2013J-100")!.snapshot;
    expect(s.assessments.map((a) => [a.assessmentId, a.kind, a.submittedAt !== null, a.score])).toEqual([
      ["1", "assignment", true, 78],
      ["2", "quiz", false, null],
      ["3", "exam", false, null],
    ]);
    expect(s.assessments.find((a) => a.kind === "exam")!.dueAt).toBeNull();
    expect(s.activity).toEqual([{ at: "2013-10-20T12:00:00+01:00", kind: "assessment" }]);
    const other = byId.get("YYY-2014B-100")!.snapshot;
    expect(other.assessments[0]).toMatchObject({ assessmentId: "4", banked: true, score: 70 });
    expect(other.activity).toEqual([]);
  });

  it("carries no demographic field", () => {
    const text = JSON.stringify(cases.map((c) => c.snapshot));
    for (const word of [
      "gender",
      "region",
      "Scotland",
      "imd",
      "20-30%",
      "age_band",
      "35-55",
      "disability",
      "education",
    ]) {
      expect(text).not.toContain(word);
    }
  });

  it("counts day 0 as known and negative days as before the start", () => {
    const atStart = ouladCases(readOuladTables(dir), 0).map((c) => c.snapshot.learnerId);
    // 103 registers on day 35; everyone else is registered and nobody has left by day 0
    expect(atStart).toEqual(["XXX-2013J-100", "XXX-2013J-101", "XXX-2013J-102", "XXX-2013J-104", "YYY-2014B-100"]);
  });
});
