/**
 * Calendar arithmetic in a learner's IANA time zone, on Intl alone (Temporal is not enabled by
 * default on Node 24 nor in workerd). Days are counted between local calendar dates, never by
 * dividing milliseconds by 86 400 000, so a 23- or 25-hour day across a daylight-saving change is
 * still one day.
 *
 * A local date is a `YYYY-MM-DD` string; arithmetic on it goes through UTC midnight, where every
 * day has 24 hours.
 */

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallTime(instant: Date, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour! % 24,
    minute: parts.minute!,
    second: parts.second!,
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The learner's calendar date at an instant. */
export function localDateOf(instant: Date | string, timeZone: string): string {
  const w = wallTime(typeof instant === "string" ? new Date(instant) : instant, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

function utcMidnight(date: string): number {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcMidnight(to) - utcMidnight(from)) / DAY_MS);
}

export function addDays(date: string, days: number): string {
  return new Date(utcMidnight(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Monday of the ISO week holding `date`. */
export function weekStartOf(date: string): string {
  const weekday = new Date(utcMidnight(date)).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}

/** Offset of the zone from UTC at an instant, in milliseconds (Europe/London in summer: +3 600 000). */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
  const w = wallTime(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The instant at which the learner's wall clock shows `date` `time` (HH:MM[:SS]). In the hour a
 * spring-forward skips, the wall time does not exist and the later offset applies; in the hour a
 * fall-back repeats, the earlier of the two instants is returned.
 */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const [h = 0, mi = 0, s = 0] = time.split(":").map(Number);
  const wall = utcMidnight(date) + ((h * 60 + mi) * 60 + s) * 1000;
  // The offset can only be one of the offsets in force a day either side; try both.
  const before = zoneOffsetMs(new Date(wall - DAY_MS), timeZone);
  const after = zoneOffsetMs(new Date(wall + DAY_MS), timeZone);
  const candidates = [wall - before, wall - after].sort((a, b) => a - b);
  for (const c of candidates) {
    if (c + zoneOffsetMs(new Date(c), timeZone) === wall) return new Date(c);
  }
  return new Date(wall - after); // skipped wall time: read it with the offset after the change
}

/** The instant a local calendar day begins (not always 00:00 in every zone, hence computed). */
export function startOfLocalDay(date: string, timeZone: string): Date {
  return zonedInstant(date, "00:00", timeZone);
}

/** ISO 8601 with the zone's offset at that instant, e.g. `2013-10-27T12:00:00+00:00`. */
export function formatWithOffset(instant: Date, timeZone: string): string {
  const offsetMin = Math.round(zoneOffsetMs(instant, timeZone) / 60_000);
  const w = wallTime(instant, timeZone);
  const sign = offsetMin < 0 ? "-" : "+";
  const abs = Math.abs(offsetMin);
  return (
    `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}
