/**
 * Recurring maintenance (pure): when each occurrence starts, from a cron schedule
 * (minute hour day-of-month month day-of-week) read in an IANA time zone, so a window at
 * "Sunday 02:00 Europe/Berlin" stays at 02:00 local time across daylight saving changes.
 * On the day clocks go forward, a start in the skipped hour moves to the same minute of
 * the next hour (02:30 → 03:30); on the day they go back, it happens once, at the first.
 */
import { CronExpressionParser } from "cron-parser";
import { knownTimeZone } from "../text/format.ts";

export interface Recurrence {
  schedule: string;
  timeZone: string;
  durationMinutes: number;
}

export interface Occurrence {
  startsAt: Date;
  endsAt: Date;
}

/** Why a schedule cannot be used (a sentence), or null. Five fields: minutes are the finest step. */
export function scheduleError(schedule: string): string | null {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) return "Five fields: minute hour day-of-month month day-of-week (like 0 2 * * 0)";
  try {
    CronExpressionParser.parse(schedule, { tz: "UTC" });
    return null;
  } catch (error) {
    return `Not a valid schedule: ${(error as Error).message}`;
  }
}

/** Whether this runtime knows the IANA time zone (UTC, named as such, is one). */
export function isTimeZone(timeZone: string): boolean {
  return timeZone === "UTC" || knownTimeZone(timeZone) !== "UTC";
}

/**
 * How far ahead occurrences are made as maintenance windows. Short, since every window
 * made counts against the owner's quota; long enough that the runners' housekeeping (every
 * 10 minutes) makes each one days before it starts — so alerts are muted from its first
 * minute — and that a weekly maintenance always has its next occurrence on its pages.
 */
export const HORIZON_DAYS = 7;
export const HORIZON_MS = HORIZON_DAYS * 86_400_000;

/** A schedule must start at least once this soon, or it is refused (`0 0 30 2 5#5` never does). */
export const FIRST_START_WITHIN_MS = 366 * 86_400_000;

export interface WindowDemand {
  /** The first start from `from` on within FIRST_START_WITHIN_MS, or null. */
  firstStart: Date | null;
  /**
   * The most windows of this schedule that exist at once — those under way and those
   * starting within the horizon — over the coming year; past `cap`, cap + 1 (counting stops).
   */
  peak: number;
}

const DAY_MS = 86_400_000;

/**
 * What a recurring maintenance costs in windows (pure). Two starts are made at the same
 * time when they lie less than horizon + duration apart (one still under way, the other
 * just inside the horizon), so the peak is the most starts within any such span. Counted
 * on the wall clock as if every day had 24 hours (a DST day moves a start by an hour, and
 * the housekeeping makes the farthest one a round later): every chosen day has the same
 * times, so only the days are asked of the parser — a year of hourly starts costs
 * milliseconds, where walking them one by one through the time zone took seconds.
 */
export function windowDemand(rule: Recurrence, from: Date, cap: number, horizonMs = HORIZON_MS): WindowDemand {
  const within = CronExpressionParser.parse(rule.schedule, {
    currentDate: new Date(from.getTime() - 1),
    endDate: new Date(from.getTime() + FIRST_START_WITHIN_MS),
    tz: rule.timeZone,
  });
  if (!within.hasNext()) return { firstStart: null, peak: 0 };
  const firstStart = within.next().toDate();

  const span = horizonMs + rule.durationMinutes * 60_000;
  const { minute, hour } = within.fields;
  const times = hour.values
    .flatMap((h) => minute.values.map((m) => (Number(h) * 60 + Number(m)) * 60_000))
    .sort((a, b) => a - b);
  const [, , dayOfMonth, month, dayOfWeek] = rule.schedule.trim().split(/\s+/);
  const days = CronExpressionParser.parse(`0 0 ${dayOfMonth} ${month} ${dayOfWeek}`, { tz: "UTC" });
  const firstDay = Math.floor(from.getTime() / DAY_MS) * DAY_MS;
  const lastDay = from.getTime() + FIRST_START_WITHIN_MS + span;
  const seen: number[] = [];
  let oldest = 0;
  let peak = 0;
  for (let day = firstDay; day <= lastDay && peak <= cap; day += DAY_MS) {
    if (!days.includesDate(new Date(day))) continue;
    for (const time of times) {
      const start = day + time;
      seen.push(start);
      while (seen[oldest]! <= start - span) oldest += 1;
      peak = Math.max(peak, seen.length - oldest);
      if (peak > cap) break;
    }
  }
  return { firstStart, peak };
}

/** Occurrences under way at `from` or starting before `to`, in order (at most `limit`). */
export function occurrences(rule: Recurrence, from: Date, to: Date, limit = 500): Occurrence[] {
  const durationMs = rule.durationMinutes * 60_000;
  const starts = CronExpressionParser.parse(rule.schedule, {
    // One started up to a duration ago is still running.
    currentDate: new Date(from.getTime() - durationMs - 1),
    endDate: to,
    tz: rule.timeZone,
  });
  const found: Occurrence[] = [];
  while (found.length < limit && starts.hasNext()) {
    const startsAt = starts.next().toDate();
    if (startsAt.getTime() >= to.getTime()) break;
    found.push({ startsAt, endsAt: new Date(startsAt.getTime() + durationMs) });
  }
  return found;
}
