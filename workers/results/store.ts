/**
 * The store: one transaction per batch. It locks the batch's monitors, inserts the
 * results not stored yet (keyed by monitor, region and slot: a retried batch stores
 * nothing twice), reads the state the plan needs, and applies the plan (plan.ts):
 * schedules, monitors, incidents and their alerts, certificate alerts, rollups.
 */
import type pg from "pg";
import { withTransaction } from "../../core/db/pg-pool.ts";
import { MONITOR_CHANGES_CHANNEL } from "../../core/db/channels.ts";
import { encodeMonitorChanges } from "../../core/db/monitor-changes.ts";
import { encodeMs, errorCode } from "../../core/domain/compact-result.ts";
import { PHASES, type RollupBatch, type RollupDelta } from "../../core/domain/rollups.ts";
import { applyCertificateAlerts, applyIncidentEvents } from "./incidents.ts";
import { foldSummary, summaryView } from "../../core/domain/monitor-summary.ts";
import { SUMMARY_COLUMNS, summaryState, type SummaryRow } from "../../core/db/monitor-summaries.ts";
import { planBatch, scheduleKey, type MonitorUpdate, type PlanMonitor, type ScheduleState } from "./plan.ts";
import type { CheckResultRecord } from "./record.ts";

/**
 * One transaction for the whole batch. Results of deleted monitors are skipped, and so
 * are results already stored (a retried batch): only new results change anything.
 */
export function writeBatch(pool: pg.Pool, batch: CheckResultRecord[], tlsExpiryAlertDays: number): Promise<void> {
  const records = [...batch].sort((a, b) => a.checkedAt.getTime() - b.checkedAt.getTime());
  const monitorIds = [...new Set(records.map((r) => r.monitorId))];
  return withTransaction(pool, async (client) => {
    // Lock the monitors (in id order: no deadlocks between runners) so runners of
    // different regions serialise their updates to one monitor's state.
    const monitors = new Map(
      (
        await client.query<PlanMonitor & { key: number; createdAt: Date; userId: string }>(
          `SELECT id, key, name, url, type::text AS type, "tlsAlertedExpiry", status, "failureThreshold", "recoveryThreshold", "downQuorum",
                  regions, "createdAt", "userId"
           FROM "Website" WHERE id = ANY($1) ORDER BY id FOR UPDATE`,
          [monitorIds],
        )
      ).rows.map((row) => [row.id, row]),
    );
    const live = await insertResults(
      client,
      records.filter((record) => monitors.has(record.monitorId)),
      new Map([...monitors.values()].map((monitor) => [monitor.id, monitor.key])),
    );
    // Nothing new (a retried batch): nothing to change. From here on `live` is never empty.
    if (live.length === 0) return;
    const schedules = new Map(
      (
        await client.query<ScheduleState>(
          `SELECT "websiteId" AS "monitorId", region, status, "consecutiveFailures", "consecutiveSuccesses"
           FROM "MonitorSchedule" WHERE "websiteId" = ANY($1)`,
          [[...monitors.keys()]],
        )
      ).rows.map((row) => [scheduleKey(row.monitorId, row.region), row]),
    );
    const openIncidents = new Map(
      (
        await client.query<{ monitorId: string; startedAt: Date }>(
          `SELECT "websiteId" AS "monitorId", "startedAt" FROM "Incident" WHERE "openKey" = ANY($1)`,
          [[...monitors.keys()]],
        )
      ).rows.map((row) => [row.monitorId, row.startedAt]),
    );

    const maintenance = await maintenanceWindows(client, [...monitors.keys()], live);
    const plan = planBatch({
      records: live,
      monitors,
      schedules,
      openIncidents,
      maintenance,
      tlsExpiryAlertDays,
    });

    await updateSchedules(client, live, plan.schedules);
    await updateMonitors(client, plan.monitorUpdates);
    await applyIncidentEvents(client, plan.incidentEvents);
    await applyCertificateAlerts(client, plan.certificateAlerts);
    await addRollups(client, plan.rollups);
    // The incidents as this batch leaves them: one it opened is down time up to now, one it resolved is not.
    await updateSummaries(client, plan.rollups, live, monitors, plan.openIncidents);
    // Delivered when this transaction commits, and only then: open dashboards patch these rows.
    await notifyChanges(client, live, monitors);
  });
}

