/**
 * xAPI statements as MS8 events, so a learning record store can post what it already has:
 * `completed` (a lesson or module; a course), `passed` and `failed` (an assessment) and
 * `attempted` (a DevLab session, with its duration) map to the same events as the native format;
 * other verbs are rejected as unknown types. The learner is `actor.account.name`, the organization
 * the context extension ORG_EXTENSION.
 */
import { z } from "@hono/zod-openapi";

export const XAPI_VERBS = {
  completed: "http://adlnet.gov/expapi/verbs/completed",
  passed: "http://adlnet.gov/expapi/verbs/passed",
  failed: "http://adlnet.gov/expapi/verbs/failed",
  attempted: "http://adlnet.gov/expapi/verbs/attempted",
} as const;
export const ORG_EXTENSION = "https://ms8.dev/xapi/extensions/org-id";
export const COURSE_EXTENSION = "https://ms8.dev/xapi/extensions/course-id";
const ACTIVITY = "http://adlnet.gov/expapi/activities/";

export const XapiStatement = z
  .object({
    id: z.uuid(),
    actor: z.object({ account: z.object({ homePage: z.string().optional(), name: z.string() }) }),
    verb: z.object({ id: z.string() }),
    object: z.object({
      id: z.string(),
      definition: z.object({ type: z.string().optional() }).optional(),
    }),
    result: z
      .object({
        score: z.object({ scaled: z.number().min(-1).max(1) }).optional(),
        success: z.boolean().optional(),
        duration: z.string().optional(),
      })
      .optional(),
    context: z.object({ extensions: z.record(z.string(), z.unknown()) }),
    timestamp: z.iso.datetime({ offset: true }),
  })
  .openapi("XapiStatement");

/** ISO 8601 duration (PT1H30M, PT45M10S) in minutes; null when it is not one. */
export function durationMinutes(duration: string): number | null {
  const m = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
    duration,
  );
  if (!m || duration === "P" || duration.endsWith("T")) return null;
  const [, d = "0", h = "0", min = "0", s = "0"] = m;
  return Number(d) * 1440 + Number(h) * 60 + Number(min) + Number(s) / 60;
}

const lastSegment = (iri: string) => iri.replace(/\/+$/, "").split("/").at(-1) ?? iri;

/**
 * The native event for a statement, or the statement itself untouched when it is not valid xAPI
 * of a known shape (the native validation then rejects it with its reason).
 */
export function eventFromStatement(raw: unknown): unknown {
  const parsed = XapiStatement.safeParse(raw);
  if (!parsed.success) return raw;
  const s = parsed.data;
  const activity = s.object.definition?.type?.replace(ACTIVITY, "") ?? "";
  const courseExtension = s.context.extensions[COURSE_EXTENSION];
  const courseId = typeof courseExtension === "string" ? courseExtension : undefined;
  const score = s.result?.score ? Math.round(Math.max(0, s.result.score.scaled) * 10_000) / 100 : undefined;
  const base = {
    eventId: s.id,
    learnerId: s.actor.account.name,
    orgId: s.context.extensions[ORG_EXTENSION],
    occurredAt: s.timestamp,
    source: "xapi" as const,
  };
  switch (s.verb.id) {
    case XAPI_VERBS.completed:
      if (activity === "course")
        return { ...base, type: "course_completed", data: { courseId: lastSegment(s.object.id) } };
      return { ...base, type: "lesson_completed", data: { courseId, unitId: lastSegment(s.object.id) } };
    case XAPI_VERBS.passed:
    case XAPI_VERBS.failed:
      return {
        ...base,
        type: s.verb.id === XAPI_VERBS.passed ? "assessment_passed" : "assessment_failed",
        data: { assessmentId: lastSegment(s.object.id), score, courseId },
      };
    case XAPI_VERBS.attempted: {
      const minutes = s.result?.duration ? durationMinutes(s.result.duration) : null;
      return { ...base, type: "devlab_session", data: { sessionId: lastSegment(s.object.id), minutes, courseId } };
    }
    default:
      return { ...base, type: `xapi:${s.verb.id}`, data: {} };
  }
}
