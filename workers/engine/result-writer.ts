/**
 * Writes check results in batches: one transaction per flush stores every result
 * (one multi-row insert), moves each region's state through the state machine, updates
 * the monitors, opens and resolves incidents, and adds to the hourly/daily rollups.
 *
 * While the database is unreachable, results wait in memory (up to `queueLimit`; past
 * it the oldest are dropped and counted) and are flushed on reconnect, in order.
 *
 * Writes are idempotent: a result is keyed by (monitor, region, scheduled time), and
 * only results stored for the first time move states, incidents and rollups, so a batch
 * retried after a lost COMMIT acknowledgement changes nothing twice. A batch PostgreSQL
 * refuses for its data (not its connection) is split until the record at fault is
 * found; that record is stored without its outside-world text, and the others as they are.
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { Logger } from "../../app/server/logger.server.ts";
import type { CheckVerdict } from "./check-task.ts";
import { isConnectionError, withTransaction } from "../../app/server/db/pg-pool.server.ts";
import { storableOptionalText, storableRecord, storableText } from "../../app/lib/storable.ts";
import type { AlertPayload } from "../notifications/events.ts";
import { enqueueForMonitor, enqueueForSubscribers } from "../notifications/enqueue.ts";
import { PHASES, RollupBatch } from "./rollups.ts";
import { applyCheck, incidentChange, monitorStatus, type RegionState, type Status } from "./transitions.ts";

export interface CheckResultRecord {
  websiteId: string;
  region: string;
  scheduledAt: Date;
  checkedAt: Date;
  /** The claim's lease; null for checks run while the database was unreachable. */
  leaseUntil: Date | null;
  verdict: CheckVerdict;
}

export interface ResultWriterOptions {
  pool: pg.Pool;
  logger: Logger;
  queueLimit: number;
  flushIntervalMs?: number;
  maxBatch?: number;
  /** Alert once per certificate when it expires within this many days (default 14). */
  tlsExpiryAlertDays?: number;
}

export interface ResultWriter {
  push(record: CheckResultRecord): void;
  /** Flushes everything queued; resolves once the queue is empty (or `timeoutMs` passed). */
  drain(timeoutMs: number): Promise<void>;
  stop(): void;
  /** `repaired`: results stored without their error text and snapshot, which PostgreSQL refused. */
  stats(): { queued: number; written: number; dropped: number; repaired: number };
  /** When the writer last had nothing waiting or wrote a batch (ms since epoch). */
  lastProgressAt(): number;
}

const MAX_ERROR_LENGTH = 500;
const MAX_HEADER_LENGTH = 1_000;

/** The record with its outside-world text made storable (see app/lib/storable.ts). */
export function storableCheckRecord(record: CheckResultRecord): CheckResultRecord {
  const verdict = record.verdict;
  if (verdict.status === null)
    return { ...record, verdict: { ...verdict, error: storableText(verdict.error, MAX_ERROR_LENGTH) } };
  return {
    ...record,
    verdict: {
      ...verdict,
      error: storableOptionalText(verdict.error, MAX_ERROR_LENGTH),
      snapshot: verdict.snapshot && {
        statusCode: verdict.snapshot.statusCode,
        headers: storableRecord(verdict.snapshot.headers, MAX_HEADER_LENGTH),
        body: storableText(verdict.snapshot.body),
      },
    },
  };
}

/** Last resort for a record PostgreSQL still refused: keep the verdict and timings only. */
function strippedCheckRecord(record: CheckResultRecord): CheckResultRecord {
  const note = "(the error text could not be stored)";
  const verdict = record.verdict;
  if (verdict.status === null) return { ...record, verdict: { ...verdict, error: note } };
  return { ...record, verdict: { ...verdict, error: verdict.error && note, snapshot: null, tlsExpiresAt: null } };
}

/** PostgreSQL refused the data (SQLSTATE classes 22 data exception, 23 integrity, 54 limits). */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" && /^(22|23|54)/.test(code);
}

