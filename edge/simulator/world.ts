/**
 * The simulated learning platform: organizations, people, courses and twelve weeks of learning
 * history, generated from a seed relative to a "now". Same (seed, now) gives the same world, so
 * tests and demos can name learners and expect their numbers.
 *
 * Learners follow recognisable patterns (steady, accelerating, slipping, gone quiet for three
 * weeks, new joiner with no history) so the analytics have something real to tell apart.
 */
import { createHash } from "node:crypto";
import {
  addDays,
  between,
  DAY_MS,
  daysBetween,
  intBetween,
  localDate,
  pick,
  type Random,
  seededRandom,
  zonedInstant,
} from "./calendar.ts";

export type Role = "learner" | "trainer" | "org_admin";
export type Pattern = "steady" | "accelerating" | "slipping" | "gone_quiet" | "new_joiner";
export const PATTERNS: readonly Pattern[] = ["steady", "accelerating", "slipping", "gone_quiet", "new_joiner"];

export interface Org {
  id: string;
  name: string;
  emailDomain: string;
  timeZones: readonly string[];
}
export interface User {
  id: string;
  orgId: string;
  email: string;
  displayName: string;
  roles: Role[];
  timeZone: string;
  joinedAt: Date;
  /** Learners only: the behaviour the generator gave them. */
  pattern?: Pattern;
  /** Demo personas only; local-only passwords (see docs/upstreams.md). */
  password?: string;
}
export interface AssessmentDefinition {
  id: string;
  title: string;
  kind: "quiz" | "assignment" | "project" | "exam";
  /** Becomes submittable once this many units are done. */
  afterUnit: number;
  /** Share of the grade in percent; one course's weights sum to 100. */
  weight: number;
  /** When it is due, as a share of the course duration. */
  dueFraction: number;
}
export interface Course {
  id: string;
  orgId: string;
  title: string;
  units: { id: string; title: string; order: number }[];
  assessments: AssessmentDefinition[];
  skills: { id: string; name: string }[];
  durationWeeks: number;
  estimatedHours: number;
}
export interface Enrollment {
  id: string;
  userId: string;
  courseId: string;
  enrolledAt: Date;
  startDate: string;
  dueDate: string;
}
export interface UnitCompletion {
  courseId: string;
  unitId: string;
  at: Date;
}
export interface AssessmentAttempt {
  courseId: string;
  assessmentId: string;
  dueAt: Date;
  submittedAt: Date | null;
  score: number | null;
}
export interface LabSession {
  id: string;
  courseId: string;
  startedAt: Date;
  minutes: number;
  exercisesCompleted: number;
}
export interface AssistantQuestion {
  id: string;
  courseId: string;
  askedAt: Date;
  topic: string;
}
export interface LearnerRecord {
  enrollments: Enrollment[];
  completions: UnitCompletion[];
  attempts: AssessmentAttempt[];
  labSessions: LabSession[];
  logins: Date[];
  questions: AssistantQuestion[];
}
export interface Persona {
  role: Role;
  userId: string;
  orgId: string;
  email: string;
  password: string;
  displayName: string;
}
export interface World {
  seed: number;
  now: Date;
  orgs: Org[];
  users: Map<string, User>;
  courses: Map<string, Course>;
  /** Trainer -> course assignments (the Directory's view of who trains what). */
  assignments: { trainerId: string; courseId: string }[];
  learners: Map<string, LearnerRecord>;
  personas: Persona[];
}

export const ORGS: readonly Org[] = [
  {
    id: "org-aurora",
    name: "Aurora Logistics",
    emailDomain: "aurora.example",
    timeZones: ["Europe/London", "Europe/Berlin", "Europe/Madrid", "Europe/Warsaw"],
  },
  {
    id: "org-borealis",
    name: "Borealis Health",
    emailDomain: "borealis.example",
    timeZones: ["America/New_York", "America/Chicago", "America/Los_Angeles", "America/Sao_Paulo"],
  },
  {
    id: "org-cascade",
    name: "Cascade Retail",
    emailDomain: "cascade.example",
    timeZones: ["Asia/Kolkata", "Asia/Singapore", "Australia/Sydney", "Asia/Tokyo"],
  },
];

