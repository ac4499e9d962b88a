/**
 * The maintenance page's "Repeats" form as a cron schedule (pure, isomorphic): weekly on
 * chosen days, monthly on a day, daily, or a cron expression typed as is.
 */
export const REPEATS = ["weekly", "monthly", "daily", "cron"] as const;
export type Repeat = (typeof REPEATS)[number];

/** Cron's day numbers, Monday first as people list them. */
export const WEEKDAYS = [
  ["1", "Mon"],
  ["2", "Tue"],
  ["3", "Wed"],
  ["4", "Thu"],
  ["5", "Fri"],
  ["6", "Sat"],
  ["0", "Sun"],
] as const;

export interface RepeatForm {
  repeat: string | undefined;
  days: string[];
  dayOfMonth: string | undefined;
  /** "HH:MM", as an <input type="time"> sends it. */
  time: string | undefined;
  cron: string | undefined;
}

/** The schedule the form describes, or what is missing from it, by field (the schedule itself is checked by the API). */
export function scheduleFromForm(form: RepeatForm): { schedule: string } | { fieldErrors: Record<string, string[]> } {
  if (form.repeat === "cron") return { schedule: (form.cron ?? "").trim() };
  const [, hour, minute] = /^(\d{1,2}):(\d{2})$/.exec(form.time ?? "") ?? [];
  const fieldErrors: Record<string, string[]> = {};
  if (hour === undefined || Number(hour) > 23 || Number(minute) > 59) fieldErrors.time = ["Choose the start time"];
  const at = `${Number(minute)} ${Number(hour)}`;
  let schedule: string;
  switch (form.repeat) {
    case "monthly": {
      const day = Number(form.dayOfMonth);
      if (!Number.isInteger(day) || day < 1 || day > 31) fieldErrors.dayOfMonth = ["A day of the month, 1 to 31"];
      schedule = `${at} ${day} * *`;
      break;
    }
    case "daily":
      schedule = `${at} * * *`;
      break;
    default: {
      const days = form.days.filter((day) => /^[0-6]$/.test(day));
      if (days.length === 0) fieldErrors.days = ["Choose at least one day"];
      schedule = `${at} * * ${days.join(",")}`;
    }
  }
  return Object.keys(fieldErrors).length > 0 ? { fieldErrors } : { schedule };
}