export function createResultWriter(options: ResultWriterOptions): ResultWriter {
  const { pool, logger, queueLimit } = options;
  const flushIntervalMs = options.flushIntervalMs ?? 200;
  const maxBatch = options.maxBatch ?? 2_000;
  const queue: CheckResultRecord[] = [];
  let written = 0;
  let dropped = 0;
  let repaired = 0;
  let lastProgressAt = Date.now();
  let flushing: Promise<void> | null = null;
  let backoffMs = 0;
  let failuresInARow = 0;
  let stopped = false;

  const tlsExpiryAlertDays = options.tlsExpiryAlertDays ?? 14;

  /** Writes `batch`; on a data error, halves it until the bad record is alone. */
  const store = async (batch: CheckResultRecord[]): Promise<void> => {
    try {
      await writeBatch(pool, batch, tlsExpiryAlertDays);
    } catch (error) {
      if (!isDataError(error)) throw error;
      if (batch.length > 1) {
        // Halves are written in order; one already stored is skipped on a retry (idempotent).
        const middle = Math.ceil(batch.length / 2);
        await store(batch.slice(0, middle));
        await store(batch.slice(middle));
        return;
      }
      const [record] = batch as [CheckResultRecord];
      logger.error(
        { err: error, monitorId: record.websiteId, region: record.region },
        "a check result was refused by PostgreSQL; storing it without its error text and response snapshot",
      );
      try {
        await writeBatch(pool, [strippedCheckRecord(record)], tlsExpiryAlertDays);
        repaired += 1;
      } catch (stillRefused) {
        if (!isDataError(stillRefused)) throw stillRefused;
        dropped += 1;
        logger.error({ err: stillRefused, monitorId: record.websiteId }, "a check result could not be stored at all");
      }
    }
  };

  const flushOnce = async () => {
    const batch = queue.slice(0, maxBatch);
    if (batch.length === 0) return;
    try {
      await store(batch);
      queue.splice(0, batch.length);
      written += batch.length;
      lastProgressAt = Date.now();
      if (backoffMs > 0) logger.info({ queued: queue.length }, "database reachable again: flushing queued results");
      backoffMs = 0;
      failuresInARow = 0;
    } catch (error) {
      failuresInARow += 1;
      backoffMs = Math.min(5_000, Math.max(200, backoffMs * 2));
      if (isConnectionError(error)) {
        if (failuresInARow === 1)
          logger.warn({ err: error, queued: queue.length }, "database unreachable: queueing results");
      } else if (failuresInARow >= 5) {
        // Not a connection problem and not going away: drop this batch rather than block all others.
        queue.splice(0, batch.length);
        dropped += batch.length;
        failuresInARow = 0;
        logger.error({ err: error, dropped: batch.length }, "could not write results; batch dropped");
      } else {
        logger.error({ err: error }, "could not write results; retrying");
      }
    }
  };

  const kick = () => {
    if (queue.length === 0) lastProgressAt = Date.now();
    if (flushing || stopped) return;
    flushing = (async () => {
      while (queue.length > 0) {
        if (backoffMs > 0) await new Promise((resolve) => setTimeout(resolve, backoffMs));
        await flushOnce();
        if (backoffMs === 0 && queue.length < maxBatch) break;
      }
    })().finally(() => {
      flushing = null;
    });
  };

  const timer = setInterval(kick, flushIntervalMs);
  timer.unref();

  return {
    push(record) {
      queue.push(storableCheckRecord(record));
      if (queue.length > queueLimit) {
        const excess = queue.length - queueLimit;
        queue.splice(0, excess);
        dropped += excess;
        logger.error({ dropped: excess, queueLimit }, "result queue full: oldest results dropped");
      }
      if (queue.length >= maxBatch) kick();
    },
    async drain(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (queue.length > 0 && Date.now() < deadline) {
        kick();
        await (flushing ?? Promise.resolve());
        if (queue.length > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(backoffMs || 50, 500)));
      }
      if (queue.length > 0) logger.error({ lost: queue.length }, "results still unwritten at shutdown");
    },
    stop() {
      stopped = true;
      clearInterval(timer);
    },
    stats: () => ({ queued: queue.length, written, dropped, repaired }),
    lastProgressAt: () => lastProgressAt,
  };
}

