/**
 * Incidents opened and resolved by the result writer (workers/results/incidents.ts),
 * inside its transaction; at most one open incident per monitor, enforced by the
 * database (`openKey` is unique). Also the certificate alert remembered on its monitor.
 */
import type { Sql } from "../sql.ts";

/** An incident as alerts tell of it (core/outbox/events.ts, IncidentFacts). */
export interface IncidentRow {
  id: string;
  cause: string;
  causeDetail: string | null;
  regions: string[];
  startedAt: Date;
  resolvedAt: Date | null;
  durationSeconds: number | null;
}

/** Opens the monitor's incident; null when one is open already. */
export async function openIncident(
  sql: Sql,
  incident: {
    id: string;
    monitorId: string;
    cause: string;
    causeDetail: string | null;
    regions: string[];
    snapshot: string | null;
    startedAt: string;
  },
): Promise<IncidentRow | null> {
  const rows = await sql.query<IncidentRow>(
    `INSERT INTO "Incident" (id, "websiteId", "openKey", cause, "causeDetail", regions, snapshot, "startedAt")
         VALUES ($1, $2, $2, $3, $4, $5, $6, $7)
         ON CONFLICT ("openKey") DO NOTHING
         RETURNING id, cause, "causeDetail", regions, "startedAt", "resolvedAt", "durationSeconds"`,
    [
      incident.id,
      incident.monitorId,
      incident.cause,
      incident.causeDetail,
      incident.regions,
      incident.snapshot,
      incident.startedAt,
    ],
  );
  return rows[0] ?? null;
}

/** Resolves the monitor's open incident at `at` (ISO); null when none was open. */
export async function resolveIncident(sql: Sql, monitorId: string, at: string): Promise<IncidentRow | null> {
  const rows = await sql.query<IncidentRow>(
    `UPDATE "Incident"
         SET "resolvedAt" = $2::timestamptz, "openKey" = NULL,
             "durationSeconds" = GREATEST(0, round(extract(epoch FROM ($2::timestamptz - "startedAt"::timestamptz))))::int
         WHERE "openKey" = $1
         RETURNING id, cause, "causeDetail", regions, "startedAt", "resolvedAt", "durationSeconds"`,
    [monitorId, at],
  );
  return rows[0] ?? null;
}

/** Remembers the certificate expiry last alerted about on its monitor (no second alert for it). */
export async function markCertificateAlerted(sql: Sql, monitorId: string, expiresAt: string): Promise<void> {
  await sql.execute(`UPDATE "Website" SET "tlsAlertedExpiry" = $2::timestamptz WHERE id = $1`, [monitorId, expiresAt]);
}
