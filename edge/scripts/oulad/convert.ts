/**
 * OULAD tables -> MS8 learner snapshots as of day D of each presentation.
 *
 * Only what was known at the end of day D goes into a snapshot: registrations made by then,
 * submissions dated on or before D, and the published assessment schedule (due dates and weights
 * are set before a presentation starts). A registration that had ended by the end of day D is left
 * out: that learner has already gone, there is nothing left to predict. The outcome ("withdraws
 * after day D") is returned beside the snapshots, never inside them.
 *
 * Days are counted from a fixed start date per presentation (`presentationStart`), in
 * Europe/London: OULAD day n is the local calendar date start + n, events are placed at local noon.
 *
 * Demographic columns (gender, region, highest_education, imd_band, age_band, disability) are never
 * read: the row objects below pick the columns they need by name.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { addDays, formatWithOffset, zonedInstant } from "../../src/analytics/calendar.ts";
import type { AssessmentAttempt, LearnerSnapshot } from "../../src/analytics/snapshot.ts";

export const OULAD_TIME_ZONE = "Europe/London";
export const OULAD_ORG_ID = "oulad";

export interface OuladCourse {
  module: string;
  presentation: string;
  lengthDays: number;
}
export interface OuladAssessment {
  id: string;
  module: string;
  presentation: string;
  type: string;
  dueDay: number | null;
  weight: number;
}
export interface OuladSubmission {
  assessmentId: string;
  studentId: string;
  day: number;
  banked: boolean;
  score: number | null;
}
export interface OuladRegistration {
  module: string;
  presentation: string;
  studentId: string;
  registeredDay: number | null;
  unregisteredDay: number | null;
  previousAttempts: number;
  studiedCredits: number;
}
export interface OuladTables {
  courses: OuladCourse[];
  assessments: OuladAssessment[];
  submissions: OuladSubmission[];
  registrations: OuladRegistration[];
}

type Row = Record<string, string>;

function readCsv(dir: string, file: string): Row[] {
  const text = readFileSync(join(dir, file), "utf8");
  return parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Row[];
}

/** A number, or null for an empty / "?" cell (the original release writes "?" for unknown). */
function num(cell: string | undefined): number | null {
  if (cell === undefined || cell === "" || cell === "?") return null;
  const n = Number(cell);
  return Number.isFinite(n) ? n : null;
}

function need(row: Row, column: string, file: string): string {
  const v = row[column];
  if (v === undefined) throw new Error(`${file}: missing column "${column}"`);
  return v;
}

/** Reads the five OULAD tables this model may use from a directory (clickstream not needed). */
export function readOuladTables(dir: string): OuladTables {
  const courses = readCsv(dir, "courses.csv").map((r) => ({
    module: need(r, "code_module", "courses.csv"),
    presentation: need(r, "code_presentation", "courses.csv"),
    lengthDays: num(need(r, "module_presentation_length", "courses.csv")) ?? 0,
  }));
  const assessments = readCsv(dir, "assessments.csv").map((r) => ({
    id: need(r, "id_assessment", "assessments.csv"),
    module: need(r, "code_module", "assessments.csv"),
    presentation: need(r, "code_presentation", "assessments.csv"),
    type: need(r, "assessment_type", "assessments.csv"),
    dueDay: num(r.date),
    weight: num(r.weight) ?? 0,
  }));
  const submissions = readCsv(dir, "studentAssessment.csv").flatMap((r) => {
    const day = num(r.date_submitted);
    if (day === null) return [];
    const score = num(r.score);
    return [
      {
        assessmentId: need(r, "id_assessment", "studentAssessment.csv"),
        studentId: need(r, "id_student", "studentAssessment.csv"),
        day,
        banked: r.is_banked === "1",
        score: score === null ? null : Math.min(100, Math.max(0, score)),
      },
    ];
  });
  // Registration facts come from two files; only the non-demographic columns are taken.
  const info = new Map<string, { previousAttempts: number; studiedCredits: number }>();
  for (const r of readCsv(dir, "studentInfo.csv")) {
    const key = `${r.code_module}-${r.code_presentation}-${r.id_student}`;
    info.set(key, {
      previousAttempts: num(r.num_of_prev_attempts) ?? 0,
      studiedCredits: num(r.studied_credits) ?? 0,
    });
  }
  const registrations = readCsv(dir, "studentRegistration.csv").map((r) => {
    const module = need(r, "code_module", "studentRegistration.csv");
    const presentation = need(r, "code_presentation", "studentRegistration.csv");
    const studentId = need(r, "id_student", "studentRegistration.csv");
    const facts = info.get(`${module}-${presentation}-${studentId}`);
    return {
      module,
      presentation,
      studentId,
      registeredDay: num(r.date_registration),
      unregisteredDay: num(r.date_unregistration),
      previousAttempts: facts?.previousAttempts ?? 0,
      studiedCredits: facts?.studiedCredits ?? 0,
    };
  });
  return { courses, assessments, submissions, registrations };
}