interface WebsiteRow {
  id: string;
  name: string | null;
  url: string;
  tlsAlertedExpiry: Date | null;
  status: Status;
  failureThreshold: number;
  recoveryThreshold: number;
  downQuorum: number;
  regions: string[];
}

interface ScheduleRow extends RegionState {
  websiteId: string;
  region: string;
}

/** What a flush changes on a monitor row. */
interface MonitorUpdate {
  status: Status;
  /** When its status changed, if it did in this batch. */
  changedAt: Date | null;
  checkedAt: Date;
  responseTimeMs: number | null;
  tlsExpiresAt: string | null;
}

interface OpenIncident {
  websiteId: string;
  startedAt: Date;
}

/**
 * One transaction for the whole batch. Results of deleted monitors are skipped, and so
 * are results already stored (a retried batch): only new results change anything.
 */
function writeBatch(pool: pg.Pool, batch: CheckResultRecord[], tlsExpiryAlertDays: number): Promise<void> {
  const records = [...batch].sort((a, b) => a.checkedAt.getTime() - b.checkedAt.getTime());
  const websiteIds = [...new Set(records.map((r) => r.websiteId))];
  return withTransaction(pool, async (client) => {
    // Lock the monitors (in id order: no deadlocks between runners) so runners of
    // different regions serialise their updates to one monitor's state.
    const websites = new Map(
      (
        await client.query<WebsiteRow>(
          `SELECT id, name, url, "tlsAlertedExpiry", status, "failureThreshold", "recoveryThreshold", "downQuorum", regions
           FROM "Website" WHERE id = ANY($1) ORDER BY id FOR UPDATE`,
          [websiteIds],
        )
      ).rows.map((row) => [row.id, row]),
    );
    const live = await insertResults(
      client,
      records.filter((record) => websites.has(record.websiteId)),
    );
    const schedules = new Map(
      (
        await client.query<ScheduleRow>(
          `SELECT "websiteId", region, status, "consecutiveFailures", "consecutiveSuccesses"
           FROM "MonitorSchedule" WHERE "websiteId" = ANY($1)`,
          [[...websites.keys()]],
        )
      ).rows.map((row) => [`${row.websiteId}|${row.region}`, row]),
    );
    const openIncidents = new Map(
      (
        await client.query<OpenIncident>(`SELECT "websiteId", "startedAt" FROM "Incident" WHERE "openKey" = ANY($1)`, [
          [...websites.keys()],
        ])
      ).rows.map((row) => [row.websiteId, row]),
    );

    const maintenance = await maintenanceWindows(client, [...websites.keys()], live);
    const rollups = new RollupBatch();
    const monitorUpdates = new Map<string, MonitorUpdate>();
    // In the order they happened: a resolve and a new open of one monitor in one batch
    // must hit the database (and the outbox) in that order.
    const incidentEvents: IncidentEvent[] = [];

    for (const record of live) {
      const website = websites.get(record.websiteId)!;
      const key = `${record.websiteId}|${record.region}`;
      const previous = schedules.get(key) ?? {
        websiteId: record.websiteId,
        region: record.region,
        status: "PENDING" as Status,
        consecutiveFailures: 0,
        consecutiveSuccesses: 0,
      };
      const verdict = record.verdict.status;
      const next = applyCheck(previous, verdict, website);
      schedules.set(key, { ...previous, ...next });

      const regionStatuses = website.regions.map(
        (region) => schedules.get(`${record.websiteId}|${region}`)?.status ?? "PENDING",
      );
      const before = monitorUpdates.get(record.websiteId)?.status ?? website.status;
      const after = monitorStatus(regionStatuses, website.downQuorum);
      // In a maintenance window, failures open no incident (so no alerts and no downtime);
      // a monitor still down when the window ends gets its incident then.
      const inMaintenance = (maintenance.get(record.websiteId) ?? []).some(
        ([start, end]) => record.checkedAt.getTime() >= start && record.checkedAt.getTime() < end,
      );
      const change = incidentChange(openIncidents.has(record.websiteId), after);
      if (change === "open" && !inMaintenance) {
        const downRegions = website.regions.filter(
          (region) => schedules.get(`${record.websiteId}|${region}`)?.status === "DOWN",
        );
        incidentEvents.push({ kind: "open", website, record, regions: downRegions });
        openIncidents.set(record.websiteId, { websiteId: record.websiteId, startedAt: record.checkedAt });
      } else if (change === "resolve") {
        const incident = openIncidents.get(record.websiteId)!;
        incidentEvents.push({ kind: "resolve", website, at: record.checkedAt });
        rollups.addDowntime(record.websiteId, incident.startedAt.getTime(), record.checkedAt.getTime());
        openIncidents.delete(record.websiteId);
      }

      if (verdict !== null) {
        const outcome = record.verdict;
        const { dnsMs, connectMs, tlsMs, ttfbMs, downloadMs } = outcome.timings;
        rollups.addCheck(record.websiteId, record.checkedAt.getTime(), verdict === "UP", outcome.responseTimeMs, {
          dns: dnsMs,
          connect: connectMs,
          tls: tlsMs,
          ttfb: ttfbMs,
          download: downloadMs,
        });
        const previousUpdate = monitorUpdates.get(record.websiteId);
        monitorUpdates.set(record.websiteId, {
          status: after,
          changedAt: after !== before ? record.checkedAt : (previousUpdate?.changedAt ?? null),
          checkedAt: record.checkedAt,
          responseTimeMs: outcome.responseTimeMs,
          tlsExpiresAt: outcome.tlsExpiresAt ?? previousUpdate?.tlsExpiresAt ?? null,
        });
      }
    }

    await updateSchedules(client, live, schedules);
    await updateMonitors(client, monitorUpdates);
    await applyIncidentEvents(client, incidentEvents);
    await alertExpiringCertificates(client, websites, monitorUpdates, tlsExpiryAlertDays);
    await addRollups(client, rollups);
  });
}

