/**
 * Applying a plan's incident events and certificate alerts: incidents opened (one open
 * incident per monitor, enforced by the database) and resolved, each with its alerts
 * queued in the outbox in the same transaction.
 */
import { randomUUID } from "node:crypto";
import { incidentAlertPayload, type AlertPayload } from "../../core/outbox/events.ts";
import { enqueueForMonitor, enqueueForSubscribers } from "../../core/outbox/enqueue.ts";
import type { CertificateAlert, IncidentEvent, PlanMonitor } from "./plan.ts";
import {
  markCertificateAlerted,
  openIncident,
  resolveIncident,
  type IncidentRow,
} from "../../core/db/queries/incidents.ts";
import type { Sql } from "../../core/db/sql.ts";

function alertPayload(
  event: AlertPayload["event"],
  monitor: PlanMonitor,
  incident: IncidentRow | null,
  occurredAt: Date,
): AlertPayload {
  return incidentAlertPayload(event, monitor, incident, occurredAt);
}

/** The owner's channels and the public pages' subscribers hear about incidents. */
async function enqueueAlerts(sql: Sql, monitorId: string, incidentId: string, payload: AlertPayload) {
  await enqueueForMonitor(sql, monitorId, incidentId, payload);
  await enqueueForSubscribers(sql, monitorId, incidentId, payload);
}

/** Opens and resolves incidents, queueing their alerts in the same transaction. */
export async function applyIncidentEvents(sql: Sql, events: IncidentEvent[]): Promise<void> {
  for (const event of events) {
    if (event.kind === "open") {
      const { record, monitor, regions } = event;
      const verdict = record.verdict;
      const outcome = verdict.status === null ? null : verdict;
      // openKey is unique: a second open incident for the monitor cannot exist.
      const incident = await openIncident(sql, {
        id: randomUUID(),
        monitorId: monitor.id,
        cause: verdict.errorClass ?? "unknown",
        causeDetail: verdict.error,
        regions,
        snapshot: outcome?.snapshot ? JSON.stringify(outcome.snapshot) : null,
        startedAt: record.checkedAt.toISOString(),
      });
      if (incident)
        await enqueueAlerts(
          sql,
          monitor.id,
          incident.id,
          alertPayload("incident.opened", monitor, incident, record.checkedAt),
        );
    } else {
      const incident = await resolveIncident(sql, event.monitor.id, event.at.toISOString());
      if (incident) {
        await enqueueAlerts(
          sql,
          event.monitor.id,
          incident.id,
          alertPayload("incident.resolved", event.monitor, incident, event.at),
        );
      }
    }
  }
}

/** Remembers each alerted certificate on its monitor and queues its alert. */
export async function applyCertificateAlerts(sql: Sql, alerts: CertificateAlert[]): Promise<void> {
  for (const alert of alerts) {
    await markCertificateAlerted(sql, alert.monitor.id, alert.expiresAt);
    await enqueueForMonitor(sql, alert.monitor.id, null, {
      ...alertPayload("tls.expiring", alert.monitor, null, alert.checkedAt),
      tls: { expiresAt: alert.expiresAt, daysLeft: alert.daysLeft },
    });
  }
}