async function notifyChanges(
  client: pg.PoolClient,
  records: CheckResultRecord[],
  monitors: Map<string, { userId: string }>,
): Promise<void> {
  const changes = new Map<string, string[]>();
  for (const monitorId of new Set(records.map((record) => record.monitorId))) {
    const { userId } = monitors.get(monitorId)!;
    changes.set(userId, [...(changes.get(userId) ?? []), monitorId]);
  }
  await client.query(`SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload`, [
    MONITOR_CHANGES_CHANNEL,
    encodeMonitorChanges(changes),
  ]);
}

/**
 * Folds the batch into each monitor's summary (core/domain/monitor-summary.ts): the
 * same deltas the rollups got, and the new checks' response times.
 */
async function updateSummaries(
  client: pg.PoolClient,
  rollups: RollupBatch,
  records: CheckResultRecord[],
  monitors: Map<string, { createdAt: Date }>,
  openIncidents: Map<string, Date>,
): Promise<void> {
  const deltas = new Map<string, RollupDelta[]>();
  for (const delta of rollups.list()) deltas.set(delta.monitorId, [...(deltas.get(delta.monitorId) ?? []), delta]);
  const recent = new Map<string, (number | null)[]>();
  for (const record of records) {
    const list = recent.get(record.monitorId) ?? [];
    list.push(record.verdict.status === "UP" ? record.verdict.responseTimeMs : null);
    recent.set(record.monitorId, list);
  }
  // Every stored result is in `recent`, and every delta comes from one: these are the monitors of `records`.
  const ids = [...recent.keys()];
  const { rows } = await client.query<SummaryRow & { monitorId: string }>(
    `SELECT "websiteId" AS "monitorId", ${SUMMARY_COLUMNS} FROM "MonitorSummary" WHERE "websiteId" = ANY($1)`,
    [ids],
  );
  const stored = new Map(rows.map((row) => [row.monitorId, summaryState(row)]));
  const nowMs = Date.now();
  const folded = ids.map((id) => {
    const state = foldSummary(stored.get(id) ?? null, deltas.get(id) ?? [], recent.get(id) ?? [], nowMs);
    const { uptime24h } = summaryView(state, {
      nowMs,
      createdAtMs: monitors.get(id)!.createdAt.getTime(),
      openSinceMs: openIncidents.get(id)?.getTime() ?? null,
    });
    return { id, state, uptime24h };
  });
  const pgArray = (values: readonly (number | null)[]) => `{${values.map((v) => (v === null ? "NULL" : v)).join(",")}}`;
  await client.query(
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
      folded.map((f) => f.id),
      folded.map((f) => new Date(f.state.hourStart).toISOString()),
      folded.map((f) => pgArray(f.state.hourChecks)),
      folded.map((f) => pgArray(f.state.hourDowntime)),
      folded.map((f) => pgArray(f.state.hourRtSum)),
      folded.map((f) => pgArray(f.state.hourRtCount)),
      folded.map((f) => new Date(f.state.dayStart).toISOString()),
      folded.map((f) => pgArray(f.state.dayChecks)),
      folded.map((f) => pgArray(f.state.dayDowntime)),
      folded.map((f) => pgArray(f.state.recentMs)),
      folded.map((f) => f.uptime24h),
    ],
  );
}

const resultKey = (record: { monitorId: string; region: string; scheduledAt: Date }) =>
  `${record.monitorId}|${record.region}|${record.scheduledAt.getTime()}`;

/**
 * Inserts the results not stored yet (compact rows, core/domain/compact-result.ts; the
 * error text of failures into CheckError); returns those, in the batch's order.
 */