const resultKey = (record: { websiteId: string; region: string; scheduledAt: Date }) =>
  `${record.websiteId}|${record.region}|${record.scheduledAt.getTime()}`;

/** Inserts the results not stored yet; returns those (in the batch's order). */
async function insertResults(client: pg.PoolClient, batch: CheckResultRecord[]): Promise<CheckResultRecord[]> {
  const unique = new Map(batch.map((record) => [resultKey(record), record]));
  const records = [...unique.values()];
  if (records.length === 0) return [];
  const columns = {
    websiteId: [] as string[],
    region: [] as string[],
    status: [] as (string | null)[],
    statusCode: [] as (number | null)[],
    responseTimeMs: [] as (number | null)[],
    dnsMs: [] as (number | null)[],
    connectMs: [] as (number | null)[],
    tlsMs: [] as (number | null)[],
    ttfbMs: [] as (number | null)[],
    downloadMs: [] as (number | null)[],
    errorClass: [] as (string | null)[],
    error: [] as (string | null)[],
    tlsExpiresAt: [] as (string | null)[],
    scheduledAt: [] as string[],
    checkedAt: [] as string[],
  };
  for (const record of records) {
    const verdict = record.verdict;
    const outcome = verdict.status === null ? null : verdict;
    columns.websiteId.push(record.websiteId);
    columns.region.push(record.region);
    columns.status.push(verdict.status);
    columns.statusCode.push(outcome?.statusCode ?? null);
    columns.responseTimeMs.push(outcome?.responseTimeMs ?? null);
    columns.dnsMs.push(outcome?.timings.dnsMs ?? null);
    columns.connectMs.push(outcome?.timings.connectMs ?? null);
    columns.tlsMs.push(outcome?.timings.tlsMs ?? null);
    columns.ttfbMs.push(outcome?.timings.ttfbMs ?? null);
    columns.downloadMs.push(outcome?.timings.downloadMs ?? null);
    columns.errorClass.push(verdict.errorClass ?? null);
    columns.error.push(verdict.error);
    columns.tlsExpiresAt.push(outcome?.tlsExpiresAt ?? null);
    columns.scheduledAt.push(record.scheduledAt.toISOString());
    columns.checkedAt.push(record.checkedAt.toISOString());
  }
  const { rows } = await client.query<{ websiteId: string; region: string; scheduledAt: Date }>(
    `INSERT INTO "CheckResult" ("websiteId", region, status, "statusCode", "responseTimeMs", "dnsMs", "connectMs",
       "tlsMs", "ttfbMs", "downloadMs", "errorClass", error, "tlsExpiresAt", "scheduledAt", "checkedAt")
     SELECT * FROM unnest($1::text[], $2::text[], $3::"CheckStatus"[], $4::int[], $5::int[], $6::int[], $7::int[],
       $8::int[], $9::int[], $10::int[], $11::text[], $12::text[], $13::timestamptz[], $14::timestamptz[], $15::timestamptz[])
     ON CONFLICT ("websiteId", region, "scheduledAt") DO NOTHING
     RETURNING "websiteId", region, "scheduledAt"`,
    Object.values(columns),
  );
  const stored = new Set(rows.map(resultKey));
  return records.filter((record) => stored.has(resultKey(record)));
}

