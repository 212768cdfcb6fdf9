/**
 * Recommendation inputs gathered from the upstream simulator over real HTTP (Skills Engine,
 * Learner AI, Course Builder), then answered by the advisor: every recommended course is one of
 * the learner's organization's catalogue, never one they are enrolled in. Without the catalogue
 * there is nothing to recommend (503); without skills the advisor still ranks the catalogue.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SERVICE_SECRET, type Simulator, startSimulator } from "../../simulator/server.ts";
import { createAiAdvisor } from "../ai/advisor.ts";
import { memoryAiCache } from "../ai/cache.ts";
import { UpstreamUnavailableError } from "../deps.ts";
import { createUpstreams, type Upstreams } from "../upstream/index.ts";
import { recommendationContextFromUpstreams } from "./ai.ts";

const NOW = new Date("2026-11-20T12:00:00Z");
let sim: Simulator;
let upstreams: Upstreams;
beforeAll(async () => {
  sim = await startSimulator({ now: NOW, learners: 30 });
  upstreams = createUpstreams({
    urls: sim.urls,
    serviceSecret: DEFAULT_SERVICE_SECRET,
    resilience: { attemptTimeoutMs: 500, callDeadlineMs: 1_000, maxRetries: 0 },
  });
});
afterAll(() => sim.stop());

function aLearner() {
  const learner = [...sim.world.users.values()].find(
    (u) => u.roles.includes("learner") && (sim.world.learners.get(u.id)?.enrollments.length ?? 0) > 0,
  );
  if (!learner) throw new Error("the simulated world has no enrolled learner");
  return learner;
}

describe("recommendationContextFromUpstreams", () => {
  it("gathers skills, goals, enrolments and the organization's catalogue", async () => {
    const learner = aLearner();
    const context = await recommendationContextFromUpstreams(upstreams)(learner.id, learner.orgId);
    const orgCourses = [...sim.world.courses.values()].filter((c) => c.orgId === learner.orgId).map((c) => c.id);
    expect(context.catalogue.map((c) => c.courseId).sort()).toEqual(orgCourses.sort());
    const enrolled = sim.world.learners.get(learner.id)?.enrollments.map((e) => e.courseId) ?? [];
    expect([...context.enrolledCourseIds, ...context.completedCourseIds].sort()).toEqual([...enrolled].sort());
    expect(context.skills.length).toBeGreaterThan(0);
    expect(context.goals.length).toBeGreaterThan(0);

    const advisor = createAiAdvisor({ cache: memoryAiCache(), clock: { now: () => NOW } });
    const answer = await advisor.recommend({ learnerId: learner.id, orgId: learner.orgId, ...context });
    expect(answer.aiSource).toBe("fallback");
    const eligible = orgCourses.filter((id) => !enrolled.includes(id));
    expect(answer.data.items).toHaveLength(Math.min(5, eligible.length));
    for (const item of answer.data.items) expect(eligible).toContain(item.courseId);
    // People read skill names, never the Skills Engine's ids.
    for (const course of context.catalogue) expect(Object.keys(course.skillNames ?? {})).toEqual(course.skills);
    expect(JSON.stringify(answer.data.items)).not.toMatch(/skl-/);
  });

  it("without the Skills Engine still answers from the catalogue", async () => {
    const learner = aLearner();
    await sim.setFault("skills", { down: true });
    try {
      const context = await recommendationContextFromUpstreams(upstreams)(learner.id, learner.orgId);
      expect(context.skills).toEqual([]);
      expect(context.catalogue.length).toBeGreaterThan(0);
    } finally {
      await sim.clearFaults();
    }
  });

  it("without the Course Builder catalogue reports the upstream as unavailable", async () => {
    const learner = aLearner();
    await sim.setFault("course", { down: true });
    try {
      await expect(recommendationContextFromUpstreams(upstreams)(learner.id, learner.orgId)).rejects.toBeInstanceOf(
        UpstreamUnavailableError,
      );
    } finally {
      await sim.clearFaults();
    }
  });
});
