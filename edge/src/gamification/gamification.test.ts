import { describe, expect, it } from "vitest";
import { BADGE_IDS, Gamification } from "../contract.ts";
import { BADGES, currentStreak, progressFrom } from "./progress.ts";
import { gamificationView } from "./read-model.ts";
import { awardsFor, type LearningEvent, levelFor } from "./rules.ts";

let seq = 0;
const ev = (type: LearningEvent["type"], occurredAt: string, data: Record<string, unknown> = {}) => ({
  eventId: `00000000-0000-4000-8000-${String(++seq).padStart(12, "0")}`,
  type,
  occurredAt,
  data,
});

describe("points", () => {
  it("awards each event type its documented points, bonuses as separate rules", () => {
    expect(awardsFor({ type: "lesson_completed", data: {} })).toEqual([{ rule: "lesson_completed", points: 10 }]);
    expect(awardsFor({ type: "assessment_passed", data: { score: 100 } })).toEqual([
      { rule: "assessment_passed", points: 50 },
      { rule: "perfect_score", points: 25 },
    ]);
    expect(awardsFor({ type: "assessment_passed", data: { score: 99.5 } })).toEqual([
      { rule: "assessment_passed", points: 50 },
    ]);
    expect(awardsFor({ type: "assessment_failed", data: { score: 20 } })).toEqual([
      { rule: "assessment_attempted", points: 5 },
    ]);
    expect(awardsFor({ type: "course_completed", data: {} })).toEqual([{ rule: "course_completed", points: 200 }]);
    expect(awardsFor({ type: "devlab_session", data: { minutes: 45 } })).toEqual([
      { rule: "devlab_session", points: 15 },
      { rule: "devlab_deep_work", points: 10 },
    ]);
    expect(awardsFor({ type: "login", data: {} })).toEqual([]);
  });

  it("places points on levels with the span of the current level", () => {
    expect(levelFor(0)).toEqual({ level: 1, levelName: "Newcomer", pointsIntoLevel: 0, pointsForNextLevel: 100 });
    expect(levelFor(99)).toMatchObject({ level: 1, pointsIntoLevel: 99 });
    expect(levelFor(100)).toEqual({ level: 2, levelName: "Explorer", pointsIntoLevel: 0, pointsForNextLevel: 200 });
    expect(levelFor(1234)).toEqual({ level: 5, levelName: "Achiever", pointsIntoLevel: 234, pointsForNextLevel: 600 });
    expect(levelFor(20_000)).toEqual({
      level: 10,
      levelName: "Luminary",
      pointsIntoLevel: 11_000,
      pointsForNextLevel: null,
    });
  });
});

describe("streaks in the learner's time zone", () => {
  it("counts local days: 23:30 and 00:30 in Berlin are two days though 1 hour apart", () => {
    const p = progressFrom(
      [ev("lesson_completed", "2026-01-05T22:30:00Z"), ev("lesson_completed", "2026-01-05T23:30:00Z")],
      "Europe/Berlin",
    );
    expect(p).toMatchObject({ currentRunDays: 2, currentRunEnd: "2026-01-06", longestStreak: 2, activeDays: 2 });
    // The same two instants are one day in New York.
    expect(
      progressFrom(
        [ev("lesson_completed", "2026-01-05T22:30:00Z"), ev("lesson_completed", "2026-01-05T23:30:00Z")],
        "America/New_York",
      ),
    ).toMatchObject({ currentRunDays: 1, activeDays: 1 });
  });

  it("is not broken by the 23-hour day of a spring-forward (New York, 2026-03-08)", () => {
    // 08:00 local on 7, 8 and 9 March: 24 h, then 23 h between them.
    const p = progressFrom(
      [
        ev("lesson_completed", "2026-03-07T13:00:00Z"),
        ev("lesson_completed", "2026-03-08T12:00:00Z"),
        ev("lesson_completed", "2026-03-09T12:00:00Z"),
      ],
      "America/New_York",
    );
    expect(p).toMatchObject({ currentRunDays: 3, currentRunEnd: "2026-03-09", longestStreak: 3 });
  });

  it("is not broken by the 25-hour day of a fall-back (London, 2026-10-25): 23:50 to 23:50 local", () => {
    const p = progressFrom(
      [
        ev("lesson_completed", "2026-10-24T22:50:00Z"), // 23:50 BST on the 24th
        ev("lesson_completed", "2026-10-25T23:50:00Z"), // 23:50 GMT on the 25th, 25 h later
        ev("lesson_completed", "2026-10-26T23:50:00Z"),
      ],
      "Europe/London",
    );
    expect(p).toMatchObject({ currentRunDays: 3, currentRunEnd: "2026-10-26", longestStreak: 3 });
  });

  it("restarts after a missed day, keeps the longest, and ignores logins", () => {
    const p = progressFrom(
      [
        ev("lesson_completed", "2026-01-01T10:00:00Z"),
        ev("devlab_session", "2026-01-02T10:00:00Z", { minutes: 5 }),
        ev("assessment_failed", "2026-01-03T10:00:00Z", { score: 10, assessmentId: "a" }),
        ev("login", "2026-01-04T10:00:00Z"),
        ev("lesson_completed", "2026-01-05T10:00:00Z"),
      ],
      "UTC",
    );
    expect(p).toMatchObject({ currentRunDays: 1, currentRunEnd: "2026-01-05", longestStreak: 3, activeDays: 4 });
  });

  it("shows the run as current through the learner's next day, then zero", () => {
    const run = { currentRunDays: 4, currentRunEnd: "2026-01-05" };
    expect(currentStreak(run, "2026-01-05")).toBe(4);
    expect(currentStreak(run, "2026-01-06")).toBe(4);
    expect(currentStreak(run, "2026-01-07")).toBe(0);
    expect(currentStreak({ currentRunDays: 0, currentRunEnd: null }, "2026-01-07")).toBe(0);
  });
});