async function updateSchedules(
  client: pg.PoolClient,
  records: CheckResultRecord[],
  states: Map<string, ScheduleRow>,
): Promise<void> {
  // The last record of each (monitor, region) in this batch carries its lease and time.
  const latest = new Map<string, CheckResultRecord>();
  for (const record of records) latest.set(`${record.websiteId}|${record.region}`, record);
  if (latest.size === 0) return;
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
       AS u(website_id, region, status, failures, successes, checked_at, lease_until)
     WHERE s."websiteId" = u.website_id AND s.region = u.region`,
    [
      rows.map((r) => r.record.websiteId),
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
  if (updates.size === 0) return;
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

type IncidentEvent =
  | { kind: "open"; website: WebsiteRow; record: CheckResultRecord; regions: string[] }
  | { kind: "resolve"; website: WebsiteRow; at: Date };

interface IncidentRow {
  id: string;
  cause: string;
  causeDetail: string | null;
  regions: string[];
  startedAt: Date;
  resolvedAt: Date | null;
  durationSeconds: number | null;
}

function alertPayload(
  event: AlertPayload["event"],
  website: WebsiteRow,
  incident: IncidentRow | null,
  occurredAt: Date,
): AlertPayload {
  return {
    event,
    occurredAt: occurredAt.toISOString(),
    monitor: { id: website.id, name: website.name, url: website.url },
    incident: incident && {
      id: incident.id,
      cause: incident.cause,
      detail: incident.causeDetail,
      regions: incident.regions,
      startedAt: incident.startedAt.toISOString(),
      resolvedAt: incident.resolvedAt?.toISOString() ?? null,
      durationSeconds: incident.durationSeconds,
    },
    tls: null,
  };
}

/** [start, end) in ms of the maintenance windows of these monitors around this batch. */
async function maintenanceWindows(
  client: pg.PoolClient,
  websiteIds: string[],
  records: CheckResultRecord[],
): Promise<Map<string, [number, number][]>> {
  const windows = new Map<string, [number, number][]>();
  if (records.length === 0) return windows;
  const times = records.map((record) => record.checkedAt.getTime());
  const { rows } = await client.query<{ websiteId: string; startsAt: Date; endsAt: Date }>(
    `SELECT mm."websiteId", w."startsAt", w."endsAt"
     FROM "MaintenanceMonitor" mm JOIN "MaintenanceWindow" w ON w.id = mm."maintenanceId"
     WHERE mm."websiteId" = ANY($1) AND w."startsAt" <= $3::timestamptz AND w."endsAt" > $2::timestamptz`,
    [websiteIds, new Date(Math.min(...times)).toISOString(), new Date(Math.max(...times)).toISOString()],
  );
  for (const row of rows) {
    windows.set(row.websiteId, [...(windows.get(row.websiteId) ?? []), [row.startsAt.getTime(), row.endsAt.getTime()]]);
  }
  return windows;
}

/** The owner's channels and the public pages' subscribers hear about incidents. */
async function enqueueAlerts(client: pg.PoolClient, websiteId: string, incidentId: string, payload: AlertPayload) {
  await enqueueForMonitor(client, websiteId, incidentId, payload);
  await enqueueForSubscribers(client, websiteId, incidentId, payload);
}

/** Opens and resolves incidents, queueing their alerts in the same transaction. */
async function applyIncidentEvents(client: pg.PoolClient, events: IncidentEvent[]): Promise<void> {
  for (const event of events) {
    if (event.kind === "open") {
      const { record, website, regions } = event;
      const verdict = record.verdict;
      const outcome = verdict.status === null ? null : verdict;
      // openKey is unique: a second open incident for the monitor cannot exist.
      const { rows } = await client.query<IncidentRow>(
        `INSERT INTO "Incident" (id, "websiteId", "openKey", cause, "causeDetail", regions, snapshot, "startedAt")
         VALUES ($1, $2, $2, $3, $4, $5, $6, $7)
         ON CONFLICT ("openKey") DO NOTHING
         RETURNING id, cause, "causeDetail", regions, "startedAt", "resolvedAt", "durationSeconds"`,
        [
          randomUUID(),
          website.id,
          verdict.errorClass ?? "unknown",
          verdict.error,
          regions,
          outcome?.snapshot ? JSON.stringify(outcome.snapshot) : null,
          record.checkedAt.toISOString(),
        ],
      );
      const incident = rows[0];
      if (incident)
        await enqueueAlerts(
          client,
          website.id,
          incident.id,
          alertPayload("incident.opened", website, incident, record.checkedAt),
        );
    } else {
      const { rows } = await client.query<IncidentRow>(
        `UPDATE "Incident"
         SET "resolvedAt" = $2::timestamptz, "openKey" = NULL,
             "durationSeconds" = GREATEST(0, round(extract(epoch FROM ($2::timestamptz - "startedAt"::timestamptz))))::int
         WHERE "openKey" = $1
         RETURNING id, cause, "causeDetail", regions, "startedAt", "resolvedAt", "durationSeconds"`,
        [event.website.id, event.at.toISOString()],
      );
      const incident = rows[0];
      if (incident) {
        await enqueueAlerts(
          client,
          event.website.id,
          incident.id,
          alertPayload("incident.resolved", event.website, incident, event.at),
        );
      }
    }
  }
}

const DAY_MS = 86_400_000;

/** One alert per certificate, when it gets within `days` of expiring. */
async function alertExpiringCertificates(
  client: pg.PoolClient,
  websites: Map<string, WebsiteRow>,
  updates: Map<string, MonitorUpdate>,
  days: number,
): Promise<void> {
  for (const [id, update] of updates) {
    const website = websites.get(id);
    if (!website || !update.tlsExpiresAt) continue;
    const expiresAt = new Date(update.tlsExpiresAt);
    const daysLeft = Math.floor((expiresAt.getTime() - update.checkedAt.getTime()) / DAY_MS);
    if (daysLeft > days || website.tlsAlertedExpiry?.getTime() === expiresAt.getTime()) continue;
    await client.query(`UPDATE "Website" SET "tlsAlertedExpiry" = $2::timestamptz WHERE id = $1`, [
      id,
      update.tlsExpiresAt,
    ]);
    await enqueueForMonitor(client, id, null, {
      ...alertPayload("tls.expiring", website, null, update.checkedAt),
      tls: { expiresAt: update.tlsExpiresAt, daysLeft },
    });
  }
}

async function addRollups(client: pg.PoolClient, batch: RollupBatch): Promise<void> {
  const rows = batch.list();
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO "CheckRollup" ("websiteId", period, "bucketStart", checks, failures, "downtimeSeconds",
       "responseTimeSumMs", "responseTimeCount", "dnsSumMs", "connectSumMs", "tlsSumMs", "ttfbSumMs", "downloadSumMs",
       histogram)
     SELECT u.website_id, u.period::"RollupPeriod", u.bucket_start, u.checks, u.failures, u.downtime,
       u.rt_sum, u.rt_count, u.dns, u.connect, u.tls, u.ttfb, u.download, string_to_array(u.histogram, ',')::int[]
     FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[], $5::int[], $6::int[], $7::bigint[], $8::int[],
       $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::text[])
       AS u(website_id, period, bucket_start, checks, failures, downtime, rt_sum, rt_count,
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
      rows.map((r) => r.websiteId),
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