const COURSE_TITLES = [
  "TypeScript Foundations",
  "Secure Coding Essentials",
  "Data Privacy for Everyone",
  "SQL for Analysts",
  "Cloud Architecture Basics",
  "Leading Effective Meetings",
  "Customer Conversations",
  "Warehouse Safety",
  "Clinical Documentation",
  "Incident Response",
  "Accessibility in Practice",
  "Negotiation Skills",
  "Python for Automation",
  "Lean Operations",
  "Giving Feedback",
  "Kubernetes in Production",
  "Financial Literacy",
  "Project Planning",
  "Presentation Skills",
  "Machine Learning Primer",
];
const SKILLS = [
  "typescript",
  "security",
  "privacy",
  "sql",
  "cloud",
  "facilitation",
  "communication",
  "safety",
  "documentation",
  "incident-management",
  "accessibility",
  "negotiation",
  "python",
  "operations",
  "feedback",
  "kubernetes",
  "finance",
  "planning",
  "presenting",
  "machine-learning",
];
const FIRST_NAMES = [
  "Ada",
  "Bilal",
  "Chen",
  "Dara",
  "Elif",
  "Femi",
  "Greta",
  "Hiro",
  "Ines",
  "Jonas",
  "Kavya",
  "Luca",
  "Maya",
  "Nia",
  "Omar",
  "Priya",
  "Quinn",
  "Rosa",
  "Sami",
  "Tomas",
  "Uma",
  "Vera",
  "Wen",
  "Yara",
  "Zoe",
];
const LAST_NAMES = [
  "Adeyemi",
  "Bauer",
  "Costa",
  "Dubois",
  "Eriksen",
  "Fischer",
  "Garcia",
  "Haddad",
  "Ito",
  "Jensen",
  "Kowalski",
  "Lopez",
  "Murphy",
  "Nakamura",
  "Okafor",
  "Patel",
  "Rossi",
  "Silva",
  "Tanaka",
  "Varga",
];
const QUESTION_TOPICS = ["an example", "a definition", "the assessment", "a lab error", "further reading"];

export const LEARNERS_TOTAL = 500;
const TRAINERS_PER_ORG = 4;
const HISTORY_WEEKS = 12;

/** Persona learners get a fixed pattern so the demo always shows one of each kind of story. */
const PERSONA_PATTERNS: Record<string, Pattern> = {
  "org-aurora": "slipping",
  "org-borealis": "steady",
  "org-cascade": "accelerating",
};

export const PERSONA_PASSWORDS: Record<Role, string> = {
  learner: "local-dev-only-learner",
  trainer: "local-dev-only-trainer",
  org_admin: "local-dev-only-admin",
};

/**
 * The trainers of a learner as the world has them: those assigned to any of the learner's courses
 * (sorted, each once), what the BFF's profile computes from the Directory. Empty: none listed.
 */
export function trainersOfLearner(world: World, learnerId: string): string[] {
  const courses = new Set(world.learners.get(learnerId)?.enrollments.map((e) => e.courseId));
  return [...new Set(world.assignments.filter((a) => courses.has(a.courseId)).map((a) => a.trainerId))].sort();
}

export interface WorldOptions {
  seed?: number;
  /** The simulated present; history ends here. Default: the start of the current UTC day. */
  now?: Date;
  learners?: number;
}

export const DEFAULT_SEED = 8;

