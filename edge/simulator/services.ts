/**
 * The nine services' REST endpoints over the simulated world. Paths and shapes are documented in
 * docs/upstreams.md; the BFF's clients (edge/src/upstream/) validate exactly these shapes.
 * Each service answers only what it would own in the real platform.
 */
import { Hono } from "hono";
import { DAY_MS } from "./calendar.ts";
import type { ServiceName } from "./faults.ts";
import { type LearnerRecord, type User, unitsDone, type World } from "./world.ts";

const problem = (status: number, title: string, detail?: string) =>
  new Response(JSON.stringify({ type: "about:blank", title, status, ...(detail ? { detail } : {}) }), {
    status,
    headers: { "content-type": "application/problem+json" },
  });

const iso = (d: Date) => d.toISOString();

function userView(user: User) {
  return {
    id: user.id,
    orgId: user.orgId,
    email: user.email,
    displayName: user.displayName,
    roles: user.roles,
    timeZone: user.timeZone,
    joinedAt: iso(user.joinedAt),
    status: "active" as const,
  };
}

/** A learner's record, or a 404 answer when the id is not a learner of this world. */
function learnerOf(world: World, userId: string): LearnerRecord | Response {
  return world.learners.get(userId) ?? problem(404, "Not Found", `no learner ${userId}`);
}

function auth(world: World) {
  const byEmail = new Map([...world.users.values()].map((u) => [u.email.toLowerCase(), u]));
  return new Hono()
    .post("/api/v1/auth/verify", async (c) => {
      const body = (await c.req.json().catch(() => null)) as { email?: unknown; password?: unknown } | null;
      if (!body || typeof body.email !== "string" || typeof body.password !== "string") {
        return problem(400, "Bad Request", "email and password are required strings");
      }
      const user = byEmail.get(body.email.toLowerCase());
      if (!user?.password || user.password !== body.password) {
        return problem(401, "Unauthorized", "email or password does not match");
      }
      return c.json({ userId: user.id, orgId: user.orgId, roles: user.roles, displayName: user.displayName });
    })
    .get("/api/v1/users/:userId/logins", (c) => {
      const record = learnerOf(world, c.req.param("userId"));
      if (record instanceof Response) return record;
      return c.json({ userId: c.req.param("userId"), items: record.logins.map((at) => ({ at: iso(at) })) });
    });
}

function directory(world: World) {
  return new Hono()
    .get("/api/v1/orgs", (c) => c.json({ items: world.orgs.map((o) => ({ id: o.id, name: o.name })) }))
    .get("/api/v1/users/:userId", (c) => {
      const user = world.users.get(c.req.param("userId"));
      return user ? c.json(userView(user)) : problem(404, "Not Found", "no such user");
    })
    .get("/api/v1/orgs/:orgId/users", (c) => {
      const orgId = c.req.param("orgId");
      if (!world.orgs.some((o) => o.id === orgId)) return problem(404, "Not Found", "no such organization");
      const role = c.req.query("role");
      const limit = Math.min(Math.max(Number(c.req.query("limit") ?? 100) || 100, 1), 500);
      const cursor = c.req.query("cursor") ?? "";
      const all = [...world.users.values()]
        .filter((u) => u.orgId === orgId && (!role || u.roles.includes(role as User["roles"][number])))
        .sort((a, b) => a.id.localeCompare(b.id))
        .filter((u) => u.id > cursor);
      const items = all.slice(0, limit);
      return c.json({
        items: items.map(userView),
        nextCursor: all.length > limit ? items[items.length - 1]!.id : null,
      });
    })
    .get("/api/v1/orgs/:orgId/course-assignments", (c) => {
      const orgId = c.req.param("orgId");
      if (!world.orgs.some((o) => o.id === orgId)) return problem(404, "Not Found", "no such organization");
      return c.json({
        items: world.assignments.filter((a) => world.courses.get(a.courseId)!.orgId === orgId),
      });
    });
}

function course(world: World) {
  const courseView = (id: string) => {
    const found = world.courses.get(id)!;
    return {
      id: found.id,
      orgId: found.orgId,
      title: found.title,
      unitsTotal: found.units.length,
      durationWeeks: found.durationWeeks,
      estimatedHours: found.estimatedHours,
      skills: found.skills,
      units: found.units,
    };
  };
  return new Hono()
    .get("/api/v1/courses", (c) => {
      const orgId = c.req.query("orgId");
      const ids = [...world.courses.values()].filter((x) => !orgId || x.orgId === orgId).map((x) => x.id);
      return c.json({ items: ids.map(courseView) });
    })
    .get("/api/v1/courses/:courseId", (c) =>
      world.courses.has(c.req.param("courseId"))
        ? c.json(courseView(c.req.param("courseId")))
        : problem(404, "Not Found", "no such course"),
    )
    .get("/api/v1/enrollments", (c) => {
      const userId = c.req.query("userId");
      if (!userId) return problem(400, "Bad Request", "userId is required");
      const record = learnerOf(world, userId);
      if (record instanceof Response) return c.json({ items: [] });
      return c.json({
        items: record.enrollments.map((e) => ({
          id: e.id,
          userId: e.userId,
          courseId: e.courseId,
          enrolledAt: iso(e.enrolledAt),
          startDate: e.startDate,
          dueDate: e.dueDate,
          status:
            unitsDone(record, e.courseId) === world.courses.get(e.courseId)!.units.length ? "completed" : "active",
        })),
      });
    });
}