async function insertResults(
  client: pg.PoolClient,
  batch: CheckResultRecord[],
  monitorKeys: Map<string, number>,
): Promise<CheckResultRecord[]> {
  const unique = new Map(batch.map((record) => [resultKey(record), record]));
  const records = [...unique.values()];
  if (records.length === 0) return [];
  const regionKeys = await regionKeysFor(client, [...new Set(records.map((record) => record.region))]);
  const columns = {
    scheduledAt: [] as string[],
    monitorKey: [] as number[],
    lagMs: [] as number[],
    responseTimeMs: [] as number[],
    status: [] as (string | null)[],
    regionKey: [] as number[],
    statusCode: [] as number[],
    errorCode: [] as number[],
    dnsMs: [] as number[],
    connectMs: [] as number[],
    tlsMs: [] as number[],
    ttfbMs: [] as number[],
    downloadMs: [] as number[],
  };
  const errors = {
    scheduledAt: [] as string[],
    monitorKey: [] as number[],
    regionKey: [] as number[],
    message: [] as string[],
  };
  for (const record of records) {
    const verdict = record.verdict;
    const outcome = verdict.status === null ? null : verdict;
    const monitorKey = monitorKeys.get(record.monitorId)!;
    const regionKey = regionKeys.get(record.region)!;
    const scheduledAt = record.scheduledAt.toISOString();
    columns.scheduledAt.push(scheduledAt);
    columns.monitorKey.push(monitorKey);
    columns.lagMs.push(Math.max(0, Math.min(2_147_483_647, record.checkedAt.getTime() - record.scheduledAt.getTime())));
    columns.responseTimeMs.push(Math.max(0, Math.round(outcome?.responseTimeMs ?? 0)));
    columns.status.push(verdict.status);
    columns.regionKey.push(regionKey);
    columns.statusCode.push(outcome?.statusCode ?? 0);
    columns.errorCode.push(errorCode(verdict.errorClass ?? null));
    columns.dnsMs.push(encodeMs(outcome?.timings.dnsMs));
    columns.connectMs.push(encodeMs(outcome?.timings.connectMs));
    columns.tlsMs.push(encodeMs(outcome?.timings.tlsMs));
    columns.ttfbMs.push(encodeMs(outcome?.timings.ttfbMs));
    columns.downloadMs.push(encodeMs(outcome?.timings.downloadMs));
    if (verdict.error) {
      errors.scheduledAt.push(scheduledAt);
      errors.monitorKey.push(monitorKey);
      errors.regionKey.push(regionKey);
      errors.message.push(verdict.error);
    }
  }
  const { rows } = await client.query<{ monitorKey: number; regionKey: number; scheduledAt: Date }>(
    `INSERT INTO "CheckResult" ("scheduledAt", "monitorKey", "lagMs", "responseTimeMs", status, "regionKey",
       "statusCode", "errorCode", "dnsMs", "connectMs", "tlsMs", "ttfbMs", "downloadMs")
     SELECT * FROM unnest($1::timestamptz[], $2::int[], $3::int[], $4::int[], $5::"CheckStatus"[], $6::smallint[],
       $7::smallint[], $8::smallint[], $9::smallint[], $10::smallint[], $11::smallint[], $12::smallint[], $13::smallint[])
     ON CONFLICT ("monitorKey", "regionKey", "scheduledAt") DO NOTHING
     RETURNING "monitorKey", "regionKey", "scheduledAt"`,
    Object.values(columns),
  );
  const stored = new Set(rows.map((row) => `${row.monitorKey}|${row.regionKey}|${row.scheduledAt.getTime()}`));
  if (errors.message.length > 0) {
    // Only for results stored just now (a retried batch's errors are there already).
    await client.query(
      `INSERT INTO "CheckError" ("scheduledAt", "monitorKey", "regionKey", message)
       SELECT * FROM unnest($1::timestamptz[], $2::int[], $3::smallint[], $4::text[])
       ON CONFLICT DO NOTHING`,
      Object.values(errors),
    );
  }
  return records.filter((record) =>
    stored.has(`${monitorKeys.get(record.monitorId)}|${regionKeys.get(record.region)}|${record.scheduledAt.getTime()}`),
  );
}

/** The small integer of each region name, made on first use. */
async function regionKeysFor(client: pg.PoolClient, names: string[]): Promise<Map<string, number>> {
  const { rows } = await client.query<{ id: number; name: string }>(
    `WITH made AS (INSERT INTO "Region" (name) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING RETURNING id, name)
     SELECT id, name FROM made UNION ALL SELECT id, name FROM "Region" WHERE name = ANY($1)`,
    [names],
  );
  return new Map(rows.map((row) => [row.name, row.id]));
}

