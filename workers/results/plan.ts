/**
 * What a batch of new check results changes, decided without touching the database:
 * each region's state through the state machine (thresholds), the monitor's status
 * (regional quorum), incidents opened and resolved in the order they happened
 * (a resolve and a new open in one batch stay in that order), no incident for failures
 * inside a maintenance window, downtime for each resolved incident, rollups, and which
 * certificates to alert about. The store (store.ts) reads the inputs and applies the plan
 * in one transaction.
 */
import { monitorType } from "../../core/monitor-types/registry.ts";
import { RollupBatch } from "../../core/domain/rollups.ts";
import { DAY_MS } from "../../core/domain/time.ts";
import {
  applyCheck,
  incidentChange,
  monitorStatus,
  type RegionState,
  type Status,
} from "../../core/domain/transitions.ts";
import type { CheckResultRecord } from "./record.ts";
import type { BatchMonitorRow } from "../../core/db/queries/results.ts";

/** A monitor as the plan judges it: the batch's locked row (core/db/queries/results.ts). */
export type PlanMonitor = Omit<BatchMonitorRow, "key" | "createdAt" | "userId">;

export interface ScheduleState extends RegionState {
  monitorId: string;
  region: string;
}

/** What the batch changes on a monitor row. */
export interface MonitorUpdate {
  status: Status;
  /** When its status changed, if it did in this batch. */
  changedAt: Date | null;
  checkedAt: Date;
  responseTimeMs: number | null;
  tlsExpiresAt: string | null;
}

export type IncidentEvent =
  | { kind: "open"; monitor: PlanMonitor; record: CheckResultRecord; regions: string[] }
  | { kind: "resolve"; monitor: PlanMonitor; at: Date };

export interface CertificateAlert {
  monitor: PlanMonitor;
  expiresAt: string;
  daysLeft: number;
  checkedAt: Date;
}

export interface PlanInput {
  /** New results only, oldest first. */
  records: CheckResultRecord[];
  monitors: Map<string, PlanMonitor>;
  /** By `${monitorId}|${region}`; missing: PENDING with no streak. */
  schedules: Map<string, ScheduleState>;
  /** Open incidents' start, by monitor. */
  openIncidents: Map<string, Date>;
  /** [start, end) ms of maintenance windows, by monitor. */
  maintenance: Map<string, [number, number][]>;
  /** Alert once per certificate when it expires within this many days. */
  tlsExpiryAlertDays: number;
}

export interface Plan {
  schedules: Map<string, ScheduleState>;
  /** Open incidents' start, by monitor, as they are after this batch. */
  openIncidents: Map<string, Date>;
  monitorUpdates: Map<string, MonitorUpdate>;
  incidentEvents: IncidentEvent[];
  rollups: RollupBatch;
  certificateAlerts: CertificateAlert[];
}

export const scheduleKey = (monitorId: string, region: string) => `${monitorId}|${region}`;

export function planBatch(input: PlanInput): Plan {
  const { records, monitors, maintenance } = input;
  const schedules = new Map(input.schedules);
  const openIncidents = new Map(input.openIncidents);
  const rollups = new RollupBatch();
  const monitorUpdates = new Map<string, MonitorUpdate>();
  const incidentEvents: IncidentEvent[] = [];

  for (const record of records) {
    const monitor = monitors.get(record.monitorId);
    if (!monitor) continue;
    const key = scheduleKey(record.monitorId, record.region);
    const previous = schedules.get(key) ?? {
      monitorId: record.monitorId,
      region: record.region,
      status: "PENDING" as Status,
      consecutiveFailures: 0,
      consecutiveSuccesses: 0,
    };
    const verdict = record.verdict.status;
    schedules.set(key, { ...previous, ...applyCheck(previous, verdict, monitor) });

    const regionStatuses = monitor.regions.map(
      (region) => schedules.get(scheduleKey(record.monitorId, region))?.status ?? "PENDING",
    );
    const before = monitorUpdates.get(record.monitorId)?.status ?? monitor.status;
    const after = monitorStatus(regionStatuses, monitor.downQuorum);
    // In a maintenance window, failures open no incident (so no alerts and no downtime);
    // a monitor still down when the window ends gets its incident then.
    const at = record.checkedAt.getTime();
    const inMaintenance = (maintenance.get(record.monitorId) ?? []).some(([start, end]) => at >= start && at < end);
    const change = incidentChange(openIncidents.has(record.monitorId), after);
    if (change === "open" && !inMaintenance) {
      const downRegions = monitor.regions.filter(
        (region) => schedules.get(scheduleKey(record.monitorId, region))?.status === "DOWN",
      );
      incidentEvents.push({ kind: "open", monitor, record, regions: downRegions });
      openIncidents.set(record.monitorId, record.checkedAt);
    } else if (change === "resolve") {
      const startedAt = openIncidents.get(record.monitorId)!;
      incidentEvents.push({ kind: "resolve", monitor, at: record.checkedAt });
      rollups.addDowntime(record.monitorId, startedAt.getTime(), at);
      openIncidents.delete(record.monitorId);
    }

    if (verdict !== null) {
      const outcome = record.verdict;
      const { dnsMs, connectMs, tlsMs, ttfbMs, downloadMs } = outcome.timings;
      rollups.addCheck(record.monitorId, at, verdict === "UP", outcome.responseTimeMs, {
        dns: dnsMs,
        connect: connectMs,
        tls: tlsMs,
        ttfb: ttfbMs,
        download: downloadMs,
      });
      const previousUpdate = monitorUpdates.get(record.monitorId);
      monitorUpdates.set(record.monitorId, {
        status: after,
        changedAt: after !== before ? record.checkedAt : (previousUpdate?.changedAt ?? null),
        checkedAt: record.checkedAt,
        responseTimeMs: outcome.responseTimeMs,
        tlsExpiresAt: outcome.tlsExpiresAt ?? previousUpdate?.tlsExpiresAt ?? null,
      });
    }
  }

  return {
    schedules,
    openIncidents,
    monitorUpdates,
    incidentEvents,
    rollups,
    certificateAlerts: certificatesToAlert(monitors, monitorUpdates, input.tlsExpiryAlertDays),
  };
}

/**
 * One alert per certificate, when it gets within `days` of expiring. Not for a type that
 * judges the certificate itself (TLS monitors): its threshold makes it DOWN, and the incident alerts.
 */
function certificatesToAlert(
  monitors: Map<string, PlanMonitor>,
  updates: Map<string, MonitorUpdate>,
  days: number,
): CertificateAlert[] {
  const alerts: CertificateAlert[] = [];
  for (const [id, update] of updates) {
    // planBatch made updates only for monitors it found.
    const monitor = monitors.get(id)!;
    if (!update.tlsExpiresAt || monitorType(monitor.type).judgesCertificate) continue;
    const expiresAt = new Date(update.tlsExpiresAt);
    const daysLeft = Math.floor((expiresAt.getTime() - update.checkedAt.getTime()) / DAY_MS);
    if (daysLeft > days || monitor.tlsAlertedExpiry?.getTime() === expiresAt.getTime()) continue;
    alerts.push({ monitor, expiresAt: update.tlsExpiresAt, daysLeft, checkedAt: update.checkedAt });
  }
  return alerts;
}
