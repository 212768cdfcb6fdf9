/**
 * The analytics inside workerd: its Intl must know the learner's zone and its DST rules exactly as
 * Node's does, or the API on Workers would count days differently from `ms8 risk`.
 */
import { describe, expect, it } from "vitest";
import { DropoffRisk, Velocity } from "../contract.ts";
import { daysBetween, localDateOf, zonedInstant } from "./calendar.ts";
import { scoreDropoffRisk } from "./risk.ts";
import type { LearnerSnapshot } from "./snapshot.ts";
import { computeVelocity } from "./velocity.ts";

const learner: LearnerSnapshot = {
  schemaVersion: 1,
  learnerId: "lrn-workerd",
  orgId: "org-a",
  timeZone: "Europe/London",
  asOf: "2026-03-31T10:00:00+01:00",
  enrollments: [
    {
      courseId: "c1",
      startDate: "2026-03-02",
      dueDate: "2026-05-24",
      unitsTotal: 24,
      unitsCompleted: [
        { unitId: "u1", completedAt: "2026-03-28T23:30:00Z" },
        { unitId: "u2", completedAt: "2026-03-29T23:30:00Z" }, // 00:30 BST on Monday 30th
      ],
    },
  ],
  assessments: [
    {
      assessmentId: "a1",
      courseId: "c1",
      dueAt: "2026-03-29T22:59:00Z",
      submittedAt: "2026-03-29T23:30:00Z",
      score: 50,
      weight: 10,
    },
  ],
  activity: [],
};

describe("analytics in workerd", () => {
  it("reads local dates across the clock change", () => {
    expect(localDateOf("2026-03-29T23:30:00Z", "Europe/London")).toBe("2026-03-30");
    expect(zonedInstant("2026-03-29", "01:30", "Europe/London").toISOString()).toBe("2026-03-29T00:30:00.000Z");
    expect(daysBetween("2026-03-28", "2026-03-30")).toBe(2);
  });

  it("computes the same velocity and risk as on Node", () => {
    const v = Velocity.parse(computeVelocity(learner));
    expect(v.weekly.slice(-2).map((w) => w.units)).toEqual([1, 1]); // Saturday's unit, then Monday's
    expect(v.currentPace).toBe(0.5); // 2 units in 28 days
    const r = DropoffRisk.parse(scoreDropoffRisk(learner));
    // a1 was handed in after its local due date: late work raises the risk
    expect(r.factors.find((f) => f.name === "lateWork")?.effect).toBe("raises");
  });
});
