/**
 * The evaluation behind `ms8 risk-eval` and `bench:risk`: for each day D, snapshots as of D, the
 * outcome "withdraws after day D", and the metrics of metrics.ts, either for the committed model
 * (how it does on these tables as they are: the way to judge it on unseen presentations) or
 * cross-validated by module (each module scored by a model fitted without it).
 */
import { dropoffModel } from "../../src/analytics/dropoff-model.ts";
import {
  type DropoffModel,
  type RiskLevel,
  riskLevelOf,
  scoreDropoffRisk,
  typicalDropoffRisk,
} from "../../src/analytics/risk.ts";
import { riskSignals } from "../../src/analytics/risk-features.ts";
import { type OuladTables, ouladCases } from "./convert.ts";
import { type Evaluation, evaluate, rocAuc } from "./metrics.ts";
import { crossValidate, EVALUATION_DAYS, labelledSignals, TRAINING_DAYS } from "./train.ts";

export type EvaluationMode = "committed" | "cross-validated";

export interface DayEvaluation extends Evaluation {
  day: number;
  mode: EvaluationMode;
  /** AUC within each module (its own base rate removed). */
  moduleAuc: Record<string, number>;
  /**
   * Per risk level: learners, observed withdrawal rate, mean predicted risk, and the mean risk of
   * the typical learner at the same course week (the base the level is relative to).
   */
  levels: Record<RiskLevel, { count: number; observed: number; meanPredicted: number; meanTypical: number }>;
}

export function evaluateOulad(
  tables: OuladTables,
  opts: { days?: number[]; mode?: EvaluationMode; model?: DropoffModel } = {},
): DayEvaluation[] {
  const days = opts.days ?? EVALUATION_DAYS;
  const mode = opts.mode ?? "committed";
  const model = opts.model ?? dropoffModel;
  const casesByDay = new Map(days.map((d) => [d, ouladCases(tables, d)]));
  let scored: { module: string; day: number; risk: number; level: RiskLevel; typical: number; withdrew: boolean }[];
  if (mode === "cross-validated") {
    // Fitted as the committed model is (all training days at once), scored on the requested days.
    const allDays = [...new Set([...TRAINING_DAYS, ...days])];
    for (const d of allDays) if (!casesByDay.has(d)) casesByDay.set(d, ouladCases(tables, d));
    const rows = allDays.flatMap((d) => labelledSignals(casesByDay.get(d)!, d));
    const evaluated = new Set(days);
    const trainingDays = new Set(TRAINING_DAYS);
    scored = crossValidate(rows, (r) => trainingDays.has(r.day))
      .filter(({ row }) => evaluated.has(row.day))
      .map(({ row, risk, typical }) => ({
        ...row,
        risk,
        typical,
        level: riskLevelOf(risk / typical, model.levels),
      }));
  } else {
    // Exactly what the API and `ms8 risk` answer: scoreDropoffRisk's (rounded) riskScore and its level.
    scored = days.flatMap((day) =>
      casesByDay.get(day)!.map((c) => {
        const answer = scoreDropoffRisk(c.snapshot, model);
        return {
          module: c.module,
          day,
          risk: answer.riskScore,
          level: answer.riskLevel,
          typical: typicalDropoffRisk(riskSignals(c.snapshot), model),
          withdrew: c.withdrawsAfterDay,
        };
      }),
    );
  }
  return days.map((day) => {
    const outcomes = scored.filter((s) => s.day === day);
    const moduleAuc: Record<string, number> = {};
    for (const m of [...new Set(outcomes.map((o) => o.module))].sort()) {
      moduleAuc[m] = rocAuc(outcomes.filter((o) => o.module === m));
    }
    const levels = { low: [], medium: [], high: [], critical: [] } as Record<RiskLevel, typeof outcomes>;
    for (const o of outcomes) levels[o.level].push(o);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / (xs.length || 1);
    return {
      day,
      mode,
      ...evaluate(outcomes),
      moduleAuc,
      levels: Object.fromEntries(
        Object.entries(levels).map(([k, v]) => [
          k,
          {
            count: v.length,
            observed: mean(v.map((o) => (o.withdrew ? 1 : 0))),
            meanPredicted: mean(v.map((o) => o.risk)),
            meanTypical: mean(v.map((o) => o.typical)),
          },
        ]),
      ) as DayEvaluation["levels"],
    };
  });
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** The headline figures, one row per day and mode, as a Markdown table. */
export function evaluationTable(results: DayEvaluation[]): string {
  const lines = [
    "| day | mode | snapshots | withdrawals after D | ROC AUC | Brier | base-rate Brier | top 20 % capture |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const r of results) {
    lines.push(
      `| ${r.day} | ${r.mode} | ${r.count} | ${r.withdrawals} (${pct(r.baseRate)}) | ${r.auc.toFixed(3)} | ${r.brier.toFixed(4)} | ${r.baseRateBrier.toFixed(4)} | ${pct(r.top20Capture)} |`,
    );
  }
  return lines.join("\n");
}

/**
 * Per day: AUC within each module, the calibration deciles, and per level the observed rate beside
 * the mean predicted risk and the typical learner's risk at the same week (what the level is relative to).
 */
export function evaluationDetails(results: DayEvaluation[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const modules = Object.entries(r.moduleAuc)
      .map(([m, a]) => `${m} ${a.toFixed(3)}`)
      .join(", ");
    lines.push(`**Day ${r.day}, ${r.mode}.** AUC within each module: ${modules}.`, "");
    lines.push("| decile | learners | mean predicted | observed |", "| ---: | ---: | ---: | ---: |");
    for (const b of r.calibration)
      lines.push(`| ${b.decile} | ${b.count} | ${pct(b.meanPredicted)} | ${pct(b.observed)} |`);
    lines.push(
      "",
      "| level | learners | observed withdrawal | mean predicted | typical learner |",
      "| --- | ---: | ---: | ---: | ---: |",
    );
    for (const [level, v] of Object.entries(r.levels)) {
      const rates = v.count ? `${pct(v.observed)} | ${pct(v.meanPredicted)} | ${pct(v.meanTypical)}` : "- | - | -";
      lines.push(`| ${level} | ${v.count} | ${rates} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

export function evaluationMarkdown(results: DayEvaluation[]): string {
  return `${evaluationTable(results)}\n\n${evaluationDetails(results)}`;
}
