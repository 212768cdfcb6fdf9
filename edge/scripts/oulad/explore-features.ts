/**
 * `node scripts/oulad/explore-features.ts [dir]`: the feature search behind docs/risk-model.md.
 * Each candidate set is fitted (ridge logistic, the same as train.ts) leaving one module out at a
 * time and scored on that module; the pooled out-of-module ROC AUC at days 14, 28 and 56 is printed.
 * Calibration is left out here: it is a monotone map per fold and barely moves the AUC.
 *
 * Without options it tries the five model features plus each candidate alone. SETS='{"name":[...]}'
 * tries named feature sets instead; PER_DAY=1 fits one model per evaluation day on that day's
 * snapshots only; COEFFICIENTS=<set name>[,<set name>...] also prints those sets' in-sample weights
 * (to read signs); PER_MODULE=1 also prints each module's own AUC at days 28 and 56 (on the line
 * before the set's); WITHOUT_MODULES=GGG leaves modules out altogether. COHORT_SETS=1 tries the
 * cohort, study-load and assessment-kind candidates of the last search (cohortCandidates) as sets.
 * The figures are in docs/risk-model.md ("The feature search"). Not part of the product or the tests.
 */
import { writeFileSync } from "node:fs";
import { riskSignals } from "../../src/analytics/risk-features.ts";
import type { LearnerSnapshot } from "../../src/analytics/snapshot.ts";
import { type OuladTables, ouladCases, readOuladTables } from "./convert.ts";
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

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Candidates that need the learner's cohort (the other registrations of the same presentation) or
 * the module's own credit value, computed only from what the product would know on day D:
 * submissions dated on or before D, registrations made by D, and each presentation's credits.
 * Never a demographic column: the tables reader does not load them.
 */
