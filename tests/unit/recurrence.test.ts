/** Recurring maintenance's occurrences (pure): local times kept across daylight saving changes, and the form's schedule. */
import { describe, expect, it } from "vitest";
import { occurrences, scheduleError, windowDemand } from "../../core/domain/recurrence.ts";

import { scheduleFromForm } from "../../app/lib/status-pages/recurrence-form.ts";

const starts = (schedule: string, timeZone: string, from: string, to: string) =>
  occurrences({ schedule, timeZone, durationMinutes: 60 }, new Date(from), new Date(to)).map((o) =>
    o.startsAt.toISOString(),
  );

/** The wall-clock time at `at` in `timeZone`, as people there read it. */
const localTime = (at: string, timeZone: string) =>
  new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit" }).format(new Date(at));

describe("occurrences in a time zone", () => {
  it("keep their local time when Berlin moves its clocks forward (28 March 2027)", () => {
    // Sunday 01:00: CET (UTC+1) before the change, CEST (UTC+2) after.
    expect(starts("0 1 * * 0", "Europe/Berlin", "2027-03-20T00:00:00Z", "2027-04-05T00:00:00Z")).toEqual([
      "2027-03-21T00:00:00.000Z",
      "2027-03-28T00:00:00.000Z",
      "2027-04-03T23:00:00.000Z",
    ]);
  });

  it("move a start in the skipped hour to the same minute of the next (02:30 → 03:30), once", () => {
    const found = starts("30 2 * * 0", "Europe/Berlin", "2027-03-20T00:00:00Z", "2027-04-05T00:00:00Z");
    expect(found.map((at) => localTime(at, "Europe/Berlin"))).toEqual(["02:30", "03:30", "02:30"]);
    expect(found).toEqual(["2027-03-21T01:30:00.000Z", "2027-03-28T01:30:00.000Z", "2027-04-04T00:30:00.000Z"]);
  });

  it("happen once in the repeated hour when the clocks go back (31 October 2027), at the first", () => {
    expect(starts("30 2 * * *", "Europe/Berlin", "2027-10-30T12:00:00Z", "2027-11-01T12:00:00Z")).toEqual([
      "2027-10-31T00:30:00.000Z",
      "2027-11-01T01:30:00.000Z",
    ]);
  });

  it("follow New York's change too (14 March 2027): 09:00 local is 14:00 UTC, then 13:00", () => {
    expect(starts("0 9 * * *", "America/New_York", "2027-03-13T00:00:00Z", "2027-03-16T00:00:00Z")).toEqual([
      "2027-03-13T14:00:00.000Z",
      "2027-03-14T13:00:00.000Z",
      "2027-03-15T13:00:00.000Z",
    ]);
  });

  it("include the one under way", () => {
    const now = new Date("2027-06-02T02:30:00Z");
    const [current] = occurrences(
      { schedule: "0 2 * * *", timeZone: "UTC", durationMinutes: 60 },
      now,
      new Date("2027-06-03T00:00:00Z"),
    );
    expect(current).toEqual({ startsAt: new Date("2027-06-02T02:00:00Z"), endsAt: new Date("2027-06-02T03:00:00Z") });
  });
});

describe("schedules", () => {
  it("refuse what cron cannot read, with the reason", () => {
    expect(scheduleError("0 2 * * 0")).toBeNull();
    expect(scheduleError("0 2 * *")).toMatch(/Five fields/);
    expect(scheduleError("0 25 * * *")).toMatch(/Not a valid schedule/);
  });

  it("come from the form's choices, or say what is missing", () => {
    const form = { repeat: "weekly", days: ["1", "3"], dayOfMonth: undefined, time: "02:05", cron: undefined };
    expect(scheduleFromForm(form)).toEqual({ schedule: "5 2 * * 1,3" });
    expect(scheduleFromForm({ ...form, repeat: "monthly", dayOfMonth: "15" })).toEqual({ schedule: "5 2 15 * *" });
    expect(scheduleFromForm({ ...form, repeat: "daily" })).toEqual({ schedule: "5 2 * * *" });
    expect(scheduleFromForm({ ...form, repeat: "cron", cron: " 0 3 1 * * " })).toEqual({ schedule: "0 3 1 * *" });
    expect(scheduleFromForm({ ...form, days: [], time: "" })).toEqual({
      fieldErrors: { time: ["Choose the start time"], days: ["Choose at least one day"] },
    });
  });
});

describe("window demand (what a schedule costs against the quota)", () => {
  const from = new Date("2026-12-07T12:00:00Z");
  const demand = (schedule: string, durationMinutes: number, cap = 200) =>
    windowDemand({ schedule, timeZone: "Europe/Berlin", durationMinutes }, from, cap);

  it("is the most windows made at once over the year: the week ahead and the one under way", () => {
    expect(demand("0 2 * * 0", 60)).toMatchObject({ peak: 2 }); // weekly: the next, and the one under way
    expect(demand("0 2 * * *", 60).peak).toBe(8); // daily
    expect(demand("0 2 1 * *", 60).peak).toBe(1); // monthly
    expect(demand("0 * * * *", 30).peak).toBe(169); // hourly: 7 × 24, and the one under way
  });

  it("stops counting past the cap (every minute), and has no first start for a day that never comes", () => {
    expect(demand("* * * * *", 1).peak).toBe(201);
    expect(demand("0 0 30 2 5#5", 60)).toEqual({ firstStart: null, peak: 0 });
    expect(demand("0 0 29 2 *", 60).firstStart).toBeNull(); // next in 2028: over a year away
    expect(demand("0 0 29 2 *", 60, 200).peak).toBe(0);
    expect(demand("0 9 25 12 *", 60).firstStart?.toISOString()).toBe("2026-12-25T08:00:00.000Z");
  });
});
