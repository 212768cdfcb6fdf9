/**
 * The learner snapshot: the normalised upstream data for one learner at one moment, and the only
 * input of the analytics (velocity, drop-off risk, forecast). The BFF builds it from the nine
 * services; the OULAD converter builds it from the public dataset; `ms8 risk` reads it as JSON lines.
 * One format for all three is what lets the API, the CLI and the validated model agree.
 *
 * Stability: version 1 only grows by optional fields. Instants are ISO 8601 with an offset (`Z` or
 * `+01:00`); calendar dates (`YYYY-MM-DD`) are in the learner's time zone. Every day count the
 * analytics make uses `timeZone`, so a snapshot taken across a daylight-saving change counts days
 * the way the learner lived them.
 *
 * The snapshot carries only what was known at `asOf`: nothing submitted, completed or done after it.
 * The JSON schema is `learnerSnapshotJsonSchema()` (committed as learner-snapshot.schema.json).
 */
import { z } from "zod";

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, "an id: 1-128 letters, digits, _ . : or -");
/** Same rule as the API's LearnerId / OrgId (contract.ts), so every snapshot id is a valid API id. */
const learnerOrOrgId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "1-64 letters, digits, _ or -");
const instant = z.iso.datetime({ offset: true });
const localDate = z.iso.date();

/** An IANA zone name that this runtime's Intl knows (Europe/London, America/New_York, UTC). */
export const TimeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: "an IANA time zone such as Europe/London" },
);

export const CompletedUnit = z
  .object({
    unitId: id,
    completedAt: instant,
  })
  .meta({ description: "A unit (lesson, module section) the learner finished, and when." });

export const Enrollment = z
  .object({
    courseId: id,
    startDate: localDate.describe("Local calendar date the course (or presentation) starts for this learner."),
    dueDate: localDate
      .nullable()
      .describe("Local calendar date by which the course should be finished; null when open-ended."),
    unitsTotal: z.number().int().nonnegative().describe("Units the course has in all."),
    unitsCompleted: z.array(CompletedUnit).describe("Units finished by `asOf`, each with its completion moment."),
    enrolledAt: instant
      .nullable()
      .optional()
      .describe("When the learner registered; may precede startDate (early registration)."),
    previousAttempts: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe("Earlier attempts at this course (OULAD num_of_prev_attempts)."),
    studiedCredits: z
      .number()
      .nonnegative()
      .optional()
      .describe("Study load taken on alongside this course, in credits (OULAD studied_credits)."),
  })
  .meta({ description: "One course the learner is enrolled in and has not left by asOf." });

export const AssessmentAttempt = z
  .object({
    assessmentId: id,
    courseId: id,
    title: z
      .string()
      .max(200)
      .optional()
      .describe('What people call the assessment ("Assignment 2"); lets advice name the work, never its id.'),
    kind: z.enum(["assignment", "quiz", "exam", "project"]).optional(),
    dueAt: instant
      .nullable()
      .describe("When it is due; null when the course sets no date (e.g. an exam date not yet published)."),
    submittedAt: instant.nullable().describe("When the learner submitted it; null when not submitted by asOf."),
    score: z.number().min(0).max(100).nullable().describe("Score 0-100; null when not submitted or not yet marked."),
    weight: z.number().min(0).max(100).describe("Share of the course grade, in percent (0-100)."),
    banked: z
      .boolean()
      .optional()
      .describe("Credit carried over from an earlier attempt rather than submitted in this one."),
  })
  .meta({
    description: "An assessment of an enrolled course, with the learner's attempt if any (one row per assessment).",
  });

export const ActivityEvent = z
  .object({
    at: instant,
    kind: z.enum(["lesson", "assessment", "lab", "login", "content", "other"]).optional(),
    minutes: z.number().nonnegative().optional(),
  })
  .meta({ description: "A moment the learner was active in the product." });

export const LearnerSnapshot = z
  .object({
    schemaVersion: z.literal(1),
    learnerId: learnerOrOrgId,
    orgId: learnerOrOrgId,
    timeZone: TimeZone.describe("IANA time zone of the learner: the calendar every day count is made in."),
    asOf: instant.describe("The moment the snapshot describes; nothing after it is in it."),
    enrollments: z.array(Enrollment),
    assessments: z.array(AssessmentAttempt),
    activity: z.array(ActivityEvent),
    source: z.string().optional().describe('Where the data came from ("upstream", "oulad", ...), for tracing only.'),
  })
  .meta({
    title: "LearnerSnapshot",
    description:
      "MS8 learner snapshot v1: one learner's normalised learning data as known at asOf. " +
      "Instants carry an offset; dates are local to timeZone.",
  });

export type LearnerSnapshot = z.infer<typeof LearnerSnapshot>;
export type Enrollment = z.infer<typeof Enrollment>;
export type AssessmentAttempt = z.infer<typeof AssessmentAttempt>;
export type ActivityEvent = z.infer<typeof ActivityEvent>;

/** The JSON schema (draft 2020-12) of a snapshot, for producers outside TypeScript. */
export function learnerSnapshotJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(LearnerSnapshot, { io: "input" }) as Record<string, unknown>;
}