function cohortCandidates(t: OuladTables, day: number): (s: LearnerSnapshot) => Values {
  const courseOf = new Map(t.assessments.map((a) => [a.id, `${a.module}-${a.presentation}`]));
  const kindOf = new Map(t.assessments.map((a) => [a.id, a.type]));
  const known = t.submissions.filter((x) => x.day <= day && !x.banked && courseOf.has(x.assessmentId));
  const scores = new Map<string, number[]>();
  const submitDays = new Map<string, number[]>();
  const mine = new Map<string, typeof known>();
  for (const x of known) {
    if (x.score !== null) push(scores, x.assessmentId, x.score);
    push(submitDays, x.assessmentId, x.day);
    const id = `${courseOf.get(x.assessmentId)}-${x.studentId}`;
    push(mine, id, x);
  }
  const scoreStats = new Map(
    [...scores].map(([id, xs]) => {
      const m = mean(xs);
      const sd = Math.sqrt(xs.reduce((a, v) => a + (v - m) ** 2, 0) / xs.length);
      return [id, { mean: m, sd: Math.max(sd, 5), n: xs.length }];
    }),
  );
  const medianDay = new Map([...submitDays].map(([id, xs]) => [id, median(xs)]));
  // Registration dates of everyone registered by day D (those who have left included: still known).
  const regDays = new Map<string, number[]>();
  const credits = new Map<string, number[]>();
  const registration = new Map<string, (typeof t.registrations)[number]>();
  for (const r of t.registrations) {
    const course = `${r.module}-${r.presentation}`;
    registration.set(`${course}-${r.studentId}`, r);
    push(credits, course, r.studiedCredits);
    if (r.registeredDay !== null && r.registeredDay <= day) push(regDays, course, r.registeredDay);
  }
  for (const xs of regDays.values()) xs.sort((a, b) => a - b);
  // The module's own credit value, a published course fact: the smallest or the most common load.
  const moduleCredits = new Map(
    [...credits].map(([course, xs]) => {
      const counts = new Map<number, number>();
      for (const c of xs) counts.set(c, (counts.get(c) ?? 0) + 1);
      const mode = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
      return [course, { min: Math.min(...xs.filter((c) => c > 0)), mode }];
    }),
  );

  return (s) => {
    const course = s.enrollments[0]!.courseId;
    const r = registration.get(s.learnerId)!;
    const subs = (mine.get(s.learnerId) ?? []).sort((a, b) => a.day - b.day);
    const scored = subs.filter((x) => x.score !== null && scoreStats.get(x.assessmentId)!.n >= 5);
    const gaps = scored.map((x) => scoreStats.get(x.assessmentId)!.mean - x.score!);
    const zs = scored.map(
      (x) => (scoreStats.get(x.assessmentId)!.mean - x.score!) / scoreStats.get(x.assessmentId)!.sd,
    );
    const tmaGaps = scored
      .filter((x) => kindOf.get(x.assessmentId) === "TMA")
      .map((x) => scoreStats.get(x.assessmentId)!.mean - x.score!);
    const timing = subs.map((x) => x.day - medianDay.get(x.assessmentId)!);
    const regs = regDays.get(course) ?? [];
    let regPercentile: number | null = null;
    if (r.registeredDay !== null && regs.length > 1) {
      const below = regs.filter((d) => d < r.registeredDay!).length;
      const same = regs.filter((d) => d === r.registeredDay).length;
      regPercentile = (below + (same - 1) / 2) / (regs.length - 1);
    }
    const own = moduleCredits.get(course)!;
    const load = r.studiedCredits;
    const tma = subs.filter((x) => x.score !== null && kindOf.get(x.assessmentId) === "TMA");
    const cma = subs.filter((x) => x.score !== null && kindOf.get(x.assessmentId) === "CMA");
    const allScored = subs.filter((x) => x.score !== null);
    const ownMean = allScored.length ? mean(allScored.map((x) => x.score!)) : null;
    const joined = Math.max(r.registeredDay ?? 0, 0);
    return {
      // 1. relative to the cohort
      scoreVsCohort: gaps.length ? mean(gaps) / 10 : null,
      scoreZVsCohort: zs.length ? mean(zs) : null,
      tmaScoreVsCohort: tmaGaps.length ? mean(tmaGaps) / 10 : null,
      submitVsCohort: timing.length ? mean(timing) / 7 : null,
      regPercentile,
      // 2. study load net of this module
      otherCreditsMin: Math.log1p(Math.max(0, load - own.min) / 60),
      otherCreditsMode: Math.log1p(Math.max(0, load - own.mode) / 60),
      otherModules: load > own.min ? 1 : 0,
      // the module's own credit value alone: a course fact, to see what the net load really adds
      moduleCreditsMin: Math.log(own.min / 60),
      moduleCreditsMode: Math.log(own.mode / 60),
      // the same ln(credits / 60) with its own slope below and above one 60-credit module
      lightLoad: Math.min(0, Math.log(Math.max(load, 10) / 60)),
      heavyLoad: Math.max(0, Math.log(Math.max(load, 10) / 60)),
      // 3. by assessment kind, recency of the last TMA, the wait before a first hand-in
      tmaShortfall: tma.length ? (70 - mean(tma.map((x) => x.score!))) / 10 : null,
      cmaShortfall: cma.length ? (70 - mean(cma.map((x) => x.score!))) / 10 : null,
      lastTmaDrop: tma.length && allScored.length >= 2 && ownMean !== null ? (ownMean - tma.at(-1)!.score!) / 10 : null,
      weeksToFirstSubmission: subs.length ? Math.min(Math.max(subs[0]!.day - joined, 0), 140) / 7 : null,
    };
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
// WITHOUT_MODULES=GGG,EEE drops those modules from fitting and scoring (is a gain one module's?)
const without = new Set((process.env.WITHOUT_MODULES ?? "").split(",").filter(Boolean));
const rows: Row[] = days.flatMap((day) => {
  const cohort = cohortCandidates(tables, day);
  const cases = ouladCases(tables, day).map((c) => ({
    x: { ...candidates(c.snapshot), ...cohort(c.snapshot) },
    y: c.withdrawsAfterDay,
    module: c.module,
    day,
    learnerId: c.snapshot.learnerId,
  }));
  // Centred on the learners of the same presentation still registered on day D (known on day D).
  for (const f of ["missedWork", "scoreShortfall"]) {
    const byCourse = new Map<string, number[]>();
    for (const r of cases) {
      const v = r.x[f];
      if (v === null || v === undefined) continue;
      const course = r.learnerId.split("-").slice(0, 2).join("-");
      push(byCourse, course, v);
    }
    for (const r of cases) {
      const v = r.x[f];
      const peers = byCourse.get(r.learnerId.split("-").slice(0, 2).join("-"));
      r.x[`${f}VsCohort`] = v === null || v === undefined || !peers ? null : v - mean(peers);
    }
  }
  return cases.filter((r) => !without.has(r.module));
});
const modules = [...new Set(rows.map((r) => r.module))].sort();

function cv(features: string[], ridge = 1, perDay = 0): Record<number, number> {
  const scored: { day: number; module: string; risk: number; withdrew: boolean }[] = [];
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
      scored.push({ day: r.day, module: m, risk: sigmoid(z), withdrew: r.y });
    }
  }
  if (process.env.PER_MODULE) {
    // within-module AUC at days 28 and 56: is a pooled gain spread over modules or one module's?
    const line = [28, 56].map(
      (d) =>
        `day ${d} ${modules.map((m) => `${m} ${rocAuc(scored.filter((s) => s.day === d && s.module === m)).toFixed(3)}`).join(" ")}`,
    );
    console.log(`  ${line.join(" | ")}`);
  }
  return Object.fromEntries([14, 28, 56].map((d) => [d, rocAuc(scored.filter((s) => s.day === d))]));
}