async function updateSchedules(
  client: pg.PoolClient,
  records: CheckResultRecord[],
  states: Map<string, ScheduleState>,
): Promise<void> {
  // The last record of each (monitor, region) in this batch carries its lease and time.
  const latest = new Map<string, CheckResultRecord>();
  for (const record of records) latest.set(`${record.monitorId}|${record.region}`, record);
  const rows = [...latest.entries()].map(([key, record]) => ({ record, state: states.get(key)! }));
  await client.query(
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
      rows.map((r) => r.record.monitorId),
      rows.map((r) => r.record.region),
      rows.map((r) => r.state.status),
      rows.map((r) => r.state.consecutiveFailures),
      rows.map((r) => r.state.consecutiveSuccesses),
      rows.map((r) => r.record.checkedAt.toISOString()),
      rows.map((r) => r.record.leaseUntil?.toISOString() ?? null),
    ],
  );
}

async function updateMonitors(client: pg.PoolClient, updates: Map<string, MonitorUpdate>): Promise<void> {
  const entries = [...updates.entries()];
  await client.query(
    `UPDATE "Website" w
     SET status = u.status::"MonitorStatus",
         "statusChangedAt" = COALESCE(u.changed_at, w."statusChangedAt"),
         "lastCheckedAt" = u.checked_at,
         "lastResponseTimeMs" = u.response_time_ms,
         "tlsExpiresAt" = COALESCE(u.tls_expires_at, w."tlsExpiresAt")
     FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::int[], $6::timestamptz[])
       AS u(id, status, changed_at, checked_at, response_time_ms, tls_expires_at)
     WHERE w.id = u.id`,
    [
      entries.map(([id]) => id),
      entries.map(([, u]) => u.status),
      entries.map(([, u]) => u.changedAt?.toISOString() ?? null),
      entries.map(([, u]) => u.checkedAt.toISOString()),
      entries.map(([, u]) => u.responseTimeMs),
      entries.map(([, u]) => u.tlsExpiresAt),
    ],
  );
}

/** [start, end) in ms of the maintenance windows of these monitors around this batch. */
async function maintenanceWindows(
  client: pg.PoolClient,
  monitorIds: string[],
  records: CheckResultRecord[],
): Promise<Map<string, [number, number][]>> {
  const windows = new Map<string, [number, number][]>();
  const times = records.map((record) => record.checkedAt.getTime());
  const { rows } = await client.query<{ monitorId: string; startsAt: Date; endsAt: Date }>(
    `SELECT mm."websiteId" AS "monitorId", w."startsAt", w."endsAt"
     FROM "MaintenanceMonitor" mm JOIN "MaintenanceWindow" w ON w.id = mm."maintenanceId"
     WHERE mm."websiteId" = ANY($1) AND w."startsAt" <= $3::timestamptz AND w."endsAt" > $2::timestamptz`,
    [monitorIds, new Date(Math.min(...times)).toISOString(), new Date(Math.max(...times)).toISOString()],
  );
  for (const row of rows) {
    windows.set(row.monitorId, [...(windows.get(row.monitorId) ?? []), [row.startsAt.getTime(), row.endsAt.getTime()]]);
  }
  return windows;
}

async function addRollups(client: pg.PoolClient, batch: RollupBatch): Promise<void> {
  const rows = batch.list();
  await client.query(
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
    [
      rows.map((r) => r.monitorId),
      rows.map((r) => r.period),
      rows.map((r) => new Date(r.bucketStart).toISOString()),
      rows.map((r) => r.checks),
      rows.map((r) => r.failures),
      rows.map((r) => r.downtimeSeconds),
      rows.map((r) => r.responseTimeSumMs),
      rows.map((r) => r.responseTimeCount),
      ...PHASES.map((phase) => rows.map((r) => r.phaseSumsMs[phase])),
      rows.map((r) => r.histogram.join(",")),
    ],
  );
}
