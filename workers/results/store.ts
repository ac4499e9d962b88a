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
import {
  addRollups as insertRollups,
  insertErrors,
  insertResults as insertResultRows,
  lockBatchMonitors,
  notifyAll,
  openIncidentStarts,
  regionKeys,
  regionStates,
  updateMonitors as updateMonitorRows,
  updateSchedules as updateScheduleRows,
  type ErrorColumns,
  type ResultColumns,
} from "../../core/db/queries/results.ts";
import { maintenanceWindowsAround } from "../../core/db/queries/maintenance-windows.ts";
import { sqlOfClient, type Sql } from "../../core/db/sql.ts";
import { encodeMs, errorCode } from "../../core/domain/compact-result.ts";
import { PHASES, type RollupBatch, type RollupDelta } from "../../core/domain/rollups.ts";
import { applyCertificateAlerts, applyIncidentEvents } from "./incidents.ts";
import { foldSummary, summaryView } from "../../core/domain/monitor-summary.ts";
import { readSummaries, summaryState, upsertSummaries } from "../../core/db/queries/summaries.ts";
import { planBatch, scheduleKey, type MonitorUpdate, type ScheduleState } from "./plan.ts";
import type { CheckResultRecord } from "./record.ts";

/**
 * One transaction for the whole batch. Results of deleted monitors are skipped, and so
 * are results already stored (a retried batch): only new results change anything.
 */
export function writeBatch(pool: pg.Pool, batch: CheckResultRecord[], tlsExpiryAlertDays: number): Promise<void> {
  const records = [...batch].sort((a, b) => a.checkedAt.getTime() - b.checkedAt.getTime());
  const monitorIds = [...new Set(records.map((r) => r.monitorId))];
  return withTransaction(pool, async (client) => {
    const sql = sqlOfClient(client);
    // Lock the monitors (in id order: no deadlocks between runners) so runners of
    // different regions serialise their updates to one monitor's state.
    const monitors = new Map((await lockBatchMonitors(sql, monitorIds)).map((row) => [row.id, row]));
    const live = await insertResults(
      sql,
      records.filter((record) => monitors.has(record.monitorId)),
      new Map([...monitors.values()].map((monitor) => [monitor.id, monitor.key])),
    );
    // Nothing new (a retried batch): nothing to change. From here on `live` is never empty.
    if (live.length === 0) return;
    const schedules = new Map(
      (await regionStates(sql, [...monitors.keys()])).map((row) => [scheduleKey(row.monitorId, row.region), row]),
    );
    const openIncidents = new Map(
      (await openIncidentStarts(sql, [...monitors.keys()])).map((row) => [row.monitorId, row.startedAt]),
    );

    const maintenance = await maintenanceWindows(sql, [...monitors.keys()], live);
    const plan = planBatch({
      records: live,
      monitors,
      schedules,
      openIncidents,
      maintenance,
      tlsExpiryAlertDays,
    });

    await updateSchedules(sql, live, plan.schedules);
    await updateMonitors(sql, plan.monitorUpdates);
    await applyIncidentEvents(sql, plan.incidentEvents);
    await applyCertificateAlerts(sql, plan.certificateAlerts);
    await addRollups(sql, plan.rollups);
    // The incidents as this batch leaves them: one it opened is down time up to now, one it resolved is not.
    await updateSummaries(sql, plan.rollups, live, monitors, plan.openIncidents);
    // Delivered when this transaction commits, and only then: open dashboards patch these rows.
    await notifyChanges(sql, live, monitors);
  });
}

async function notifyChanges(
  sql: Sql,
  records: CheckResultRecord[],
  monitors: Map<string, { userId: string }>,
): Promise<void> {
  const changes = new Map<string, string[]>();
  for (const monitorId of new Set(records.map((record) => record.monitorId))) {
    const { userId } = monitors.get(monitorId)!;
    changes.set(userId, [...(changes.get(userId) ?? []), monitorId]);
  }
  await notifyAll(sql, MONITOR_CHANGES_CHANNEL, encodeMonitorChanges(changes));
}

/**
 * Folds the batch into each monitor's summary (core/domain/monitor-summary.ts): the
 * same deltas the rollups got, and the new checks' response times.
 */
async function updateSummaries(
  sql: Sql,
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
  const rows = await readSummaries(sql, ids);
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
  await upsertSummaries(sql, {
    id: folded.map((f) => f.id),
    hourStart: folded.map((f) => new Date(f.state.hourStart).toISOString()),
    hourChecks: folded.map((f) => pgArray(f.state.hourChecks)),
    hourDowntime: folded.map((f) => pgArray(f.state.hourDowntime)),
    hourRtSum: folded.map((f) => pgArray(f.state.hourRtSum)),
    hourRtCount: folded.map((f) => pgArray(f.state.hourRtCount)),
    dayStart: folded.map((f) => new Date(f.state.dayStart).toISOString()),
    dayChecks: folded.map((f) => pgArray(f.state.dayChecks)),
    dayDowntime: folded.map((f) => pgArray(f.state.dayDowntime)),
    recentMs: folded.map((f) => pgArray(f.state.recentMs)),
    uptime24h: folded.map((f) => f.uptime24h),
  });
}

