/**
 * The ingestion format: `{events: [...]}`, up to MAX_BATCH events of
 * `{eventId (uuid), learnerId, orgId, type, occurredAt, data}`. The envelope is checked whole;
 * each event separately, so one bad event never costs the rest of the batch.
 */
import { z } from "@hono/zod-openapi";
import { LearnerId, OrgId } from "../contract.ts";
import { EVENT_TYPES } from "../gamification/rules.ts";
import { isStorableText } from "../store/storable-text.ts";

export const MAX_BATCH = 500;
/** Clock skew we tolerate on occurredAt before calling an event "from the future". */
export const FUTURE_SKEW_MS = 5 * 60_000;

const id = z.string().min(1).max(128);
const score = z.number().min(0).max(100);

/** What each event type must carry in `data` (other fields are kept as sent). */
export const EVENT_DATA = {
  lesson_completed: z.looseObject({ courseId: id, unitId: id.optional(), lessonId: id.optional() }),
  assessment_passed: z.looseObject({ assessmentId: id, score, courseId: id.optional() }),
  assessment_failed: z.looseObject({ assessmentId: id, score, courseId: id.optional() }),
  course_completed: z.looseObject({ courseId: id }),
  devlab_session: z.looseObject({
    minutes: z
      .number()
      .min(0)
      .max(24 * 60),
    sessionId: id.optional(),
    courseId: id.optional(),
  }),
  login: z.looseObject({}),
} satisfies Record<(typeof EVENT_TYPES)[number], z.ZodType>;

/**
 * Where an event holds text PostgreSQL cannot store (jsonb and text refuse NUL, and JSON with a lone
 * surrogate half), as a path into the event; null when all of it is storable. Keys count too.
 * Without this check one such string made the database refuse the whole batch, every retry.
 */
export function unstorableTextAt(value: unknown): (string | number)[] | null {
  const bad = (text: string) => !isStorableText(text);
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { value: v, path } = item;
    if (typeof v === "string") {
      if (bad(v)) return path;
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => void stack.push({ value: x, path: [...path, i] }));
    } else if (v && typeof v === "object") {
      for (const [key, x] of Object.entries(v)) {
        if (bad(key)) return path;
        stack.push({ value: x, path: [...path, key] });
      }
    }
  }
  return null;
}

export const EventInput = z
  .object({
    eventId: z.uuid(),
    learnerId: LearnerId,
    orgId: OrgId,
    type: z.string().min(1).max(64),
    occurredAt: z.iso.datetime({ offset: true }),
    data: z.record(z.string(), z.unknown()).default({}),
    /** Set by the xAPI mapping; native events are "api". */
    source: z.enum(["api", "xapi"]).optional(),
  })
  .superRefine((event, ctx) => {
    const at = unstorableTextAt(event);
    if (at) {
      ctx.addIssue({ code: "custom", path: at, message: "text must be valid Unicode without NUL characters" });
    }
  })
  .openapi("ActivityEvent", {
    description: `One learning event. type is one of ${EVENT_TYPES.join(", ")}; data depends on the type (docs/gamification.md).`,
    example: {
      eventId: "7d0f4c1e-2b7a-4f7e-9c55-2f3f5d6a8b90",
      learnerId: "lrn-aurora-001",
      orgId: "org-aurora",
      type: "lesson_completed",
      occurredAt: "2026-01-05T10:00:00+01:00",
      data: { courseId: "crs-aurora-01", unitId: "crs-aurora-01-u01" },
    },
  });

export const EventBatch = z
  .object({
    events: z.array(z.unknown()).max(MAX_BATCH, `at most ${MAX_BATCH} events per request`).optional(),
    /** xAPI statements (completed, passed, failed, attempted), mapped to the same events. */
    statements: z.array(z.unknown()).max(MAX_BATCH, `at most ${MAX_BATCH} statements per request`).optional(),
  })
  .superRefine((batch, ctx) => {
    if (!batch.events && !batch.statements) {
      ctx.addIssue({ code: "custom", path: ["events"], message: "an events array (or xAPI statements) is required" });
    }
    if ((batch.events?.length ?? 0) + (batch.statements?.length ?? 0) > MAX_BATCH) {
      ctx.addIssue({ code: "custom", path: ["events"], message: `at most ${MAX_BATCH} events per request` });
    }
  })
  .openapi("EventBatch");

export const RejectionReason = z.enum(["malformed", "unknown_type", "unknown_learner", "wrong_org"]);
export type RejectionReason = z.infer<typeof RejectionReason>;

export const Rejection = z.object({
  /** Position in the batch, so events without a readable id can be found. */
  index: z.number().int().nonnegative(),
  eventId: z.string().nullable(),
  reason: RejectionReason,
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type Rejection = z.infer<typeof Rejection>;

export const IngestSummary = z
  .object({
    accepted: z.number().int().nonnegative(),
    duplicates: z.number().int().nonnegative(),
    rejected: z.number().int().nonnegative(),
    rejections: z.array(Rejection),
  })
  .openapi("IngestSummary");
export type IngestSummary = z.infer<typeof IngestSummary>;