function content(world: World) {
  return new Hono().get("/api/v1/users/:userId/progress", (c) => {
    const userId = c.req.param("userId");
    const record = learnerOf(world, userId);
    if (record instanceof Response) return record;
    return c.json({
      userId,
      courses: record.enrollments.map((e) => ({
        courseId: e.courseId,
        unitsTotal: world.courses.get(e.courseId)!.units.length,
        completedUnits: record.completions
          .filter((x) => x.courseId === e.courseId)
          .map((x) => ({ unitId: x.unitId, completedAt: iso(x.at) })),
      })),
    });
  });
}

function assessment(world: World) {
  return new Hono()
    .get("/api/v1/users/:userId/attempts", (c) => {
      const userId = c.req.param("userId");
      const record = learnerOf(world, userId);
      if (record instanceof Response) return record;
      return c.json({
        userId,
        items: record.attempts.map((a) => {
          const definition = world.courses.get(a.courseId)!.assessments.find((d) => d.id === a.assessmentId)!;
          return {
            assessmentId: a.assessmentId,
            courseId: a.courseId,
            title: definition.title,
            kind: definition.kind,
            weight: definition.weight,
            dueAt: iso(a.dueAt),
            submittedAt: a.submittedAt ? iso(a.submittedAt) : null,
            score: a.score,
            maxScore: 100,
          };
        }),
      });
    })
    .get("/api/v1/assessments", (c) => {
      const found = world.courses.get(c.req.query("courseId") ?? "");
      if (!found) return problem(404, "Not Found", "no such course");
      return c.json({ items: found.assessments.map((a) => ({ ...a, courseId: found.id })) });
    });
}

function skills(world: World) {
  return new Hono().get("/api/v1/users/:userId/skills", (c) => {
    const userId = c.req.param("userId");
    const record = learnerOf(world, userId);
    if (record instanceof Response) return record;
    const last = record.completions.at(-1)?.at ?? world.users.get(userId)!.joinedAt;
    return c.json({
      userId,
      items: record.enrollments.flatMap((e) => {
        const found = world.courses.get(e.courseId)!;
        const level = Math.round((unitsDone(record, e.courseId) / found.units.length) * 40) / 10;
        return found.skills.map((s) => ({ skillId: s.id, name: s.name, level, targetLevel: 4, updatedAt: iso(last) }));
      }),
    });
  });
}

function learnerAi(world: World) {
  return new Hono().get("/api/v1/users/:userId/learning-path", (c) => {
    const userId = c.req.param("userId");
    const record = learnerOf(world, userId);
    if (record instanceof Response) return record;
    const user = world.users.get(userId)!;
    const enrolled = new Set(record.enrollments.map((e) => e.courseId));
    const next = [...world.courses.values()].filter((x) => x.orgId === user.orgId && !enrolled.has(x.id)).slice(0, 3);
    return c.json({
      userId,
      items: next.map((x, i) => ({
        courseId: x.id,
        title: x.title,
        reason: `Builds on ${x.skills[0]!.name} for your role`,
        priority: i + 1,
        estimatedHours: x.estimatedHours,
      })),
    });
  });
}

function devlab(world: World) {
  return new Hono().get("/api/v1/users/:userId/sessions", (c) => {
    const userId = c.req.param("userId");
    const record = learnerOf(world, userId);
    if (record instanceof Response) return record;
    const since = Date.parse(c.req.query("since") ?? "");
    return c.json({
      userId,
      items: record.labSessions
        .filter((s) => Number.isNaN(since) || s.startedAt.getTime() >= since)
        .map((s) => ({
          id: s.id,
          courseId: s.courseId,
          startedAt: iso(s.startedAt),
          minutes: s.minutes,
          exercisesCompleted: s.exercisesCompleted,
        })),
    });
  });
}

function rag(world: World) {
  return new Hono()
    .get("/api/v1/users/:userId/questions", (c) => {
      const userId = c.req.param("userId");
      const record = learnerOf(world, userId);
      if (record instanceof Response) return record;
      return c.json({
        userId,
        items: record.questions.map((q) => ({
          id: q.id,
          courseId: q.courseId,
          askedAt: iso(q.askedAt),
          topic: q.topic,
        })),
      });
    })
    .post("/api/v1/query", async (c) => {
      const body = (await c.req.json().catch(() => null)) as { question?: unknown } | null;
      if (!body || typeof body.question !== "string") return problem(400, "Bad Request", "question is required");
      return c.json({
        answer: `The course material covers "${body.question.slice(0, 80)}" in its lessons.`,
        sources: [...world.courses.values()].slice(0, 2).map((x) => ({ courseId: x.id, title: x.title })),
      });
    });
}

export const SERVICE_ROUTES: Record<ServiceName, (world: World) => Hono> = {
  auth,
  directory,
  course,
  content,
  assessment,
  skills,
  learnerAi,
  devlab,
  rag,
};

/** Days of history the world holds, for the admin overview. */
export const historyDays = (world: World) =>
  Math.round((world.now.getTime() - Math.min(...[...world.users.values()].map((u) => u.joinedAt.getTime()))) / DAY_MS);
