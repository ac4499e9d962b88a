/**
 * MonitorSummary rows as SQL returns them, and their state for core/domain/monitor-summary.ts.
 * The writer folds batches into them; the dashboard reads them.
 */
import type { MonitorSummaryState } from "../domain/monitor-summary.ts";

/** The columns, as `SELECT "hourStart", … FROM "MonitorSummary"` returns them. */
export const SUMMARY_COLUMNS = `"hourStart", "hourChecks", "hourDowntime", "hourRtSum", "hourRtCount",
  "dayStart", "dayChecks", "dayDowntime", "recentMs"`;

export interface SummaryRow {
  hourStart: Date;
  hourChecks: number[];
  hourDowntime: number[];
  hourRtSum: number[];
  hourRtCount: number[];
  dayStart: Date;
  dayChecks: number[];
  dayDowntime: number[];
  recentMs: (number | null)[];
}

export function summaryState(row: SummaryRow): MonitorSummaryState {
  return {
    hourStart: row.hourStart.getTime(),
    hourChecks: row.hourChecks,
    hourDowntime: row.hourDowntime,
    hourRtSum: row.hourRtSum,
    hourRtCount: row.hourRtCount,
    dayStart: row.dayStart.getTime(),
    dayChecks: row.dayChecks,
    dayDowntime: row.dayDowntime,
    recentMs: row.recentMs,
  };
}
