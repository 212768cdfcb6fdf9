import { describe, expect, it } from "vitest";
import {
  addDays,
  daysBetween,
  formatWithOffset,
  localDateOf,
  startOfLocalDay,
  weekStartOf,
  zonedInstant,
  zoneOffsetMs,
} from "./calendar.ts";

describe("calendar in the learner's zone", () => {
  it("reads the local date, not the UTC one", () => {
    // 23:30 UTC on 29 March 2026 is 00:30 BST on the 30th in London (clocks went forward that morning).
    expect(localDateOf("2026-03-29T23:30:00Z", "Europe/London")).toBe("2026-03-30");
    // 00:30 UTC the same day is still GMT: 00:30 on the 29th.
    expect(localDateOf("2026-03-29T00:30:00Z", "Europe/London")).toBe("2026-03-29");
    expect(localDateOf("2026-03-10T03:00:00Z", "America/New_York")).toBe("2026-03-09");
  });

  it("counts a 23-hour and a 25-hour day as one day each", () => {
    expect(daysBetween("2026-03-28", "2026-03-30")).toBe(2); // spans the spring-forward Sunday
    expect(daysBetween("2026-10-24", "2026-10-26")).toBe(2); // spans the fall-back Sunday
    expect(daysBetween("2026-03-31", "2026-03-01")).toBe(-30);
    expect(addDays("2026-03-29", 1)).toBe("2026-03-30");
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
  });

  it("starts weeks on Monday", () => {
    expect(weekStartOf("2026-03-31")).toBe("2026-03-30"); // Tuesday
    expect(weekStartOf("2026-03-29")).toBe("2026-03-23"); // Sunday
    expect(weekStartOf("2026-03-30")).toBe("2026-03-30");
  });

  it("finds the instant of a wall time on both sides of a change", () => {
    expect(zonedInstant("2026-03-28", "12:00", "Europe/London").toISOString()).toBe("2026-03-28T12:00:00.000Z");
    expect(zonedInstant("2026-03-30", "12:00", "Europe/London").toISOString()).toBe("2026-03-30T11:00:00.000Z");
    // 01:30 does not exist on 29 March in London: read with the summer offset, it is 00:30 UTC.
    expect(zonedInstant("2026-03-29", "01:30", "Europe/London").toISOString()).toBe("2026-03-29T00:30:00.000Z");
    // 01:30 happens twice on 25 October: the first (BST) one is returned.
    expect(zonedInstant("2026-10-25", "01:30", "Europe/London").toISOString()).toBe("2026-10-25T00:30:00.000Z");
    expect(startOfLocalDay("2026-07-01", "America/New_York").toISOString()).toBe("2026-07-01T04:00:00.000Z");
    expect(zoneOffsetMs(new Date("2026-07-01T00:00:00Z"), "Asia/Kolkata")).toBe(19_800_000);
    expect(formatWithOffset(new Date("2026-07-01T00:00:00Z"), "Asia/Kolkata")).toBe("2026-07-01T05:30:00+05:30");
    expect(formatWithOffset(new Date("2013-10-27T12:00:00Z"), "Europe/London")).toBe("2013-10-27T12:00:00+00:00");
  });
});
