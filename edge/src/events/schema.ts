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

/** How deep an event's data may nest: far beyond any real event, well before JSON.stringify's limit. */
export const MAX_DATA_DEPTH = 32;

/**
 * Where an event holds text PostgreSQL cannot store (jsonb and text refuse NUL, and JSON with a lone
 * surrogate half) or nests deeper than MAX_DATA_DEPTH, as a path into the event, with the reason;
 * null when all of it is storable. Keys count too. Without this one such string made the database
 * refuse the whole batch with "retry", every retry. Linear in the size of the event: the path is
 * built only for the value found.
 */
export function unstorableTextAt(value: unknown): { path: (string | number)[]; message: string } | null {
  type Frame = { value: unknown; key: string | number | null; parent: Frame | null; depth: number };
  const pathOf = (frame: Frame) => {
    const path: (string | number)[] = [];
    for (let f: Frame | null = frame; f && f.key !== null; f = f.parent) path.unshift(f.key);
    return path;
  };
  const TEXT = "text must be valid Unicode without NUL characters";
  const stack: Frame[] = [{ value, key: null, parent: null, depth: 0 }];
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    const v = frame.value;
    if (typeof v === "string") {
      if (!isStorableText(v)) return { path: pathOf(frame), message: TEXT };
    } else if (v && typeof v === "object") {
      if (frame.depth >= MAX_DATA_DEPTH) {
        return { path: pathOf(frame), message: `nested deeper than ${MAX_DATA_DEPTH} levels` };
      }
      const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
      for (const [key, x] of entries) {
        const child = { value: x, key, parent: frame, depth: frame.depth + 1 };
        if (typeof key === "string" && !isStorableText(key)) return { path: pathOf(frame), message: TEXT };
        stack.push(child);
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
    const found = unstorableTextAt(event);
    if (found) ctx.addIssue({ code: "custom", path: found.path, message: found.message });
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
