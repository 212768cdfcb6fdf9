/**
 * The drop-off answer's sentences as messages: each text has its message (same order, same
 * audience), the English text is the message worded in English, and every message id a client's
 * catalogue must word is one the scoring really produces (so no catalogue entry is dead, and a
 * learner can meet each of them).
 */
import { describe, expect, it } from "vitest";
import type { RiskMessageId } from "../contract.ts";
import { scoreDropoffRisk } from "./risk.ts";
import { english, inEnglish } from "./risk-texts.ts";
import type { LearnerSnapshot } from "./snapshot.ts";

/** Learners of many shapes: on time or late, marked high or low, heavy or light load, new or quiet. */
function* learners(): Generator<LearnerSnapshot> {
  const start = Date.parse("2026-03-02T09:00:00Z");
  const day = 86_400_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  let n = 0;
  for (const week of [1, 2, 5, 12]) {
    const asOf = start + week * 7 * day;
    for (const shape of ["none", "onTime", "late", "missed", "mixed"] as const) {
      for (const score of [35, 90]) {
        for (const credits of [undefined, 30, 120]) {
          for (const units of [0, 3]) {
            for (const registeredLate of [false, true]) {
              const assessments: LearnerSnapshot["assessments"] = [];
              const due = [3, 10, 17, 24].map((d) => start + d * day).filter((t) => t < asOf);
              due.forEach((dueAt, i) => {
                const missed = shape === "missed" || (shape === "mixed" && i % 2 === 1);
                const late = shape === "late" || (shape === "mixed" && i === 0);
                if (shape === "none") return;
                assessments.push({
                  assessmentId: `a${i}`,
                  courseId: "c1",
                  ...(i === 0 ? {} : { title: `Assignment ${i}` }),
                  dueAt: iso(dueAt),
                  submittedAt: missed ? null : iso(dueAt + (late ? 2 * day : -day)),
                  score: missed ? null : score,
                  weight: 10,
                });
              });
              yield {
                schemaVersion: 1,
                learnerId: `lrn-shape-${n++}`,
                orgId: "org-a",
                timeZone: "Europe/Berlin",
                asOf: iso(asOf),
                enrollments: [
                  {
                    courseId: "c1",
                    startDate: "2026-03-02",
                    dueDate: "2026-07-26",
                    unitsTotal: 20,
                    unitsCompleted: Array.from({ length: units }, (_, u) => ({
                      unitId: `u${u}`,
                      completedAt: iso(start + (u + 1) * day),
                    })),
                    ...(registeredLate ? { enrolledAt: iso(asOf - 3 * day) } : {}),
                    ...(credits === undefined ? {} : { studiedCredits: credits }),
                  },
                ],
                assessments,
                activity: [],
              };
            }
          }
        }
      }
    }
  }
  // Not enrolled in anything: the week is missing too.
  yield {
    schemaVersion: 1,
    learnerId: "lrn-shape-none",
    orgId: "org-a",
    timeZone: "UTC",
    asOf: iso(start),
    enrollments: [],
    assessments: [],
    activity: [],
  };
}

describe("the drop-off answer's messages", () => {
  it("stand beside every text, in order, and the English text is the message worded in English", () => {
    for (const snapshot of learners()) {
      const r = scoreDropoffRisk(snapshot);
      for (const factor of r.factors) {
        expect(factor.reasonMessage.id.startsWith(`reason.${factor.name}.`), factor.reasonMessage.id).toBe(true);
        expect(factor.reason).toBe(inEnglish(factor.reasonMessage));
      }
      for (const audience of ["learner", "trainer"] as const) {
        const messages = r.recommendedActionMessages[audience];
        expect(messages.map(inEnglish)).toEqual(r.recommendedActions[audience]);
        for (const m of messages) expect(m.id.startsWith(`action.${audience}.`), m.id).toBe(true);
      }
      expect(r.missingSignalMessages.map(inEnglish)).toEqual(r.missingSignals);
    }
  });

  it("are all produced by the scoring: each id a client words is one a learner can meet", () => {
    const met = new Set<RiskMessageId>();
    for (const snapshot of learners()) {
      const r = scoreDropoffRisk(snapshot);
      for (const f of r.factors) met.add(f.reasonMessage.id);
      for (const m of [...r.recommendedActionMessages.learner, ...r.recommendedActionMessages.trainer]) met.add(m.id);
      for (const m of r.missingSignalMessages) met.add(m.id);
    }
    expect([...met].sort()).toEqual(Object.keys(english).sort());
  });
});
