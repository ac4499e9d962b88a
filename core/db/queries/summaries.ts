/**
 * MonitorSummary rows as SQL returns them, and their state for core/domain/monitor-summary.ts.
 * The writer folds batches into them (read and upserted here); the dashboard reads them.
 */
import type { MonitorSummaryState } from "../../domain/monitor-summary.ts";
import type { Sql } from "../sql.ts";

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

/** The stored summaries of these monitors (those that have one). */
export function readSummaries(sql: Sql, monitorIds: string[]): Promise<(SummaryRow & { monitorId: string })[]> {
  return sql.query<SummaryRow & { monitorId: string }>(
    `SELECT "websiteId" AS "monitorId", ${SUMMARY_COLUMNS} FROM "MonitorSummary" WHERE "websiteId" = ANY($1)`,
    [monitorIds],
  );
}

/** One summary per monitor, column by column: arrays as PostgreSQL array text (`{1,2,NULL}`), times as ISO text. */
export interface SummaryColumns {
  id: string[];
  hourStart: string[];
  hourChecks: string[];
  hourDowntime: string[];
  hourRtSum: string[];
  hourRtCount: string[];
  dayStart: string[];
  dayChecks: string[];
  dayDowntime: string[];
  recentMs: string[];
  uptime24h: (number | null)[];
}

/** Writes the summaries (one statement for the batch). */
export async function upsertSummaries(sql: Sql, columns: SummaryColumns): Promise<void> {
  await sql.execute(
    `INSERT INTO "MonitorSummary" ("websiteId", "hourStart", "hourChecks", "hourDowntime", "hourRtSum", "hourRtCount",
       "dayStart", "dayChecks", "dayDowntime", "recentMs", "uptime24h", "updatedAt")
     SELECT u.id, u.hour_start, u.hour_checks::int[], u.hour_downtime::int[], u.hour_rt_sum::int[],
       u.hour_rt_count::int[], u.day_start, u.day_checks::int[], u.day_downtime::int[], u.recent::int[], u.uptime, now()
     FROM unnest($1::text[], $2::timestamp[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamp[],
       $8::text[], $9::text[], $10::text[], $11::float8[])
       AS u(id, hour_start, hour_checks, hour_downtime, hour_rt_sum, hour_rt_count, day_start, day_checks,
            day_downtime, recent, uptime)
     ON CONFLICT ("websiteId") DO UPDATE SET
       "hourStart" = EXCLUDED."hourStart", "hourChecks" = EXCLUDED."hourChecks",
       "hourDowntime" = EXCLUDED."hourDowntime", "hourRtSum" = EXCLUDED."hourRtSum",
       "hourRtCount" = EXCLUDED."hourRtCount", "dayStart" = EXCLUDED."dayStart",
       "dayChecks" = EXCLUDED."dayChecks", "dayDowntime" = EXCLUDED."dayDowntime",
       "recentMs" = EXCLUDED."recentMs", "uptime24h" = EXCLUDED."uptime24h", "updatedAt" = now()`,
    [
      columns.id,
      columns.hourStart,
      columns.hourChecks,
      columns.hourDowntime,
      columns.hourRtSum,
      columns.hourRtCount,
      columns.dayStart,
      columns.dayChecks,
      columns.dayDowntime,
      columns.recentMs,
      columns.uptime24h,
    ],
  );
}
