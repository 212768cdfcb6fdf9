/**
 * The answers of the nine platform services, as MS8 relies on them (docs/upstreams.md). Anything
 * that does not fit is a failure of that service, logged with the field path; unknown extra fields
 * are tolerated, so a service may grow without breaking MS8.
 */
import { z } from "zod";

const instant = z.iso.datetime({ offset: true });
const localDate = z.iso.date();
const id = z.string().min(1).max(128);
const role = z.enum(["learner", "trainer", "org_admin"]);

// Auth
export const VerifiedUser = z.object({
  userId: id,
  orgId: id,
  roles: z.array(role),
  displayName: z.string(),
});
export const Logins = z.object({ userId: id, items: z.array(z.object({ at: instant })) });

// Directory
export const DirectoryUser = z.object({
  id,
  orgId: id,
  email: z.string(),
  displayName: z.string(),
  roles: z.array(role),
  timeZone: z.string().min(1),
  joinedAt: instant,
  status: z.string().optional(),
});
export type DirectoryUser = z.infer<typeof DirectoryUser>;
export const DirectoryUserPage = z.object({ items: z.array(DirectoryUser), nextCursor: z.string().nullable() });
export const Organizations = z.object({ items: z.array(z.object({ id, name: z.string() })) });
export const CourseAssignments = z.object({ items: z.array(z.object({ trainerId: id, courseId: id })) });

// Course Builder
export const CourseUnit = z.object({ id, title: z.string(), order: z.number().int() });
export const Course = z.object({
  id,
  orgId: id,
  title: z.string(),
  unitsTotal: z.number().int().nonnegative(),
  durationWeeks: z.number().positive().optional(),
  estimatedHours: z.number().nonnegative(),
  skills: z.array(z.object({ id, name: z.string() })),
  units: z.array(CourseUnit).optional(),
});
export type Course = z.infer<typeof Course>;
export const Courses = z.object({ items: z.array(Course) });
export const Enrollments = z.object({
  items: z.array(
    z.object({
      id,
      userId: id,
      courseId: id,
      enrolledAt: instant,
      startDate: localDate,
      dueDate: localDate.nullable(),
      status: z.string(),
    }),
  ),
});
export type Enrollments = z.infer<typeof Enrollments>;

// Content Studio
export const Progress = z.object({
  userId: id,
  courses: z.array(
    z.object({
      courseId: id,
      unitsTotal: z.number().int().nonnegative(),
      completedUnits: z.array(z.object({ unitId: id, completedAt: instant })),
    }),
  ),
});
export type Progress = z.infer<typeof Progress>;

// Assessment
export const Attempts = z.object({
  userId: id,
  items: z.array(
    z.object({
      assessmentId: id,
      courseId: id,
      title: z.string(),
      kind: z.enum(["assignment", "quiz", "exam", "project"]),
      weight: z.number().min(0).max(100),
      dueAt: instant.nullable(),
      submittedAt: instant.nullable(),
      score: z.number().nullable(),
      maxScore: z.number().positive(),
    }),
  ),
});
export type Attempts = z.infer<typeof Attempts>;

// Skills Engine
export const Skills = z.object({
  userId: id,
  items: z.array(
    z.object({ skillId: id, name: z.string(), level: z.number(), targetLevel: z.number(), updatedAt: instant }),
  ),
});

// Learner AI
export const LearningPath = z.object({
  userId: id,
  items: z.array(
    z.object({
      courseId: id,
      title: z.string(),
      reason: z.string(),
      priority: z.number().int(),
      estimatedHours: z.number().nonnegative(),
    }),
  ),
});

// DevLab
export const LabSessions = z.object({
  userId: id,
  items: z.array(
    z.object({
      id,
      courseId: id,
      startedAt: instant,
      minutes: z.number().nonnegative(),
      exercisesCompleted: z.number().int().nonnegative(),
    }),
  ),
});
export type LabSessions = z.infer<typeof LabSessions>;

// RAG Assistant
export const AssistantQuestions = z.object({
  userId: id,
  items: z.array(z.object({ id, courseId: id, askedAt: instant, topic: z.string() })),
});
export const AssistantAnswer = z.object({
  answer: z.string(),
  sources: z.array(z.object({ courseId: id, title: z.string() })),
});