const resultKey = (record: { monitorId: string; region: string; scheduledAt: Date }) =>
  `${record.monitorId}|${record.region}|${record.scheduledAt.getTime()}`;

/**
 * Inserts the results not stored yet (compact rows, core/domain/compact-result.ts; the
 * error text of failures into CheckError); returns those, in the batch's order.
 */
async function insertResults(
  sql: Sql,
  batch: CheckResultRecord[],
  monitorKeys: Map<string, number>,
): Promise<CheckResultRecord[]> {
  const unique = new Map(batch.map((record) => [resultKey(record), record]));
  const records = [...unique.values()];
  if (records.length === 0) return [];
  const regionKeys = await regionKeysFor(sql, [...new Set(records.map((record) => record.region))]);
  const columns: ResultColumns = {
    scheduledAt: [],
    monitorKey: [],
    lagMs: [],
    responseTimeMs: [],
    status: [],
    regionKey: [],
    statusCode: [],
    errorCode: [],
    dnsMs: [],
    connectMs: [],
    tlsMs: [],
    ttfbMs: [],
    downloadMs: [],
  };
  const errors: ErrorColumns = { scheduledAt: [], monitorKey: [], regionKey: [], message: [] };
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
  const rows = await insertResultRows(sql, columns);
  const stored = new Set(rows.map((row) => `${row.monitorKey}|${row.regionKey}|${row.scheduledAt.getTime()}`));
  if (errors.message.length > 0) {
    // Only for results stored just now (a retried batch's errors are there already).
    await insertErrors(sql, errors);
  }
  return records.filter((record) =>
    stored.has(`${monitorKeys.get(record.monitorId)}|${regionKeys.get(record.region)}|${record.scheduledAt.getTime()}`),
  );
}

/** The small integer of each region name, made on first use. */
async function regionKeysFor(sql: Sql, names: string[]): Promise<Map<string, number>> {
  const rows = await regionKeys(sql, names);
  return new Map(rows.map((row) => [row.name, row.id]));
}

async function updateSchedules(
  sql: Sql,
  records: CheckResultRecord[],
  states: Map<string, ScheduleState>,
): Promise<void> {
  // The last record of each (monitor, region) in this batch carries its lease and time.
  const latest = new Map<string, CheckResultRecord>();
  for (const record of records) latest.set(`${record.monitorId}|${record.region}`, record);
  const rows = [...latest.entries()].map(([key, record]) => ({ record, state: states.get(key)! }));
  await updateScheduleRows(sql, {
    monitorId: rows.map((r) => r.record.monitorId),
    region: rows.map((r) => r.record.region),
    status: rows.map((r) => r.state.status),
    failures: rows.map((r) => r.state.consecutiveFailures),
    successes: rows.map((r) => r.state.consecutiveSuccesses),
    checkedAt: rows.map((r) => r.record.checkedAt.toISOString()),
    leaseUntil: rows.map((r) => r.record.leaseUntil?.toISOString() ?? null),
  });
}

async function updateMonitors(sql: Sql, updates: Map<string, MonitorUpdate>): Promise<void> {
  const entries = [...updates.entries()];
  await updateMonitorRows(sql, {
    id: entries.map(([id]) => id),
    status: entries.map(([, u]) => u.status),
    changedAt: entries.map(([, u]) => u.changedAt?.toISOString() ?? null),
    checkedAt: entries.map(([, u]) => u.checkedAt.toISOString()),
    responseTimeMs: entries.map(([, u]) => u.responseTimeMs),
    tlsExpiresAt: entries.map(([, u]) => u.tlsExpiresAt),
  });
}

/** [start, end) in ms of the maintenance windows of these monitors around this batch. */
async function maintenanceWindows(
  sql: Sql,
  monitorIds: string[],
  records: CheckResultRecord[],
): Promise<Map<string, [number, number][]>> {
  const windows = new Map<string, [number, number][]>();
  const times = records.map((record) => record.checkedAt.getTime());
  const rows = await maintenanceWindowsAround(
    sql,
    monitorIds,
    new Date(Math.min(...times)).toISOString(),
    new Date(Math.max(...times)).toISOString(),
  );
  for (const row of rows) {
    windows.set(row.monitorId, [...(windows.get(row.monitorId) ?? []), [row.startsAt.getTime(), row.endsAt.getTime()]]);
  }
  return windows;
}

async function addRollups(sql: Sql, batch: RollupBatch): Promise<void> {
  const rows = batch.list();
  await insertRollups(sql, [
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
  ]);
}