const BASE = ["missedWork", "lateWork", "scoreShortfall", "studyLoad", "courseWeek"];
const fmt = (r: Record<number, number>) => [14, 28, 56].map((d) => r[d]!.toFixed(3)).join(" / ");
const swap = (from: string, to: string[]) => BASE.flatMap((f) => (f === from ? to : [f]));
const COHORT = ["scoreVsCohort", "submitVsCohort", "regPercentile"];
const cohortSets: Record<string, string[]> = {
  base: BASE,
  ...Object.fromEntries(
    [
      ...["scoreVsCohort", "scoreZVsCohort", "tmaScoreVsCohort", "submitVsCohort", "regPercentile"],
      ...["missedWorkVsCohort", "scoreShortfallVsCohort", "otherCreditsMin", "otherCreditsMode", "otherModules"],
      ...["tmaShortfall", "cmaShortfall", "lastTmaDrop", "weeksToFirstSubmission"],
    ].map((k) => [`+${k}`, [...BASE, k]]),
  ),
  "1: +cohort three": [...BASE, ...COHORT],
  "1: score -> vs cohort": swap("scoreShortfall", ["scoreVsCohort"]),
  "1: score -> z vs cohort": swap("scoreShortfall", ["scoreZVsCohort"]),
  "1: missed+score centred": swap("missedWork", ["missedWorkVsCohort"]).map((f) =>
    f === "scoreShortfall" ? "scoreShortfallVsCohort" : f,
  ),
  "2: load -> other (min)": swap("studyLoad", ["otherCreditsMin"]),
  "2: load -> other (mode)": swap("studyLoad", ["otherCreditsMode"]),
  "2: load -> other + flag": swap("studyLoad", ["otherCreditsMin", "otherModules"]),
  "3: score -> TMA + CMA": swap("scoreShortfall", ["tmaShortfall", "cmaShortfall"]),
  "3: +last TMA +first wait": [...BASE, "lastTmaDrop", "weeksToFirstSubmission"],
  "load + other (mode)": [...BASE, "otherCreditsMode"],
  "score vs cohort + other (mode)": [...swap("scoreShortfall", ["scoreVsCohort"]), "otherCreditsMode"],
  "centred + other (mode)": [
    ...swap("missedWork", ["missedWorkVsCohort"]).map((f) => (f === "scoreShortfall" ? "scoreShortfallVsCohort" : f)),
    "otherCreditsMode",
  ],
  "+module credits (mode)": [...BASE, "moduleCreditsMode"],
  "+module credits (min)": [...BASE, "moduleCreditsMin"],
  "score vs cohort + module credits": [...swap("scoreShortfall", ["scoreVsCohort"]), "moduleCreditsMode"],
  "2: load -> light + heavy": swap("studyLoad", ["lightLoad", "heavyLoad"]),
  "score vs cohort + light/heavy": swap("studyLoad", ["lightLoad", "heavyLoad"]).map((f) =>
    f === "scoreShortfall" ? "scoreVsCohort" : f,
  ),
  "best of each family": [...swap("scoreShortfall", ["scoreVsCohort"]), "submitVsCohort", "otherCreditsMode"],
  "all new": [
    ...swap("studyLoad", ["otherCreditsMin"]),
    ...COHORT,
    "tmaShortfall",
    "cmaShortfall",
    "lastTmaDrop",
    "weeksToFirstSubmission",
  ],
};
const sets: Record<string, string[]> = JSON.parse(process.env.SETS ?? "null") ??
  (process.env.COHORT_SETS ? cohortSets : null) ?? {
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
  // the in-sample fit of each named set on every module, to read the signs
  for (const name of process.env.COEFFICIENTS.split(",")) printCoefficients(name, sets[name]!);
}
function printCoefficients(name: string, features: string[]) {
  console.log(name);
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
