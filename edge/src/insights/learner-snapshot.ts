/**
 * Builds one learner's snapshot (edge/src/analytics/snapshot.ts) from the platform services.
 * Independent calls run in parallel. Directory, Course Builder, Content Studio and Assessment are
 * required: without them the numbers would be wrong, so their failure fails the snapshot and the
 * fallback chain takes over. DevLab, Auth logins and the RAG Assistant only add activity days; when
 * one of them fails the snapshot is built without it and says so in `missingSources`.
 */
import { type ActivityEvent, LearnerSnapshot } from "../analytics/snapshot.ts";
import type { Upstreams } from "../upstream/clients.ts";
import { UpstreamError } from "../upstream/errors.ts";
import type { Attempts, DirectoryUser, Enrollments, LabSessions, Progress } from "../upstream/schemas.ts";
import type { CallOptions } from "../upstream/service-caller.ts";

type Answer<K extends keyof Upstreams, M extends keyof Upstreams[K]> = Upstreams[K][M] extends (
  ...args: never[]
) => Promise<infer T>
  ? T
  : never;

/** An optional source's answer, or why it is missing (a plain string, so it survives a KV round trip). */
export type OptionalAnswer<T> = { ok: true; value: T } | { ok: false; failure: string };

/**
 * The learner's own answers from the services a snapshot needs beyond the Directory user and the
 * enrollments. Every one is keyed by the learner alone, so all five start together, without
 * waiting for the enrollments (docs/upstreams.md).
 */
export interface SnapshotSources {
  progress: Progress | null;
  attempts: Attempts | null;
  labs: OptionalAnswer<LabSessions | null>;
  logins: OptionalAnswer<Answer<"auth", "logins">>;
  questions: OptionalAnswer<Answer<"rag", "questions">>;
}

/** Starts the five learner-keyed calls at once; a required one failing rejects the whole. */
export async function fetchSnapshotSources(
  upstreams: Pick<Upstreams, "content" | "assessment" | "devlab" | "auth" | "rag">,
  learnerId: string,
  call: CallOptions,
): Promise<SnapshotSources> {
  const optional = <T>(work: Promise<T>): Promise<OptionalAnswer<T>> =>
    work.then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, failure: error instanceof Error ? error.message : String(error) }),
    );
  const [progress, attempts, labs, logins, questions] = await Promise.all([
    upstreams.content.progress(learnerId, call),
    upstreams.assessment.attempts(learnerId, call),
    optional(upstreams.devlab.sessions(learnerId, call)),
    optional(upstreams.auth.logins(learnerId, call)),
    optional(upstreams.rag.questions(learnerId, call)),
  ]);
  return { progress, attempts, labs, logins, questions };
}

export interface GatherOptions {
  asOf: Date;
  signal?: AbortSignal;
  requestId?: string;
  /** The Directory user and enrollments, when the caller already holds them (shared with profile()). */
  user: () => Promise<DirectoryUser | null>;
  enrollments: () => Promise<Enrollments>;
  /**
   * The learner-keyed answers, possibly already in flight since authorization began; by default
   * fetchSnapshotSources, started together with the other two.
   */
  sources?: () => Promise<SnapshotSources>;
}

export interface GatheredSnapshot {
  snapshot: LearnerSnapshot;
  /** The Directory's entry of the learner (for the MS8 mirror). */
  user: DirectoryUser;
  /** Optional sources that failed; the snapshot lacks their activity. */
  missingSources: string[];
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** null when the Directory knows no learner with this id. */
export async function gatherLearnerSnapshot(
  upstreams: Pick<Upstreams, "content" | "assessment" | "devlab" | "auth" | "rag">,
  learnerId: string,
  options: GatherOptions,
): Promise<GatheredSnapshot | null> {
  const call = { signal: options.signal, requestId: options.requestId };
  const sources = options.sources ?? (() => fetchSnapshotSources(upstreams, learnerId, call));
  // Three independent fetches, all started at once; none waits for another's answer.
  const [user, enrollments, { progress, attempts, labs, logins, questions }] = await Promise.all([
    options.user(),
    options.enrollments(),
    sources(),
  ]);
  if (!user?.roles.includes("learner")) return null;

  const asOf = options.asOf.getTime();
  const known = (at: string | null | undefined): at is string => !!at && Date.parse(at) <= asOf;
  const progressByCourse = new Map((progress?.courses ?? []).map((c) => [c.courseId, c]));
  const missingSources: string[] = [];
  const activity: ActivityEvent[] = [];

  for (const course of progress?.courses ?? []) {
    for (const unit of course.completedUnits)
      if (known(unit.completedAt)) activity.push({ at: unit.completedAt, kind: "lesson" });
  }
  for (const attempt of attempts?.items ?? []) {
    if (known(attempt.submittedAt)) activity.push({ at: attempt.submittedAt, kind: "assessment" });
  }
  if (labs.ok) {
    for (const s of labs.value?.items ?? []) {
      if (known(s.startedAt)) activity.push({ at: s.startedAt, kind: "lab", minutes: s.minutes });
    }
  } else missingSources.push("devlab");
  if (logins.ok) {
    for (const l of logins.value?.items ?? []) if (known(l.at)) activity.push({ at: l.at, kind: "login" });
  } else missingSources.push("auth");
  if (questions.ok) {
    for (const q of questions.value?.items ?? [])
      if (known(q.askedAt)) activity.push({ at: q.askedAt, kind: "content" });
  } else missingSources.push("rag");
  activity.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));

  const candidate = {
    schemaVersion: 1 as const,
    learnerId,
    orgId: user.orgId,
    timeZone: isValidTimeZone(user.timeZone) ? user.timeZone : "UTC",
    asOf: options.asOf.toISOString(),
    enrollments: enrollments.items.map((e) => {
      const course = progressByCourse.get(e.courseId);
      return {
        courseId: e.courseId,
        startDate: e.startDate,
        dueDate: e.dueDate,
        unitsTotal: course?.unitsTotal ?? 0,
        unitsCompleted: (course?.completedUnits ?? [])
          .filter((u) => known(u.completedAt))
          .map((u) => ({ unitId: u.unitId, completedAt: u.completedAt })),
        enrolledAt: e.enrolledAt,
      };
    }),
    assessments: (attempts?.items ?? []).map((a) => {
      const submitted = known(a.submittedAt);
      return {
        assessmentId: a.assessmentId,
        courseId: a.courseId,
        kind: a.kind,
        dueAt: a.dueAt,
        submittedAt: submitted ? a.submittedAt : null,
        score: submitted && a.score !== null ? Math.min(100, Math.max(0, (a.score / a.maxScore) * 100)) : null,
        weight: a.weight,
      };
    }),
    activity,
    source: "upstream",
  };
  const parsed = LearnerSnapshot.safeParse(candidate);
  if (!parsed.success) {
    // Every field passed its service's schema, so what is left is ids or zones the analytics refuse.
    const where = parsed.error.issues.map((i) => i.path.join(".")).join(", ");
    throw new UpstreamError("directory", "malformed", `learner ${learnerId} cannot form a snapshot (${where})`);
  }
  return { snapshot: parsed.data, user, missingSources };
}
