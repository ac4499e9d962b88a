import { describe, expect, it } from "vitest";
import {
  emptySummary,
  foldSummary,
  RECENT_CHECKS,
  SUMMARY_DAYS,
  SUMMARY_HOURS,
  summaryView,
} from "../../core/domain/monitor-summary.ts";
import { RollupBatch } from "../../core/domain/rollups.ts";

const HOUR = 3_600_000;
const DAY = 86_400_000;
const t0 = Date.UTC(2026, 11, 1, 12, 30);

/** The deltas of checks at these times (ms), as the writer hands them over. */
function deltas(checks: { at: number; up: boolean; ms?: number }[], downtime?: [number, number]) {
  const batch = new RollupBatch();
  for (const check of checks) batch.addCheck("m", check.at, check.up, check.up ? (check.ms ?? 100) : null);
  if (downtime) batch.addDowntime("m", downtime[0], downtime[1]);
  return batch.list();
}

describe("monitor summary", () => {
  it("puts each check in its hour and day, newest last", () => {
    const state = foldSummary(
      null,
      deltas([
        { at: t0, up: true, ms: 80 },
        { at: t0 - HOUR, up: true, ms: 120 },
      ]),
      [80],
      t0,
    );
    expect(state.hourChecks.slice(-2)).toEqual([1, 1]);
    expect(state.hourRtSum.slice(-2)).toEqual([120, 80]);
    expect(state.dayChecks.at(-1)).toBe(2);
    expect(state.hourChecks).toHaveLength(SUMMARY_HOURS);
    expect(state.dayChecks).toHaveLength(SUMMARY_DAYS);
  });

  it("moves the windows on as time passes, dropping what falls out", () => {
    let state = foldSummary(null, deltas([{ at: t0, up: true }]), [100], t0);
    state = foldSummary(state, deltas([{ at: t0 + 3 * HOUR, up: true }]), [100], t0 + 3 * HOUR);
    expect(state.hourChecks.slice(-4)).toEqual([1, 0, 0, 1]);
    state = foldSummary(state, [], [], t0 + 40 * DAY);
    expect(state.hourChecks.every((n) => n === 0)).toBe(true);
    expect(state.dayChecks.every((n) => n === 0)).toBe(true);
  });

  it("judges uptime over exactly 24 hours and 30 days, an open incident up to now", () => {
    const created = t0 - 40 * DAY;
    const state = foldSummary(emptySummary(t0), deltas([], [t0 - 2 * HOUR, t0 - 2 * HOUR + 86_400]), [], t0);
    // 86.4 s of downtime in a day: 99.9 %.
    expect(summaryView(state, { nowMs: t0, createdAtMs: created, openSinceMs: null }).uptime24h).toBe(99.9);
    // Also down for the last 864 s and still open: 1 % of the day more.
    expect(summaryView(state, { nowMs: t0, createdAtMs: created, openSinceMs: t0 - 864_000 }).uptime24h).toBe(98.9);
    // A monitor an hour old is judged over its hour.
    expect(
      summaryView(emptySummary(t0), { nowMs: t0, createdAtMs: t0 - HOUR, openSinceMs: t0 - 360_000 }).uptime24h,
    ).toBe(90);
  });

  it("counts downtime from any day of the last 30, the oldest included, in the 30-day uptime only", () => {
    const created = t0 - 40 * DAY;
    const dayStart = Math.floor(t0 / DAY) * DAY;
    // 36 minutes down 10 days ago, and 36 minutes down on the oldest day the summary keeps.
    const tenDaysAgo = dayStart - 10 * DAY + 3 * HOUR;
    const oldest = dayStart - (SUMMARY_DAYS - 1) * DAY + 3 * HOUR;
    const state = foldSummary(
      emptySummary(t0),
      [...deltas([], [tenDaysAgo, tenDaysAgo + 36 * 60_000]), ...deltas([], [oldest, oldest + 36 * 60_000])],
      [],
      t0,
    );
    const view = summaryView(state, { nowMs: t0, createdAtMs: created, openSinceMs: null });
    expect(view.uptime24h).toBe(100);
    // 72 minutes of 30 days.
    expect(view.uptime30d).toBe(Math.floor((1 - (72 * 60) / (30 * 86_400)) * 100_000) / 1000);
  });

  it("stops counting an outage in the 24-hour uptime a day later, and in the 30-day one a month later", () => {
    const created = t0 - 40 * DAY;
    // 86.4 s down two hours ago: 0.1 % of a day.
    const state = foldSummary(emptySummary(t0), deltas([], [t0 - 2 * HOUR, t0 - 2 * HOUR + 86_400]), [], t0);
    const at = (nowMs: number) => summaryView(state, { nowMs, createdAtMs: created, openSinceMs: null });
    expect(at(t0 + 20 * HOUR)).toMatchObject({ uptime24h: 99.9, uptime30d: 99.996 });
    expect(at(t0 + 24 * HOUR)).toMatchObject({ uptime24h: 100, uptime30d: 99.996 });
    expect(at(t0 + 29 * DAY)).toMatchObject({ uptime24h: 100, uptime30d: 99.996 });
    expect(at(t0 + 32 * DAY)).toMatchObject({ uptime24h: 100, uptime30d: 100 });
  });

  it("draws an hour's average response time, and a gap for an hour without a successful check", () => {
    const state = foldSummary(
      emptySummary(t0),
      deltas([
        { at: t0, up: true, ms: 40 },
        { at: t0, up: true, ms: 60 },
        { at: t0 - HOUR, up: false },
      ]),
      [],
      t0,
    );
    const view = summaryView(state, { nowMs: t0, createdAtMs: t0 - 3 * DAY, openSinceMs: null });
    expect(view.sparkline.slice(-3)).toEqual([null, null, 50]);
  });

  it("shows a brand-new monitor's first check alone", () => {
    const state = foldSummary(null, deltas([{ at: t0, up: true, ms: 80 }]), [80], t0);
    expect(summaryView(state, { nowMs: t0, createdAtMs: t0 - 60_000, openSinceMs: null }).sparkline).toEqual([80]);
  });

  it("keeps 24 hourly points after a long silence", () => {
    const state = foldSummary(foldSummary(null, deltas([{ at: t0, up: true }]), [100], t0), [], [], t0 + 40 * DAY);
    expect(state.hourChecks).toHaveLength(SUMMARY_HOURS);
    expect(state.dayChecks).toHaveLength(SUMMARY_DAYS);
    const view = summaryView(state, { nowMs: t0 + 40 * DAY, createdAtMs: t0 - DAY, openSinceMs: null });
    expect(view.sparkline).toEqual(new Array(24).fill(null));
  });

  it("counts downtime in the oldest hour the 24-hour window reaches", () => {
    const hourStart = Math.floor(t0 / HOUR) * HOUR;
    // Inside the window (it starts 24 h before 12:30), in the hour that began 24 h before this one.
    const start = hourStart - 24 * HOUR + 40 * 60_000;
    const state = foldSummary(emptySummary(t0), deltas([], [start, start + 86_400]), [], t0);
    expect(summaryView(state, { nowMs: t0, createdAtMs: t0 - 40 * DAY, openSinceMs: null }).uptime24h).toBe(99.9);
  });

  it("is drawn by the hour from the moment a monitor is an hour old", () => {
    const view = summaryView(emptySummary(t0), { nowMs: t0, createdAtMs: t0 - HOUR, openSinceMs: null });
    expect(view.sparklineOf).toBe("hours");
  });

  it("shows a young monitor's latest checks, then hourly averages", () => {
    let state = emptySummary(t0);
    for (let i = 0; i < RECENT_CHECKS + 5; i++) state = foldSummary(state, [], [i % 7 === 0 ? null : i], t0);
    const young = summaryView(state, { nowMs: t0, createdAtMs: t0 - 10 * 60_000, openSinceMs: null });
    expect(young.sparklineOf).toBe("checks");
    expect(young.sparkline).toHaveLength(RECENT_CHECKS);
    expect(young.sparkline.at(-1)).toBe(34);
    const older = summaryView(foldSummary(state, deltas([{ at: t0, up: true, ms: 90 }]), [90], t0), {
      nowMs: t0,
      createdAtMs: t0 - 2 * HOUR,
      openSinceMs: null,
    });
    expect(older.sparklineOf).toBe("hours");
    expect(older.sparkline).toHaveLength(24);
    expect(older.sparkline.at(-1)).toBe(90);
  });
});