export function startOfUtcDay(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

export function generateWorld(options: WorldOptions = {}): World {
  const seed = options.seed ?? DEFAULT_SEED;
  const now = options.now ?? startOfUtcDay(new Date());
  const rand = seededRandom(seed);
  const users = new Map<string, User>();
  const courses = new Map<string, Course>();
  const assignments: World["assignments"] = [];
  const learners = new Map<string, LearnerRecord>();
  const personas: Persona[] = [];
  const historyStart = new Date(now.getTime() - HISTORY_WEEKS * 7 * DAY_MS);

  // Courses: 20 across the three organizations (7, 7, 6).
  const coursesByOrg = new Map<string, Course[]>();
  COURSE_TITLES.forEach((title, index) => {
    const org = ORGS[index % ORGS.length]!;
    const n = (coursesByOrg.get(org.id)?.length ?? 0) + 1;
    const id = `crs-${org.id.slice(4)}-${String(n).padStart(2, "0")}`;
    const unitCount = intBetween(rand, 12, 36);
    const durationWeeks = intBetween(rand, 14, 20);
    const assessmentCount = intBetween(rand, 3, 5);
    const assessments: AssessmentDefinition[] = [];
    let weightLeft = 100;
    for (let a = 1; a <= assessmentCount; a++) {
      const last = a === assessmentCount;
      const weight = last ? weightLeft : Math.round((100 - 40) / (assessmentCount - 1));
      weightLeft -= weight;
      assessments.push({
        id: `${id}-a${a}`,
        title: last ? `${title}: final exam` : `${title}: check ${a}`,
        kind: last ? "exam" : a % 2 === 0 ? "assignment" : "quiz",
        afterUnit: Math.max(1, Math.round((unitCount * a) / assessmentCount)),
        weight,
        dueFraction: a / assessmentCount,
      });
    }
    const course: Course = {
      id,
      orgId: org.id,
      title,
      units: Array.from({ length: unitCount }, (_, u) => ({
        id: `${id}-u${String(u + 1).padStart(2, "0")}`,
        title: `${title}, lesson ${u + 1}`,
        order: u + 1,
      })),
      assessments,
      skills: [{ id: `skl-${SKILLS[index]}`, name: SKILLS[index]! }],
      durationWeeks,
      estimatedHours: Math.round(unitCount * between(rand, 0.6, 1.4)),
    };
    courses.set(id, course);
    coursesByOrg.set(org.id, [...(coursesByOrg.get(org.id) ?? []), course]);
  });

  for (const [orgIndex, org] of ORGS.entries()) {
    const orgCourses = coursesByOrg.get(org.id)!;
    const short = org.id.slice(4);
    const staffJoined = new Date(historyStart.getTime() - 180 * DAY_MS);

    const admin: User = {
      id: `adm-${short}`,
      orgId: org.id,
      email: `admin@${org.emailDomain}`,
      displayName: `${pick(rand, FIRST_NAMES)} ${pick(rand, LAST_NAMES)}`,
      roles: ["org_admin"],
      timeZone: org.timeZones[0]!,
      joinedAt: staffJoined,
      password: PERSONA_PASSWORDS.org_admin,
    };
    users.set(admin.id, admin);

    // Trainers: each course has one; trainer 1 (the persona) also trains course 2.
    for (let t = 1; t <= TRAINERS_PER_ORG; t++) {
      const trainer: User = {
        id: `trn-${short}-${t}`,
        orgId: org.id,
        email: t === 1 ? `trainer@${org.emailDomain}` : `trainer${t}@${org.emailDomain}`,
        displayName: `${pick(rand, FIRST_NAMES)} ${pick(rand, LAST_NAMES)}`,
        roles: ["trainer"],
        timeZone: org.timeZones[t % org.timeZones.length]!,
        joinedAt: staffJoined,
        ...(t === 1 ? { password: PERSONA_PASSWORDS.trainer } : {}),
      };
      users.set(trainer.id, trainer);
    }
    orgCourses.forEach((course, c) => {
      assignments.push({ trainerId: `trn-${short}-${(c % TRAINERS_PER_ORG) + 1}`, courseId: course.id });
    });
    assignments.push({ trainerId: `trn-${short}-1`, courseId: orgCourses[1]!.id });

    const count = Math.floor(LEARNERS_TOTAL / ORGS.length) + (orgIndex < LEARNERS_TOTAL % ORGS.length ? 1 : 0);
    const learnerCount = options.learners ? Math.ceil(options.learners / ORGS.length) : count;
    for (let n = 1; n <= learnerCount; n++) {
      const id = `lrn-${short}-${String(n).padStart(3, "0")}`;
      const persona = n === 1;
      const pattern: Pattern = persona ? PERSONA_PATTERNS[org.id]! : pickPattern(rand);
      const first = pick(rand, FIRST_NAMES);
      const last = pick(rand, LAST_NAMES);
      const timeZone = pick(rand, org.timeZones);
      const learner: User = {
        id,
        orgId: org.id,
        email: persona ? `learner@${org.emailDomain}` : `${first}.${last}.${n}@${org.emailDomain}`.toLowerCase(),
        displayName: `${first} ${last}`,
        roles: ["learner"],
        timeZone,
        joinedAt: historyStart,
        pattern,
        ...(persona ? { password: PERSONA_PASSWORDS.learner } : {}),
      };
      // The persona learner always takes course 1 (trainer 1's), so the trainer persona sees them.
      const enrolledIn = persona
        ? [orgCourses[0]!]
        : shuffle(rand, orgCourses).slice(0, pattern === "new_joiner" ? 1 : intBetween(rand, 1, 3));
      const record = simulateLearner(rand, learner, enrolledIn, now, historyStart);
      learner.joinedAt = new Date(Math.min(now.getTime(), ...record.enrollments.map((e) => e.enrolledAt.getTime())));
      users.set(id, learner);
      learners.set(id, record);
    }

    for (const userId of [`lrn-${short}-001`, `trn-${short}-1`, `adm-${short}`]) {
      const user = users.get(userId)!;
      personas.push({
        role: user.roles[0]!,
        userId,
        orgId: org.id,
        email: user.email,
        password: user.password!,
        displayName: user.displayName,
      });
    }
  }

  return { seed, now, orgs: [...ORGS], users, courses, assignments, learners, personas };
}

function pickPattern(rand: Random): Pattern {
  const r = rand();
  if (r < 0.35) return "steady";
  if (r < 0.5) return "accelerating";
  if (r < 0.7) return "slipping";
  if (r < 0.85) return "gone_quiet";
  return "new_joiner";
}

function shuffle<T>(rand: Random, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** How keen the learner is on a given day of their course, by pattern (1 = the course's own pace). */
function intensity(pattern: Pattern, progress: number, daysAgo: number, quietDays: number): number {
  switch (pattern) {
    case "steady":
      return 1;
    case "accelerating":
      return 0.35 + 1.3 * progress;
    case "slipping":
      return Math.max(0.1, 1.45 - 1.35 * progress);
    case "gone_quiet":
      return daysAgo < quietDays ? 0 : 1;
    case "new_joiner":
      return 0;
  }
}

function simulateLearner(rand: Random, learner: User, enrolledIn: Course[], now: Date, historyStart: Date) {
  const record: LearnerRecord = {
    enrollments: [],
    completions: [],
    attempts: [],
    labSessions: [],
    logins: [],
    questions: [],
  };
  const zone = learner.timeZone;
  const pattern = learner.pattern!;
  const today = localDate(now, zone);
  const ability = between(rand, 0.8, 1.2);
  const quietDays = intBetween(rand, 22, 30);
  const activeDays = new Map<string, Date>();

  for (const course of enrolledIn) {
    const enrolledAt =
      pattern === "new_joiner"
        ? new Date(now.getTime() - between(rand, 0.2, 5) * DAY_MS)
        : new Date(historyStart.getTime() + between(rand, 0, 14) * DAY_MS);
    const startDate = localDate(enrolledAt, zone);
    const durationDays = course.durationWeeks * 7;
    const enrollment: Enrollment = {
      id: `enr-${learner.id}-${course.id}`,
      userId: learner.id,
      courseId: course.id,
      enrolledAt,
      startDate,
      dueDate: addDays(startDate, durationDays),
    };
    record.enrollments.push(enrollment);

    const perDay = (course.units.length / durationDays) * ability;
    const elapsed = Math.max(1, daysBetween(startDate, today));
    let done = 0;
    for (let day = 0; day <= elapsed && done < course.units.length; day++) {
      const date = addDays(startDate, day);
      const mult = intensity(pattern, day / elapsed, daysBetween(date, today), quietDays);
      if (mult === 0) continue;
      const pActive = Math.min(0.9, 0.4 * mult + 0.05);
      if (rand() >= pActive) continue;
      let minute = intBetween(rand, 7 * 60, 20 * 60);
      const sessionStart = zonedInstant(date, minute, zone);
      if (sessionStart >= now || sessionStart < enrolledAt) continue;
      const units = Math.floor((perDay * mult) / pActive + rand());
      const lab = rand() < 0.3;
      if (units === 0 && !lab) continue;
      if (!activeDays.has(date)) activeDays.set(date, sessionStart);
      for (let u = 0; u < units && done < course.units.length; u++) {
        minute += intBetween(rand, 15, 45);
        const at = zonedInstant(date, minute, zone);
        if (at >= now) break;
        record.completions.push({ courseId: course.id, unitId: course.units[done]!.id, at });
        done++;
      }
      if (lab) {
        const startedAt = zonedInstant(date, minute + 10, zone);
        if (startedAt < now) {
          record.labSessions.push({
            id: `lab-${learner.id}-${record.labSessions.length + 1}`,
            courseId: course.id,
            startedAt,
            minutes: intBetween(rand, 20, 90),
            exercisesCompleted: intBetween(rand, 0, 6),
          });
        }
      }
      if (rand() < 0.12) {
        record.questions.push({
          id: `q-${learner.id}-${record.questions.length + 1}`,
          courseId: course.id,
          askedAt: sessionStart,
          topic: pick(rand, QUESTION_TOPICS),
        });
      }
    }

    // Assessments are paced by their due dates, as a course's deadlines pace real learners: an
    // active learner hands in a day or few before the deadline; a slipping one drifts past it and
    // scores lower as they fade; a learner who has gone quiet hands in nothing during the quiet
    // weeks, so the work due then is missed (which is how the drop-off model, validated on real
    // learners, sees them). Exams sit at the end of the course, past the history.
    const quietFrom = now.getTime() - quietDays * DAY_MS;
    for (const definition of course.assessments) {
      const dueDate = addDays(startDate, Math.round(durationDays * definition.dueFraction));
      const dueAt = zonedInstant(dueDate, 23 * 60 + 59, zone);
      const offsetDays =
        pattern === "slipping"
          ? between(rand, -2, 2 + 10 * definition.dueFraction)
          : pattern === "accelerating"
            ? -between(rand, 0.5, 2 + 4 * definition.dueFraction)
            : -between(rand, 0.2, 4);
      const at = new Date(dueAt.getTime() + offsetDays * DAY_MS);
      const quiet = pattern === "gone_quiet" && at.getTime() >= quietFrom;
      let submittedAt: Date | null = null;
      let score: number | null = null;
      if (!quiet && at < now && at > enrolledAt) {
        submittedAt = at;
        const fade = pattern === "slipping" ? 15 * definition.dueFraction : 0;
        score = Math.max(0, Math.min(100, Math.round(ability * 72 + between(rand, -12, 14) - fade)));
      }
      record.attempts.push({ courseId: course.id, assessmentId: definition.id, dueAt, submittedAt, score });
    }
  }
  record.logins = [...activeDays.values()].sort((a, b) => a.getTime() - b.getTime());
  record.completions.sort((a, b) => a.at.getTime() - b.at.getTime());
  return record;
}

/** Units done per course, for skills and course completion. */
export function unitsDone(record: LearnerRecord, courseId: string): number {
  return record.completions.filter((c) => c.courseId === courseId).length;
}

/** A stable UUID for a history event, so replaying the history twice posts the same ids. */
export function eventUuid(seed: number, key: string): string {
  const hex = createHash("sha1").update(`ms8-sim:${seed}:${key}`).digest("hex");
  // Shaped as a version-5 UUID (name-based, SHA-1), which is what this is in spirit.
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface HistoryEvent {
  eventId: string;
  learnerId: string;
  orgId: string;
  type:
    | "lesson_completed"
    | "assessment_passed"
    | "assessment_failed"
    | "course_completed"
    | "devlab_session"
    | "login";
  occurredAt: string;
  data: Record<string, unknown>;
}

export const PASSING_SCORE = 60;

/** The world's history as ledger events (`POST /api/v1/events`), oldest first. */
export function historyEvents(world: World, orgId?: string): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (const [learnerId, record] of world.learners) {
    const learner = world.users.get(learnerId)!;
    if (orgId && learner.orgId !== orgId) continue;
    const push = (key: string, type: HistoryEvent["type"], at: Date, data: Record<string, unknown>) =>
      events.push({
        eventId: eventUuid(world.seed, `${learnerId}:${key}`),
        learnerId,
        orgId: learner.orgId,
        type,
        occurredAt: at.toISOString(),
        data,
      });
    // Keyed by what happened, not when: the world moves with "now", and a replay on a later day
    // must still find yesterday's ids (logins by their ordinal).
    for (const [n, at] of record.logins.entries()) push(`login:${n + 1}`, "login", at, {});
    for (const c of record.completions) {
      push(`lesson:${c.unitId}`, "lesson_completed", c.at, { courseId: c.courseId, unitId: c.unitId });
    }
    for (const e of record.enrollments) {
      const course = world.courses.get(e.courseId)!;
      const completions = record.completions.filter((c) => c.courseId === e.courseId);
      if (completions.length === course.units.length) {
        const at = completions[completions.length - 1]!.at;
        push(`course:${e.courseId}`, "course_completed", at, { courseId: e.courseId });
      }
    }
    for (const a of record.attempts) {
      if (a.submittedAt === null || a.score === null) continue;
      const type = a.score >= PASSING_SCORE ? "assessment_passed" : "assessment_failed";
      push(`assessment:${a.assessmentId}`, type, a.submittedAt, {
        courseId: a.courseId,
        assessmentId: a.assessmentId,
        score: a.score,
      });
    }
    for (const s of record.labSessions) {
      push(`lab:${s.id}`, "devlab_session", s.startedAt, {
        courseId: s.courseId,
        sessionId: s.id,
        minutes: s.minutes,
        exercisesCompleted: s.exercisesCompleted,
      });
    }
  }
  return events.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.eventId.localeCompare(b.eventId));
}
