/**
 * The result writer's statements (workers/results/store.ts), all inside its one
 * transaction per batch and each one statement for the whole batch (arrays through
 * `unnest`): no round trip per result. Columns arrive as arrays, times as ISO text.
 */
import type { MonitorType } from "../generated/enums.ts";
import type { RegionState, Status } from "../../domain/transitions.ts";
import type { Sql } from "../sql.ts";

/** A monitor of the batch, as the plan needs it (workers/results/plan.ts, PlanMonitor). */
export interface BatchMonitorRow {
  id: string;
  key: number;
  name: string | null;
  url: string;
  type: MonitorType;
  tlsAlertedExpiry: Date | null;
  status: Status;
  failureThreshold: number;
  recoveryThreshold: number;
  downQuorum: number;
  regions: string[];
  createdAt: Date;
  userId: string;
}

/**
 * Locks the batch's monitors (in id order: no deadlocks between runners) so runners of
 * different regions serialise their updates to one monitor's state; deleted ones are absent.
 */
export function lockBatchMonitors(sql: Sql, monitorIds: string[]): Promise<BatchMonitorRow[]> {
  return sql.query<BatchMonitorRow>(
    `SELECT id, key, name, url, type::text AS type, "tlsAlertedExpiry", status, "failureThreshold", "recoveryThreshold", "downQuorum",
                  regions, "createdAt", "userId"
           FROM "Website" WHERE id = ANY($1) ORDER BY id FOR UPDATE`,
    [monitorIds],
  );
}

export interface ScheduleRow extends RegionState {
  monitorId: string;
  region: string;
}

/** Each region's state of these monitors. */
export function regionStates(sql: Sql, monitorIds: string[]): Promise<ScheduleRow[]> {
  return sql.query<ScheduleRow>(
    `SELECT "websiteId" AS "monitorId", region, status, "consecutiveFailures", "consecutiveSuccesses"
           FROM "MonitorSchedule" WHERE "websiteId" = ANY($1)`,
    [monitorIds],
  );
}

/** When the open incident of each of these monitors started (those with one). */
export function openIncidentStarts(sql: Sql, monitorIds: string[]): Promise<{ monitorId: string; startedAt: Date }[]> {
  return sql.query<{ monitorId: string; startedAt: Date }>(
    `SELECT "websiteId" AS "monitorId", "startedAt" FROM "Incident" WHERE "openKey" = ANY($1)`,
    [monitorIds],
  );
}

/** NOTIFYs each payload on `channel`: delivered when the transaction commits, and only then. */
export async function notifyAll(sql: Sql, channel: string, payloads: string[]): Promise<void> {
  await sql.query(`SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload`, [channel, payloads]);
}

/** The small integer of each region name, made on first use. */
export function regionKeys(sql: Sql, names: string[]): Promise<{ id: number; name: string }[]> {
  return sql.query<{ id: number; name: string }>(
    `WITH made AS (INSERT INTO "Region" (name) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING RETURNING id, name)
     SELECT id, name FROM made UNION ALL SELECT id, name FROM "Region" WHERE name = ANY($1)`,
    [names],
  );
}

/** Compact result rows, column by column (core/domain/compact-result.ts), in the table's column order. */
export interface ResultColumns {
  scheduledAt: string[];
  monitorKey: number[];
  lagMs: number[];
  responseTimeMs: number[];
  status: (string | null)[];
  regionKey: number[];
  statusCode: number[];
  errorCode: number[];
  dnsMs: number[];
  connectMs: number[];
  tlsMs: number[];
  ttfbMs: number[];
  downloadMs: number[];
}

/** Inserts the results not stored yet (keyed by monitor, region and slot); returns the keys of those it stored. */
export function insertResults(
  sql: Sql,
  columns: ResultColumns,
): Promise<{ monitorKey: number; regionKey: number; scheduledAt: Date }[]> {
  return sql.query<{ monitorKey: number; regionKey: number; scheduledAt: Date }>(
    `INSERT INTO "CheckResult" ("scheduledAt", "monitorKey", "lagMs", "responseTimeMs", status, "regionKey",
       "statusCode", "errorCode", "dnsMs", "connectMs", "tlsMs", "ttfbMs", "downloadMs")
     SELECT * FROM unnest($1::timestamptz[], $2::int[], $3::int[], $4::int[], $5::"CheckStatus"[], $6::smallint[],
       $7::smallint[], $8::smallint[], $9::smallint[], $10::smallint[], $11::smallint[], $12::smallint[], $13::smallint[])
     ON CONFLICT ("monitorKey", "regionKey", "scheduledAt") DO NOTHING
     RETURNING "monitorKey", "regionKey", "scheduledAt"`,
    [
      columns.scheduledAt,
      columns.monitorKey,
      columns.lagMs,
      columns.responseTimeMs,
      columns.status,
      columns.regionKey,
      columns.statusCode,
      columns.errorCode,
      columns.dnsMs,
      columns.connectMs,
      columns.tlsMs,
      columns.ttfbMs,
      columns.downloadMs,
    ],
  );
}

export interface ErrorColumns {
  scheduledAt: string[];
  monitorKey: number[];
  regionKey: number[];
  message: string[];
}

/** The error texts of failures (a retried batch's are there already: skipped). */
export async function insertErrors(sql: Sql, errors: ErrorColumns): Promise<void> {
  await sql.execute(
    `INSERT INTO "CheckError" ("scheduledAt", "monitorKey", "regionKey", message)
       SELECT * FROM unnest($1::timestamptz[], $2::int[], $3::smallint[], $4::text[])
       ON CONFLICT DO NOTHING`,
    [errors.scheduledAt, errors.monitorKey, errors.regionKey, errors.message],
  );
}