describe("badges", () => {
  it("are exactly the contract's BADGE_IDS, which clients word by id", () => {
    expect(BADGES.map((b) => b.id)).toEqual([...BADGE_IDS]);
  });

  const daily = (days: number, from = Date.UTC(2026, 0, 1, 9)) =>
    Array.from({ length: days }, (_, i) => ev("lesson_completed", new Date(from + i * 86_400_000).toISOString()));

  it("earns the 7- and 30-day streak badges on the 7th and 30th day", () => {
    const history = daily(30);
    const badges = Object.fromEntries(progressFrom(history, "UTC").badges.map((b) => [b.badgeId, b.earnedAt]));
    expect(badges.streak_7).toBe(history[6]!.occurredAt);
    expect(badges.streak_30).toBe(history[29]!.occurredAt);
    expect(badges.first_steps).toBe(history[0]!.occurredAt);
    expect(progressFrom(daily(29), "UTC").badges.map((b) => b.badgeId)).not.toContain("streak_30");
  });

  it("earns course, assessment, DevLab and comeback badges at the qualifying event", () => {
    const fail = ev("assessment_failed", "2026-02-01T10:00:00Z", { assessmentId: "as-1", score: 40 });
    const pass = ev("assessment_passed", "2026-02-03T10:00:00Z", { assessmentId: "as-1", score: 100 });
    const courses = ["c1", "c2", "c2", "c3"].map((courseId, i) =>
      ev("course_completed", `2026-02-0${4 + i}T10:00:00Z`, { courseId }),
    );
    const labs = Array.from({ length: 10 }, (_, i) =>
      ev("devlab_session", `2026-02-1${i}T10:00:00Z`, { minutes: i === 3 ? 50 : 20 }),
    );
    const away = ev("lesson_completed", "2026-03-10T10:00:00Z"); // 20 days after the last lab
    const badges = Object.fromEntries(
      progressFrom([fail, pass, ...courses, ...labs, away], "UTC").badges.map((b) => [b.badgeId, b.sourceEventId]),
    );
    expect(badges).toEqual({
      perfect_score: pass.eventId,
      never_give_up: pass.eventId,
      first_course: courses[0]!.eventId,
      course_collector: courses[3]!.eventId, // c2 twice counts once
      deep_work: labs[3]!.eventId,
      devlab_10: labs[9]!.eventId,
      streak_7: labs[6]!.eventId, // ten lab days in a row
      first_steps: away.eventId,
      back_on_track: away.eventId,
    });
  });

  it("gives the same streaks and badges whatever order the events arrive in", () => {
    const history = [
      ...daily(12),
      ev("assessment_passed", "2026-01-04T12:00:00Z", { score: 100, assessmentId: "x" }),
      ev("devlab_session", "2026-01-20T12:00:00Z", { minutes: 60 }),
    ];
    const inOrder = progressFrom(history, "Asia/Tokyo");
    for (let i = 0; i < 5; i += 1) {
      const shuffled = [...history].sort(() => Math.random() - 0.5);
      expect(progressFrom(shuffled, "Asia/Tokyo")).toEqual(inOrder);
    }
  });
});

describe("read model", () => {
  it("produces the contract's Gamification with every badge, earned or locked", () => {
    const view = gamificationView(
      {
        learnerId: "lrn-1",
        orgId: "org-1",
        timeZone: "America/Los_Angeles",
        points: 335,
        streak: { currentRunDays: 3, currentRunEnd: "2026-01-05", longestStreak: 8, activeDays: 20 },
        badges: [{ badgeId: "streak_7", earnedAt: "2026-01-02T10:00:00+00:00" }],
      },
      // 07:00 UTC on the 7th is still the 6th in Los Angeles: the streak is alive.
      new Date("2026-01-07T07:00:00Z"),
    );
    expect(Gamification.parse(view)).toEqual(view);
    expect(view).toMatchObject({
      points: 335,
      level: 3,
      levelName: "Apprentice",
      pointsIntoLevel: 35,
      pointsForNextLevel: 300,
      currentStreak: 3,
      longestStreak: 8,
    });
    expect(view.badges.find((b) => b.id === "streak_7")?.earnedAt).toBe("2026-01-02T10:00:00.000Z");
    expect(view.badges.filter((b) => b.earnedAt === null)).toHaveLength(10);
    expect(
      gamificationView({ ...view, orgId: "o", timeZone: "UTC", streak: null, badges: [] }, new Date()),
    ).toMatchObject({ currentStreak: 0, longestStreak: 0 });
  });
});
