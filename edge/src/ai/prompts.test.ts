import { describe, expect, it } from "vitest";
import type { DropoffRisk } from "../contract.ts";
import { riskPlaceholders } from "./prompts.ts";

describe("riskPlaceholders", () => {
  it("writes percentages as the widgets show them (0.145 is 15%, not Math.round's 14%)", () => {
    const risk = {
      riskScore: 0.145,
      riskLevel: "low",
      factors: [{ name: "missedWork", label: "Missed work", weight: 0.285, reason: "1 of 4 missed", effect: "raises" }],
      recommendedActions: { learner: [], trainer: [] },
      missingSignals: [],
    } as unknown as DropoffRisk;
    const values = riskPlaceholders(risk);
    const shown = (share: number) => new Intl.NumberFormat("en", { style: "percent" }).format(share);
    expect(values.riskPercent).toBe(shown(0.145));
    expect(values.riskPercent).toBe("15%");
    expect(Object.values(values)).toContain(shown(0.285));
  });
});