/**
 * Day 0 of a presentation. OULAD gives no calendar dates, only the code: "B" presentations start
 * in February, "J" in October. We fix the 1st of that month, which puts the October 2013 clock
 * change inside the J presentations' first weeks and the March one inside the B presentations.
 */
export function presentationStart(presentation: string): string {
  const m = /^(\d{4})([BJ])$/.exec(presentation);
  if (!m) throw new Error(`unknown OULAD presentation code "${presentation}" (expected e.g. 2013B or 2014J)`);
  return `${m[1]}-${m[2] === "B" ? "02" : "10"}-01`;
}

const kinds: Record<string, AssessmentAttempt["kind"]> = { TMA: "assignment", CMA: "quiz", Exam: "exam" };

export function ouladLearnerId(r: { module: string; presentation: string; studentId: string }): string {
  return `${r.module}-${r.presentation}-${r.studentId}`;
}

export interface OuladCase {
  snapshot: LearnerSnapshot;
  /** Module code, for cross-validation by module. */
  module: string;
  /** True when the registration ends (withdrawal) after day D. Not part of the snapshot. */
  withdrawsAfterDay: boolean;
}

/** Snapshots as of the end of day `day`, with each registration's outcome beside it. */
export function ouladCases(tables: OuladTables, day: number): OuladCase[] {
  const tz = OULAD_TIME_ZONE;
  const courseByKey = new Map(tables.courses.map((c) => [`${c.module}-${c.presentation}`, c]));
  const assessmentsByCourse = new Map<string, OuladAssessment[]>();
  for (const a of tables.assessments) {
    const key = `${a.module}-${a.presentation}`;
    assessmentsByCourse.set(key, [...(assessmentsByCourse.get(key) ?? []), a]);
  }
  const assessmentCourse = new Map(tables.assessments.map((a) => [a.id, `${a.module}-${a.presentation}`]));
  // submissions known by the end of day D, keyed by learner id then assessment id
  const submitted = new Map<string, Map<string, OuladSubmission>>();
  for (const s of tables.submissions) {
    if (s.day > day) continue;
    const course = assessmentCourse.get(s.assessmentId);
    if (!course) continue;
    const learnerId = `${course}-${s.studentId}`;
    const mine = submitted.get(learnerId) ?? new Map<string, OuladSubmission>();
    submitted.set(learnerId, mine);
    mine.set(s.assessmentId, s);
  }

  // Local noon of day n of a presentation, as an instant with its offset (memoised: formatting is slow).
  const noon = new Map<string, string>();
  const at = (start: string, n: number): string => {
    const key = `${start}:${n}`;
    const known = noon.get(key);
    if (known !== undefined) return known;
    const value = formatWithOffset(zonedInstant(addDays(start, n), "12:00", tz), tz);
    noon.set(key, value);
    return value;
  };

  const cases: OuladCase[] = [];
  for (const r of tables.registrations) {
    if (r.registeredDay !== null && r.registeredDay > day) continue; // not registered yet on day D
    if (r.unregisteredDay !== null && r.unregisteredDay <= day) continue; // already gone by end of day D
    const courseId = `${r.module}-${r.presentation}`;
    const course = courseByKey.get(courseId);
    if (!course) continue;
    const start = presentationStart(r.presentation);
    const learnerId = ouladLearnerId(r);
    const mine = submitted.get(learnerId) ?? new Map<string, OuladSubmission>();
    const assessments: AssessmentAttempt[] = (assessmentsByCourse.get(courseId) ?? []).map((a) => {
      const s = mine.get(a.id);
      return {
        assessmentId: a.id,
        courseId,
        kind: kinds[a.type] ?? "assignment",
        dueAt: a.dueDay === null ? null : at(start, a.dueDay),
        submittedAt: s ? at(start, s.day) : null,
        score: s ? s.score : null,
        weight: Math.min(100, Math.max(0, a.weight)),
        ...(s?.banked ? { banked: true } : {}),
      };
    });
    const snapshot: LearnerSnapshot = {
      schemaVersion: 1,
      learnerId,
      orgId: OULAD_ORG_ID,
      timeZone: tz,
      asOf: formatWithOffset(zonedInstant(addDays(start, day), "23:59:59", tz), tz),
      enrollments: [
        {
          courseId,
          startDate: start,
          dueDate: addDays(start, course.lengthDays),
          // OULAD has no lesson-level progress: the course's units are unknown, not zero done.
          unitsTotal: 0,
          unitsCompleted: [],
          enrolledAt: r.registeredDay === null ? null : at(start, r.registeredDay),
          previousAttempts: r.previousAttempts,
          studiedCredits: r.studiedCredits,
        },
      ],
      assessments,
      activity: [...mine.values()]
        .filter((s) => !s.banked)
        .sort((a, b) => a.day - b.day)
        .map((s) => ({ at: at(start, s.day), kind: "assessment" as const })),
      source: "oulad",
    };
    cases.push({ snapshot, module: r.module, withdrawsAfterDay: r.unregisteredDay !== null });
  }
  return cases;
}
