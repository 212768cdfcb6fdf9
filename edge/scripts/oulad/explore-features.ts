/**
 * `node scripts/oulad/explore-features.ts [dir]`: the feature search behind docs/risk-model.md.
 * Each candidate set is fitted (ridge logistic, the same as train.ts) leaving one module out at a
 * time and scored on that module; the pooled out-of-module ROC AUC at days 14, 28 and 56 is printed.
 * Calibration is left out here: it is a monotone map per fold and barely moves the AUC.
 *
 * Without options it tries the five model features plus each candidate alone. SETS='{"name":[...]}'
 * tries named feature sets instead; PER_DAY=1 fits one model per evaluation day on that day's
 * snapshots only; COEFFICIENTS=<set name> also prints that set's in-sample weights (to read signs).
 * The figures are in docs/risk-model.md ("The feature search"). Not part of the product or the tests.
 */
import { writeFileSync } from "node:fs";
import { riskSignals } from "../../src/analytics/risk-features.ts";
import type { LearnerSnapshot } from "../../src/analytics/snapshot.ts";
import { ouladCases, readOuladTables } from "./convert.ts";
import { fitLogistic, sigmoid } from "./logistic.ts";
import { rocAuc } from "./metrics.ts";
import { defaultOuladDir } from "./paths.ts";
import { TRAINING_DAYS } from "./train.ts";

const DAY = 86_400_000;
type Values = Record<string, number | null>;

function candidates(s: LearnerSnapshot): Values {
  const base = riskSignals(s);
  const v = base.values;
  const asOf = Date.parse(s.asOf);
  const e = s.enrollments[0]!;
  const start = Date.parse(`${e.startDate}T00:00:00Z`);
  const submitted = (a: (typeof s.assessments)[number]) => a.submittedAt !== null && Date.parse(a.submittedAt) <= asOf;
  const work = s.assessments.filter((a) => a.kind !== "exam" && a.dueAt !== null);
  const due = work.filter((a) => Date.parse(a.dueAt!) <= asOf);
  const recentDue = due.filter((a) => Date.parse(a.dueAt!) > asOf - 14 * DAY);
  const recentMissed = recentDue.filter((a) => !submitted(a) && !a.banked);
  const subs = s.assessments.filter((a) => submitted(a) && !a.banked).map((a) => Date.parse(a.submittedAt!));
  const last = subs.length ? Math.max(...subs) : null;
  const scored = s.assessments
    .filter((a) => submitted(a) && !a.banked && a.score !== null)
    .sort((a, b) => Date.parse(a.submittedAt!) - Date.parse(b.submittedAt!));
  const mean = scored.length ? scored.reduce((t, a) => t + a.score!, 0) / scored.length : null;
  const firstDue = [...work].sort((a, b) => Date.parse(a.dueAt!) - Date.parse(b.dueAt!))[0];
  const firstKnown = firstDue && Date.parse(firstDue.dueAt!) <= asOf;
  const quizzes = due.filter((a) => a.kind === "quiz");
  const tmas = due.filter((a) => a.kind !== "quiz");
  const missedCount = due.filter((a) => !submitted(a) && !a.banked).length;
  const nextDue = work.filter((a) => Date.parse(a.dueAt!) > asOf).map((a) => Date.parse(a.dueAt!));
  const regLead = e.enrolledAt ? (start - Date.parse(e.enrolledAt)) / DAY : null;
  const early = due.filter((a) => submitted(a) && Date.parse(a.submittedAt!) < Date.parse(a.dueAt!) - 3 * DAY);
  const week = v.courseWeek;
  const dueWeightShare = work.reduce((t, a) => t + a.weight, 0);
  return {
    ...v,
    anyMissed: v.missedWork === null ? null : missedCount > 0 ? 1 : 0,
    missedCount: due.length ? Math.log1p(missedCount) : null,
    recentMissed: recentDue.length ? recentMissed.length / recentDue.length : null,
    silentDays: due.length ? Math.min(60, (asOf - (last ?? start)) / DAY) / 7 : null,
    silentSinceDue: due.length
      ? Math.max(0, Math.min(60, (asOf - Math.max(last ?? start, start)) / DAY) - 0) / 7
      : null,
    neverSubmitted: due.length ? (subs.length === 0 ? 1 : 0) : null,
    scoreTrend: scored.length >= 2 && mean !== null ? (mean - scored[scored.length - 1]!.score!) / 10 : null,
    firstMissed: firstKnown ? (submitted(firstDue) || firstDue.banked ? 0 : 1) : null,
    firstScore: firstKnown && submitted(firstDue) && firstDue.score !== null ? (70 - firstDue.score) / 10 : null,
    lowScore: mean === null ? null : mean < 40 ? 1 : 0,
    cmaMissed: quizzes.length ? quizzes.filter((a) => !submitted(a)).length / quizzes.length : null,
    tmaMissed: tmas.length ? tmas.filter((a) => !submitted(a) && !a.banked).length / tmas.length : null,
    regLead: regLead === null ? null : Math.min(Math.max(regLead, -30), 150) / 30,
    lateReg: regLead === null ? null : regLead < 0 ? 1 : 0,
    banked: s.assessments.some((a) => a.banked) ? 1 : 0,
    prevAttempts: Math.min(e.previousAttempts ?? 0, 3),
    nothingDueYet: due.length ? 0 : 1,
    daysToNextDue: nextDue.length ? Math.min(60, (Math.min(...nextDue) - asOf) / DAY) / 7 : null,
    earlyShare: due.length ? early.length / due.length : null,
    missedXweek: v.missedWork === null || week === null ? null : (v.missedWork * Math.min(week, 16)) / 8,
    loadXweek: v.studyLoad === null || week === null ? null : (v.studyLoad * Math.min(week, 16)) / 8,
    logWeek: week === null ? null : Math.log1p(week),
    dueWeightSoFar: dueWeightShare > 0 ? due.reduce((t, a) => t + a.weight, 0) / dueWeightShare : null,
    submittedWeightShare:
      dueWeightShare > 0
        ? due.filter((a) => submitted(a) || a.banked).reduce((t, a) => t + a.weight, 0) / dueWeightShare
        : null,
    missedHalf: v.missedWork === null ? null : v.missedWork >= 0.5 ? 1 : 0,
    scoreBelow40: mean === null ? null : mean < 40 ? 1 : 0,
    scoreBelow60: mean === null ? null : mean < 60 ? 1 : 0,
    credits120: e.studiedCredits === undefined ? null : e.studiedCredits >= 120 ? 1 : 0,
    creditsLinear: e.studiedCredits === undefined ? null : Math.min(e.studiedCredits, 240) / 60,
    weekEarly: week === null ? null : Math.min(week, 4),
    latestMissed: due.length
      ? (() => {
          const latest = [...due].sort((a, b) => Date.parse(b.dueAt!) - Date.parse(a.dueAt!))[0]!;
          return submitted(latest) || latest.banked ? 0 : 1;
        })()
      : null,
    missedGradeShare:
      dueWeightShare > 0 ? due.filter((a) => !submitted(a) && !a.banked).reduce((t, a) => t + a.weight, 0) / 100 : null,
    submittedCount: Math.log1p(subs.length),
    highLoad: e.studiedCredits === undefined ? null : e.studiedCredits > 90 ? 1 : 0,
  };
}

