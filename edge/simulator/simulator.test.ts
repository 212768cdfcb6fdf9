import { sign } from "hono/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SERVICE_SECRET, type Simulator, startSimulator } from "./server.ts";
import { generateWorld, historyEvents, LEARNERS_TOTAL, PATTERNS } from "./world.ts";

const NOW = new Date("2026-11-20T12:00:00Z");
let sim: Simulator;
let auth: Record<string, string>;

beforeAll(async () => {
  sim = await startSimulator({ now: NOW, seed: 8 });
  const exp = Math.floor(Date.now() / 1000) + 300;
  auth = { authorization: `Bearer ${await sign({ service: "test", exp }, DEFAULT_SERVICE_SECRET, "HS256")}` };
});
afterAll(() => sim.stop());

const get = (service: keyof Simulator["urls"], path: string) => fetch(sim.urls[service] + path, { headers: auth });

describe("the generated world", () => {
  it("is the same for the same seed and now, and different for another seed", () => {
    const again = generateWorld({ seed: 8, now: NOW });
    const other = generateWorld({ seed: 9, now: NOW });
    expect(historyEvents(again).slice(0, 50)).toEqual(historyEvents(sim.world).slice(0, 50));
    expect(historyEvents(other).slice(0, 50)).not.toEqual(historyEvents(sim.world).slice(0, 50));
  });

  it("has 3 organizations, 500 learners with every pattern, 20 courses, trainers on every course", () => {
    const learners = [...sim.world.users.values()].filter((u) => u.roles.includes("learner"));
    expect(sim.world.orgs).toHaveLength(3);
    expect(learners).toHaveLength(LEARNERS_TOTAL);
    expect(sim.world.courses.size).toBe(20);
    for (const pattern of PATTERNS) expect(learners.filter((l) => l.pattern === pattern).length).toBeGreaterThan(20);
    for (const courseId of sim.world.courses.keys()) {
      expect(sim.world.assignments.some((a) => a.courseId === courseId)).toBe(true);
    }
    expect(new Set(learners.map((l) => l.timeZone)).size).toBeGreaterThanOrEqual(9);
  });

  it("keeps twelve weeks of history, nothing after now, and gives the patterns their shapes", () => {
    const weekly = (pattern: string, weeksAgo: number) => {
      const ids = [...sim.world.users.values()].filter((u) => u.pattern === pattern).map((u) => u.id);
      const to = NOW.getTime() - weeksAgo * 7 * 86_400_000;
      const from = to - 3 * 7 * 86_400_000;
      return (
        ids.reduce(
          (n, id) =>
            n +
            sim.world.learners.get(id)!.completions.filter((c) => c.at.getTime() >= from && c.at.getTime() < to).length,
          0,
        ) / ids.length
      );
    };
    const all = [...sim.world.learners.values()];
    const times = all.flatMap((r) => [
      ...r.completions.map((c) => c.at.getTime()),
      ...r.logins.map((l) => l.getTime()),
    ]);
    expect(Math.max(...times)).toBeLessThan(NOW.getTime());
    expect(Math.min(...times)).toBeGreaterThanOrEqual(NOW.getTime() - 12 * 7 * 86_400_000);
    // Gone quiet: nothing in the last three weeks. New joiner: nothing at all.
    expect(weekly("gone_quiet", 0)).toBe(0);
    expect(weekly("new_joiner", 0)).toBe(0);
    // Slipping learners did more early than late; accelerating ones the reverse.
    expect(weekly("slipping", 8)).toBeGreaterThan(weekly("slipping", 0) * 1.5);
    expect(weekly("accelerating", 0)).toBeGreaterThan(weekly("accelerating", 8) * 1.5);
    expect(weekly("steady", 0)).toBeGreaterThan(0);
  });
});

describe("assessments in the history", () => {
  const learnersOf = (pattern: string) =>
    [...sim.world.users.values()].filter((u) => u.pattern === pattern).map((u) => sim.world.learners.get(u.id)!);
  const dueBefore = (a: { dueAt: Date }, t: number) => a.dueAt.getTime() <= t;

  it("are paced by their due dates: steady learners hand in on time, slipping ones often late", () => {
    const now = NOW.getTime();
    const steady = learnersOf("steady").flatMap((r) => r.attempts.filter((a) => dueBefore(a, now)));
    expect(steady.length).toBeGreaterThan(50);
    expect(steady.every((a) => a.submittedAt !== null && a.submittedAt <= a.dueAt)).toBe(true);
    const slipping = learnersOf("slipping").flatMap((r) => r.attempts.filter((a) => a.submittedAt !== null));
    const late = slipping.filter((a) => a.submittedAt! > a.dueAt).length;
    expect(late / slipping.length).toBeGreaterThan(0.3);
  });

  it("leave the work due in a gone-quiet learner's silent weeks missing", () => {
    const threeWeeksAgo = NOW.getTime() - 21 * 86_400_000;
    const quiet = learnersOf("gone_quiet");
    // nothing handed in during the last three weeks
    expect(
      quiet.flatMap((r) => r.attempts).some((a) => a.submittedAt && a.submittedAt.getTime() >= threeWeeksAgo),
    ).toBe(false);
    // and most of them have work that fell due since, not handed in
    const missing = quiet.filter((r) =>
      r.attempts.some(
        (a) =>
          a.submittedAt === null && dueBefore(a, NOW.getTime()) && a.dueAt.getTime() > threeWeeksAgo - 9 * 86_400_000,
      ),
    );
    expect(missing.length / quiet.length).toBeGreaterThan(0.6);
  });
});