/** Each (monitor, region)'s new state; its lease released if `leaseUntil` is still the one it holds. */
export interface ScheduleColumns {
  monitorId: string[];
  region: string[];
  status: string[];
  failures: number[];
  successes: number[];
  checkedAt: string[];
  leaseUntil: (string | null)[];
}

export async function updateSchedules(sql: Sql, columns: ScheduleColumns): Promise<void> {
  await sql.execute(
    `UPDATE "MonitorSchedule" s
     SET status = u.status::"MonitorStatus",
         "consecutiveFailures" = u.failures,
         "consecutiveSuccesses" = u.successes,
         "lastCheckedAt" = u.checked_at,
         "nextCheckAt" = CASE WHEN s."leaseUntil" = u.lease_until THEN s."leasedSlot" ELSE s."nextCheckAt" END,
         "leasedSlot" = CASE WHEN s."leaseUntil" = u.lease_until THEN NULL ELSE s."leasedSlot" END,
         "leaseUntil" = CASE WHEN s."leaseUntil" = u.lease_until THEN NULL ELSE s."leaseUntil" END
     FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::timestamptz[], $7::timestamptz[])
       AS u(monitor_id, region, status, failures, successes, checked_at, lease_until)
     WHERE s."websiteId" = u.monitor_id AND s.region = u.region`,
    [
      columns.monitorId,
      columns.region,
      columns.status,
      columns.failures,
      columns.successes,
      columns.checkedAt,
      columns.leaseUntil,
    ],
  );
}

/** Each monitor's new status and latest check (a null change or certificate keeps the stored one). */
export interface MonitorColumns {
  id: string[];
  status: string[];
  changedAt: (string | null)[];
  checkedAt: string[];
  responseTimeMs: (number | null)[];
  tlsExpiresAt: (string | null)[];
}

export async function updateMonitors(sql: Sql, columns: MonitorColumns): Promise<void> {
  await sql.execute(
    `UPDATE "Website" w
     SET status = u.status::"MonitorStatus",
         "statusChangedAt" = COALESCE(u.changed_at, w."statusChangedAt"),
         "lastCheckedAt" = u.checked_at,
         "lastResponseTimeMs" = u.response_time_ms,
         "tlsExpiresAt" = COALESCE(u.tls_expires_at, w."tlsExpiresAt")
     FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::int[], $6::timestamptz[])
       AS u(id, status, changed_at, checked_at, response_time_ms, tls_expires_at)
     WHERE w.id = u.id`,
    [columns.id, columns.status, columns.changedAt, columns.checkedAt, columns.responseTimeMs, columns.tlsExpiresAt],
  );
}

/**
 * Adds the batch's deltas to the rollups, column by column: monitor, period, bucket
 * start, checks, failures, downtime, response time sum and count, the five phase sums
 * (dns, connect, tls, ttfb, download) and the histogram as comma-separated text.
 */
export async function addRollups(sql: Sql, columns: readonly unknown[][]): Promise<void> {
  await sql.execute(
    `INSERT INTO "CheckRollup" ("websiteId", period, "bucketStart", checks, failures, "downtimeSeconds",
       "responseTimeSumMs", "responseTimeCount", "dnsSumMs", "connectSumMs", "tlsSumMs", "ttfbSumMs", "downloadSumMs",
       histogram)
     SELECT u.monitor_id, u.period::"RollupPeriod", u.bucket_start, u.checks, u.failures, u.downtime,
       u.rt_sum, u.rt_count, u.dns, u.connect, u.tls, u.ttfb, u.download, string_to_array(u.histogram, ',')::int[]
     FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[], $5::int[], $6::int[], $7::bigint[], $8::int[],
       $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::text[])
       AS u(monitor_id, period, bucket_start, checks, failures, downtime, rt_sum, rt_count,
            dns, connect, tls, ttfb, download, histogram)
     ON CONFLICT ("websiteId", period, "bucketStart") DO UPDATE SET
       checks = "CheckRollup".checks + EXCLUDED.checks,
       failures = "CheckRollup".failures + EXCLUDED.failures,
       "downtimeSeconds" = "CheckRollup"."downtimeSeconds" + EXCLUDED."downtimeSeconds",
       "responseTimeSumMs" = "CheckRollup"."responseTimeSumMs" + EXCLUDED."responseTimeSumMs",
       "responseTimeCount" = "CheckRollup"."responseTimeCount" + EXCLUDED."responseTimeCount",
       "dnsSumMs" = "CheckRollup"."dnsSumMs" + EXCLUDED."dnsSumMs",
       "connectSumMs" = "CheckRollup"."connectSumMs" + EXCLUDED."connectSumMs",
       "tlsSumMs" = "CheckRollup"."tlsSumMs" + EXCLUDED."tlsSumMs",
       "ttfbSumMs" = "CheckRollup"."ttfbSumMs" + EXCLUDED."ttfbSumMs",
       "downloadSumMs" = "CheckRollup"."downloadSumMs" + EXCLUDED."downloadSumMs",
       histogram = CASE WHEN cardinality("CheckRollup".histogram) = 0 THEN EXCLUDED.histogram
         ELSE ARRAY(SELECT a + b FROM unnest("CheckRollup".histogram, EXCLUDED.histogram) WITH ORDINALITY AS h(a, b, i)
                    ORDER BY i) END`,
    columns,
  );
}