interface Row {
  x: Values;
  y: boolean;
  module: string;
  day: number;
  learnerId: string;
}

const dir = process.argv[2] ?? defaultOuladDir;
const tables = readOuladTables(dir);
const days = [...new Set([...TRAINING_DAYS])];
const rows: Row[] = days.flatMap((day) =>
  ouladCases(tables, day).map((c) => ({
    x: candidates(c.snapshot),
    y: c.withdrawsAfterDay,
    module: c.module,
    day,
    learnerId: c.snapshot.learnerId,
  })),
);
const modules = [...new Set(rows.map((r) => r.module))].sort();

function cv(features: string[], ridge = 1, perDay = 0): Record<number, number> {
  const scored: { day: number; risk: number; withdrew: boolean }[] = [];
  for (const m of modules) {
    const train = rows.filter((r) => r.module !== m && (!perDay || r.day === perDay));
    const refs = features.map((f) => {
      const known = train.map((r) => r.x[f]).filter((v): v is number => v !== null && v !== undefined);
      return known.length ? known.reduce((a, b) => a + b, 0) / known.length : 0;
    });
    const X = (r: Row) => features.map((f, j) => (r.x[f] ?? refs[j]!) - refs[j]!);
    const fit = fitLogistic(
      train.map(X),
      train.map((r) => r.y),
      ridge,
    );
    for (const r of rows) {
      if (r.module !== m || ![14, 28, 56].includes(r.day) || (perDay && r.day !== perDay)) continue;
      const z = X(r).reduce((t, x, j) => t + x * fit.coefficients[j]!, fit.intercept);
      scored.push({ day: r.day, risk: sigmoid(z), withdrew: r.y });
    }
  }
  return Object.fromEntries([14, 28, 56].map((d) => [d, rocAuc(scored.filter((s) => s.day === d))]));
}

const BASE = ["missedWork", "lateWork", "scoreShortfall", "studyLoad", "courseWeek"];
const fmt = (r: Record<number, number>) => [14, 28, 56].map((d) => r[d]!.toFixed(3)).join(" / ");
const sets: Record<string, string[]> = JSON.parse(process.env.SETS ?? "null") ?? {
  base: BASE,
  ...Object.fromEntries(
    Object.keys(rows[0]!.x)
      .filter((k) => !BASE.includes(k))
      .map((k) => [`+${k}`, [...BASE, k]]),
  ),
};
if (process.env.EXPORT_CSV) {
  // every candidate for every snapshot, for a model-free ceiling check outside this script
  const names = Object.keys(rows[0]!.x);
  const lines = [["module", "day", "withdrew", "learner", ...names].join(",")];
  for (const r of rows)
    lines.push([r.module, r.day, r.y ? 1 : 0, r.learnerId, ...names.map((n) => r.x[n] ?? "")].join(","));
  writeFileSync(process.env.EXPORT_CSV, `${lines.join("\n")}\n`);
}
if (process.env.COEFFICIENTS) {
  // the in-sample fit of one set on every module, to read the signs
  const features = sets[process.env.COEFFICIENTS]!;
  const refs = features.map((f) => {
    const known = rows.map((r) => r.x[f]).filter((v): v is number => v !== null && v !== undefined);
    return known.reduce((a, b) => a + b, 0) / known.length;
  });
  const fit = fitLogistic(
    rows.map((r) => features.map((f, j) => (r.x[f] ?? refs[j]!) - refs[j]!)),
    rows.map((r) => r.y),
    1,
  );
  for (const [j, f] of features.entries()) {
    console.log(`  ${f.padEnd(20)} ${fit.coefficients[j]!.toFixed(3)} (ref ${refs[j]!.toFixed(3)})`);
  }
}
for (const [name, features] of Object.entries(sets)) {
  if (process.env.PER_DAY) {
    // one model per evaluation day, fitted on that day's snapshots only
    const byDay = Object.fromEntries([14, 28, 56].map((d) => [d, cv(features, 1, d)[d]!]));
    console.log(`${name.padEnd(28)} ${fmt(byDay)} (one model per day)`);
  } else console.log(`${name.padEnd(28)} ${fmt(cv(features))}`);
}
