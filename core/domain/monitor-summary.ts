/**
 * A monitor's summary: what its row in the list shows, kept up to date by the result
 * writer (in the same transaction as the results) so that a list reads one row per
 * monitor and never aggregates rollups per request.
 *
 * It holds the last 25 hours and 31 days as slots (the windows the 24-hour and 30-day
 * uptimes are judged over, partial first slot included, exactly as the rollups give
 * them) and the last RECENT_CHECKS response times, for a sparkline before there is an
 * hour of history. Pure: the writer folds rollup deltas in; readers shift to now.
 */
import { DAY_MS, floorTo, HOUR_MS } from "./time.ts";
import type { RollupDelta } from "./rollups.ts";
import { openIncidentSeconds, uptimePercent } from "./uptime.ts";

/** Hour slots: the 24-hour window starts in the hour 24 hours ago, so it spans 25. */
export const SUMMARY_HOURS = 25;
/** Day slots: the 30-day window starts on the day 30 days ago, so it spans 31. */
export const SUMMARY_DAYS = 31;
/** Response times kept one by one (null: a failed check). */
export const RECENT_CHECKS = 30;
/** Hour slots a sparkline shows. */
export const SPARKLINE_HOURS = 24;

export interface MonitorSummaryState {
  /** Start (ms) of the newest hour slot, the last of each hour array. */
  hourStart: number;
  hourChecks: number[];
  hourDowntime: number[];
  hourRtSum: number[];
  hourRtCount: number[];
  /** Start (ms) of the newest day slot. */
  dayStart: number;
  dayChecks: number[];
  dayDowntime: number[];
  /** Response times of the latest checks, oldest first. */
  recentMs: (number | null)[];
}

const zeros = (length: number) => new Array<number>(length).fill(0);

export function emptySummary(nowMs: number): MonitorSummaryState {
  return {
    hourStart: floorTo(nowMs, HOUR_MS),
    hourChecks: zeros(SUMMARY_HOURS),
    hourDowntime: zeros(SUMMARY_HOURS),
    hourRtSum: zeros(SUMMARY_HOURS),
    hourRtCount: zeros(SUMMARY_HOURS),
    dayStart: floorTo(nowMs, DAY_MS),
    dayChecks: zeros(SUMMARY_DAYS),
    dayDowntime: zeros(SUMMARY_DAYS),
    recentMs: [],
  };
}

/** `slots` whose newest slot starts at `from`, moved so that it starts at `to` (older slots fall off). */
function shifted(slots: readonly number[], from: number, to: number, size: number): number[] {
  const steps = Math.round((to - from) / size);
  if (steps <= 0) return [...slots];
  if (steps >= slots.length) return zeros(slots.length);
  return [...slots.slice(steps), ...zeros(steps)];
}

/** The summary as of `nowMs`: its newest slots are the current hour and day. */
export function shiftSummary(state: MonitorSummaryState, nowMs: number): MonitorSummaryState {
  const hourStart = Math.max(state.hourStart, floorTo(nowMs, HOUR_MS));
  const dayStart = Math.max(state.dayStart, floorTo(nowMs, DAY_MS));
  const hours = (slots: number[]) => shifted(slots, state.hourStart, hourStart, HOUR_MS);
  const days = (slots: number[]) => shifted(slots, state.dayStart, dayStart, DAY_MS);
  return {
    hourStart,
    hourChecks: hours(state.hourChecks),
    hourDowntime: hours(state.hourDowntime),
    hourRtSum: hours(state.hourRtSum),
    hourRtCount: hours(state.hourRtCount),
    dayStart,
    dayChecks: days(state.dayChecks),
    dayDowntime: days(state.dayDowntime),
    recentMs: state.recentMs,
  };
}

/**
 * Folds one batch into a monitor's summary: its rollup deltas (checks, downtime and
 * response times per hour and day, as added to the rollups) and the response times of
 * its new checks in order (null for a failure).
 */
export function foldSummary(
  previous: MonitorSummaryState | null,
  deltas: readonly RollupDelta[],
  recent: readonly (number | null)[],
  nowMs: number,
): MonitorSummaryState {
  const newest = Math.max(nowMs, ...deltas.map((delta) => delta.bucketStart));
  const state = shiftSummary(previous ?? emptySummary(newest), newest);
  for (const delta of deltas) {
    if (delta.period === "HOUR") {
      const slot = SUMMARY_HOURS - 1 - Math.round((state.hourStart - delta.bucketStart) / HOUR_MS);
      if (slot < 0) continue; // older than the window: only the rollups keep it
      state.hourChecks[slot]! += delta.checks;
      state.hourDowntime[slot]! += delta.downtimeSeconds;
      state.hourRtSum[slot]! += delta.responseTimeSumMs;
      state.hourRtCount[slot]! += delta.responseTimeCount;
    } else {
      const slot = SUMMARY_DAYS - 1 - Math.round((state.dayStart - delta.bucketStart) / DAY_MS);
      if (slot < 0) continue;
      state.dayChecks[slot]! += delta.checks;
      state.dayDowntime[slot]! += delta.downtimeSeconds;
    }
  }
  state.recentMs = [...state.recentMs, ...recent].slice(-RECENT_CHECKS);
  return state;
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

export interface SummaryView {
  uptime24h: number | null;
  uptime30d: number | null;
  /**
   * Average response time per hour over the last 24 hours, or — while the monitor has
   * less than an hour of history — its latest checks one by one. Null: no successful check.
   */
  sparkline: (number | null)[];
  sparklineOf: "hours" | "checks";
}

/**
 * What a list row shows, as of `nowMs`. Uptime = 1 − confirmed downtime ÷ window, over
 * the monitor's own life when it is younger than the window; a still-open incident
 * counts up to now (its downtime reaches the rollups when it resolves).
 */
export function summaryView(
  stored: MonitorSummaryState,
  { nowMs, createdAtMs, openSinceMs }: { nowMs: number; createdAtMs: number; openSinceMs: number | null },
): SummaryView {
  const state = shiftSummary(stored, nowMs);
  // As the monitor page judges it (uptime.server.ts): the window is exactly 24 hours or
  // 30 days back from now (or the monitor's life, if shorter), its downtime from every
  // slot the window touches, an open incident counted up to now.
  const judged = (windowMs: number, downtimeSeconds: number) => {
    const start = Math.max(nowMs - windowMs, createdAtMs);
    const windowSeconds = (nowMs - start) / 1000;
    const downtime = Math.min(
      windowSeconds,
      Math.round(downtimeSeconds + openIncidentSeconds(openSinceMs, start, nowMs)),
    );
    return uptimePercent(downtime, windowSeconds);
  };
  const young = nowMs - createdAtMs < HOUR_MS;
  const hourly = state.hourRtSum.slice(-SPARKLINE_HOURS).map((total, index) => {
    const count = state.hourRtCount[SUMMARY_HOURS - SPARKLINE_HOURS + index]!;
    return count > 0 ? Math.round(total / count) : null;
  });
  return {
    uptime24h: judged(DAY_MS, sum(state.hourDowntime)),
    uptime30d: judged(30 * DAY_MS, sum(state.dayDowntime)),
    sparkline: young ? [...state.recentMs] : hourly,
    sparklineOf: young ? "checks" : "hours",
  };
}
