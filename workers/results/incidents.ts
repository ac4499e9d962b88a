/**
 * Applying a plan's incident events and certificate alerts: incidents opened (one open
 * incident per monitor, enforced by the database) and resolved, each with its alerts
 * queued in the outbox in the same transaction.
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { incidentAlertPayload, type AlertPayload, type IncidentFacts } from "../../core/outbox/events.ts";
import { enqueueForMonitor, enqueueForSubscribers } from "../../core/outbox/enqueue.ts";
import type { CertificateAlert, IncidentEvent, PlanMonitor } from "./plan.ts";
import { sqlOfClient } from "../../core/db/sql.ts";

type IncidentRow = IncidentFacts;

function alertPayload(
  event: AlertPayload["event"],
  monitor: PlanMonitor,
  incident: IncidentRow | null,
  occurredAt: Date,
): AlertPayload {
  return incidentAlertPayload(event, monitor, incident, occurredAt);
}

/** The owner's channels and the public pages' subscribers hear about incidents. */
async function enqueueAlerts(client: pg.PoolClient, monitorId: string, incidentId: string, payload: AlertPayload) {
  const sql = sqlOfClient(client);
  await enqueueForMonitor(sql, monitorId, incidentId, payload);
  await enqueueForSubscribers(sql, monitorId, incidentId, payload);
}

/** Opens and resolves incidents, queueing their alerts in the same transaction. */
export async function applyIncidentEvents(client: pg.PoolClient, events: IncidentEvent[]): Promise<void> {
  for (const event of events) {
    if (event.kind === "open") {
      const { record, monitor, regions } = event;
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
          monitor.id,
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
          monitor.id,
          incident.id,
          alertPayload("incident.opened", monitor, incident, record.checkedAt),
        );
    } else {
      const { rows } = await client.query<IncidentRow>(
        `UPDATE "Incident"
         SET "resolvedAt" = $2::timestamptz, "openKey" = NULL,
             "durationSeconds" = GREATEST(0, round(extract(epoch FROM ($2::timestamptz - "startedAt"::timestamptz))))::int
         WHERE "openKey" = $1
         RETURNING id, cause, "causeDetail", regions, "startedAt", "resolvedAt", "durationSeconds"`,
        [event.monitor.id, event.at.toISOString()],
      );
      const incident = rows[0];
      if (incident) {
        await enqueueAlerts(
          client,
          event.monitor.id,
          incident.id,
          alertPayload("incident.resolved", event.monitor, incident, event.at),
        );
      }
    }
  }
}

/** Remembers each alerted certificate on its monitor and queues its alert. */
export async function applyCertificateAlerts(client: pg.PoolClient, alerts: CertificateAlert[]): Promise<void> {
  for (const alert of alerts) {
    await client.query(`UPDATE "Website" SET "tlsAlertedExpiry" = $2::timestamptz WHERE id = $1`, [
      alert.monitor.id,
      alert.expiresAt,
    ]);
    await enqueueForMonitor(sqlOfClient(client), alert.monitor.id, null, {
      ...alertPayload("tls.expiring", alert.monitor, null, alert.checkedAt),
      tls: { expiresAt: alert.expiresAt, daysLeft: alert.daysLeft },
    });
  }
}
