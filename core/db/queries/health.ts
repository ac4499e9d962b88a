/**
 * What the instance reports about itself: the health check's probes, the /metrics gauges
 * only the database knows, and a replica's replay position (core/db/read-routing.ts).
 */
import type { Sql } from "../sql.ts";

/** What only the database knows, instance-wide (the /metrics gauges). */
export interface DatabaseReading {
  openIncidents: number;
  /** Deliveries by status: PENDING (backlog) and FAILED (given up, kept for DELIVERY_RETENTION_DAYS). */
  deliveries: { status: string; count: number }[];
  /** Age of the oldest delivery still to be sent, in seconds (0 when none). */
  oldestPendingSeconds: number;
}

/** Answers once the database runs a statement. */
export async function ping(sql: Sql): Promise<void> {
  await sql.query("SELECT 1");
}

/** How long the oldest pending alert has waited, in seconds (null when none waits). */
export async function oldestPendingAlertSeconds(sql: Sql): Promise<number | null> {
  const rows = await sql.query<{ seconds: number | null }>(
    `SELECT extract(epoch FROM now() - min("createdAt"))::float8 AS seconds
          FROM "NotificationDelivery" WHERE status = 'PENDING'`,
  );
  return rows[0]?.seconds ?? null;
}

/** The instance-wide figures for /metrics (three index scans). */
export async function databaseGauges(sql: Sql): Promise<DatabaseReading> {
  const rows = await sql.query<DatabaseReading>(`
SELECT
  (SELECT count(*) FROM "Incident" WHERE "openKey" IS NOT NULL)::int AS "openIncidents",
  (SELECT coalesce(json_agg(json_build_object('status', status, 'count', n)), '[]'::json)
     FROM (SELECT status::text AS status, count(*)::int AS n FROM "NotificationDelivery"
           WHERE status IN ('PENDING', 'FAILED') GROUP BY status) AS backlog) AS deliveries,
  (SELECT coalesce(extract(epoch FROM now() - min("createdAt")), 0)::float8
     FROM "NotificationDelivery" WHERE status = 'PENDING') AS "oldestPendingSeconds"`);
  return rows[0]!;
}

/** The primary's current write-ahead log position. */
export async function currentWalLsn(sql: Sql): Promise<string> {
  return (await sql.query<{ lsn: string }>(`SELECT pg_current_wal_lsn()::text AS lsn`))[0]!.lsn;
}

/** Whether a replica has replayed up to `lsn`, and how far behind its last replayed transaction is. */
export async function replicaLag(
  sql: Sql,
  lsn: string,
): Promise<{ caughtUp: boolean | null; lagMs: number | null } | undefined> {
  const [row] = await sql.query<{ caughtUp: boolean | null; lagMs: number | null }>(
    `
        SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS "caughtUp",
               (extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000)::float8 AS "lagMs"`,
    [lsn],
  );
  return row;
}