describe("the services over HTTP", () => {
  it("refuses calls without a valid service token", async () => {
    expect((await fetch(`${sim.urls.directory}/api/v1/users/lrn-aurora-001`)).status).toBe(401);
    const forged = await sign({ service: "x", exp: Math.floor(Date.now() / 1000) + 60 }, "wrong-secret", "HS256");
    const res = await fetch(`${sim.urls.directory}/api/v1/users/lrn-aurora-001`, {
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });

  it("answers a learner's directory entry, enrollments, progress and attempts consistently", async () => {
    const user = await (await get("directory", "/api/v1/users/lrn-aurora-001")).json();
    expect(user).toMatchObject({ id: "lrn-aurora-001", orgId: "org-aurora", roles: ["learner"] });
    const enrollments = await (await get("course", "/api/v1/enrollments?userId=lrn-aurora-001")).json();
    const progress = await (await get("content", "/api/v1/users/lrn-aurora-001/progress")).json();
    const attempts = await (await get("assessment", "/api/v1/users/lrn-aurora-001/attempts")).json();
    expect(enrollments.items.map((e: { courseId: string }) => e.courseId)).toEqual(
      progress.courses.map((c: { courseId: string }) => c.courseId),
    );
    const record = sim.world.learners.get("lrn-aurora-001")!;
    expect(progress.courses[0].completedUnits).toHaveLength(record.completions.length);
    const weights = attempts.items.reduce((s: number, a: { weight: number }) => s + a.weight, 0);
    expect(weights).toBe(100);
    expect((await get("directory", "/api/v1/users/nobody")).status).toBe(404);
  });

  it("signs personas in through the Auth service and refuses a wrong password", async () => {
    const verify = (email: string, password: string) =>
      fetch(`${sim.urls.auth}/api/v1/auth/verify`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ email, password }),
      });
    for (const persona of sim.world.personas) {
      const res = await verify(persona.email, persona.password);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ userId: persona.userId, orgId: persona.orgId, roles: [persona.role] });
    }
    expect((await verify("learner@aurora.example", "guess")).status).toBe(401);
    expect(sim.world.personas.map((p) => p.role).sort()).toEqual([
      "learner",
      "learner",
      "learner",
      "org_admin",
      "org_admin",
      "org_admin",
      "trainer",
      "trainer",
      "trainer",
    ]);
  });

  it("lets the trainer persona see the learner persona's course", () => {
    for (const org of sim.world.orgs) {
      const learner = sim.world.personas.find((p) => p.orgId === org.id && p.role === "learner")!;
      const trainer = sim.world.personas.find((p) => p.orgId === org.id && p.role === "trainer")!;
      const courses = sim.world.learners.get(learner.userId)!.enrollments.map((e) => e.courseId);
      expect(sim.world.assignments.some((a) => a.trainerId === trainer.userId && courses.includes(a.courseId))).toBe(
        true,
      );
    }
  });
});

