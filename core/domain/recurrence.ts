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