describe("fault injection through the admin endpoint", () => {
  const setFault = (service: string, fault: unknown) =>
    fetch(`${sim.baseUrl}/__admin/faults/${service}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(fault),
    });

  it("errors, malforms, delays, hangs and goes down per service, and recovers", async () => {
    expect((await setFault("content", { errorRate: 1, errorStatus: 503 })).status).toBe(200);
    expect((await get("content", "/api/v1/users/lrn-aurora-001/progress")).status).toBe(503);
    expect((await get("assessment", "/api/v1/users/lrn-aurora-001/attempts")).status).toBe(200);

    await setFault("content", { malformedRate: 1, malformedKind: "json" });
    const broken = await get("content", "/api/v1/users/lrn-aurora-001/progress");
    expect(broken.status).toBe(200);
    await expect(broken.json()).rejects.toThrow();

    await setFault("content", { malformedRate: 1, malformedKind: "schema" });
    const wrong = await (await get("content", "/api/v1/users/lrn-aurora-001/progress")).json();
    expect(typeof wrong.userId).toBe("number");
    expect(wrong.courses).toBe("not-a-list");

    await setFault("content", { latencyMs: 300 });
    const started = performance.now();
    expect((await get("content", "/api/v1/users/lrn-aurora-001/progress")).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);

    await setFault("content", { hang: true });
    await expect(
      fetch(`${sim.urls.content}/api/v1/users/lrn-aurora-001/progress`, {
        headers: auth,
        signal: AbortSignal.timeout(300),
      }),
    ).rejects.toThrow();

    await setFault("content", { down: true });
    await expect(get("content", "/api/v1/users/lrn-aurora-001/progress")).rejects.toThrow(TypeError);

    expect((await fetch(`${sim.baseUrl}/__admin/faults`, { method: "DELETE" })).status).toBe(204);
    expect((await get("content", "/api/v1/users/lrn-aurora-001/progress")).status).toBe(200);
  });

  it("rejects an unknown service or a malformed fault", async () => {
    expect((await setFault("billing", {})).status).toBe(404);
    expect((await setFault("content", { errorRate: 2 })).status).toBe(400);
    expect((await setFault("content", { explode: true })).status).toBe(400);
  });

  it("counts calls per endpoint and the distinct service tokens", async () => {
    await fetch(`${sim.baseUrl}/__admin/stats`, { method: "DELETE" });
    await get("skills", "/api/v1/users/lrn-aurora-002/skills");
    await get("skills", "/api/v1/users/lrn-aurora-002/skills");
    const stats = await (await fetch(`${sim.baseUrl}/__admin/stats`)).json();
    expect(stats.calls.skills["GET /api/v1/users/lrn-aurora-002/skills"]).toBe(2);
    expect(stats.distinctTokens).toBe(1);
  });
});

describe("history replay for the ledger", () => {
  it("pages the events of one organization in batches of at most 500 with stable ids", async () => {
    const first = await (await fetch(`${sim.baseUrl}/__admin/history/events?orgId=org-cascade`)).json();
    expect(first.events).toHaveLength(500);
    expect(first.total).toBeGreaterThan(500);
    expect(new Set(first.events.map((e: { orgId: string }) => e.orgId))).toEqual(new Set(["org-cascade"]));
    const second = await (
      await fetch(`${sim.baseUrl}/__admin/history/events?orgId=org-cascade&cursor=${first.nextCursor}`)
    ).json();
    const ids = [...first.events, ...second.events].map((e: { eventId: string }) => e.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const types = new Set(historyEvents(sim.world).map((e) => e.type));
    expect(types).toEqual(
      new Set([
        "login",
        "lesson_completed",
        "assessment_passed",
        "assessment_failed",
        "course_completed",
        "devlab_session",
      ]),
    );
  });
});

describe("ports", () => {
  it("prefers the nine ports after the admin port, and takes any free one when one of them is in use", async () => {
    const { createServer } = await import("node:net");
    const occupy = (port: number) =>
      new Promise<import("node:net").Server>((resolve, reject) => {
        const server = createServer().once("error", reject);
        server.listen(port, "127.0.0.1", () => resolve(server));
      });
    const release = (servers: import("node:net").Server[]) =>
      Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    // Ten free ports in a row, held while found (a busy test run takes ports at random), then all
    // let go but the third service's preferred one, which a squatter keeps.
    let adminPort = 0;
    let squatter: import("node:net").Server | undefined;
    for (let attempt = 0; attempt < 50 && !squatter; attempt++) {
      const held: import("node:net").Server[] = [await occupy(0)];
      adminPort = (held[0]!.address() as import("node:net").AddressInfo).port;
      try {
        for (let k = 1; k <= 9; k++) held.push(await occupy(adminPort + k));
        squatter = held[3];
        await release(held.filter((server) => server !== squatter));
      } catch {
        await release(held);
      }
    }
    if (!squatter) return expect.fail("found no ten free loopback ports in a row");
    const started = await startSimulator({ now: NOW, seed: 8, port: adminPort });
    try {
      const ports = Object.values(started.urls).map((u) => Number(new URL(u).port));
      expect(new URL(started.baseUrl).port).toBe(String(adminPort));
      expect(ports[0]).toBe(adminPort + 1);
      expect(ports[2]).not.toBe(adminPort + 3);
      expect(ports[2]).toBeLessThan(32_768); // below the ephemeral range, see the next test
      expect(new Set(ports).size).toBe(9);
      const answer = await fetch(`${Object.values(started.urls)[2]}/health`, { headers: auth });
      expect(answer.status).toBeLessThan(500);
    } finally {
      await started.stop();
      squatter.close();
    }
  });

  it("keeps the services below the ephemeral range, so one taken down gets its own port back", async () => {
    // Linux hands outgoing connections local ports from 32768 up (macOS from 49152). A service
    // port there, closed while "down", can become some client's local end, and listening on it
    // again then fails with EADDRINUSE (an e2e outage test once never recovered so).
    for (const url of Object.values(sim.urls)) expect(Number(new URL(url).port)).toBeLessThan(32_768);
    const before = sim.urls.course;
    await sim.setFault("course", { down: true });
    try {
      await expect(fetch(`${before}/health`)).rejects.toThrow();
      await sim.setFault("course", {});
      expect(sim.urls.course).toBe(before);
      expect((await get("course", "/api/v1/enrollments?userId=lrn-aurora-001")).status).toBe(200);
    } finally {
      await sim.clearFaults();
    }
  });
});
