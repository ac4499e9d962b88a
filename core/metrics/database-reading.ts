/** The instance-wide figures only the database knows, for /metrics (three index scans). */
import type pg from "pg";
import type { DatabaseReading } from "./registry.ts";

const READING_SQL = `
SELECT
  (SELECT count(*) FROM "Incident" WHERE "openKey" IS NOT NULL)::int AS "openIncidents",
  (SELECT coalesce(json_agg(json_build_object('status', status, 'count', n)), '[]'::json)
     FROM (SELECT status::text AS status, count(*)::int AS n FROM "NotificationDelivery"
           WHERE status IN ('PENDING', 'FAILED') GROUP BY status) AS backlog) AS deliveries,
  (SELECT coalesce(extract(epoch FROM now() - min("createdAt")), 0)::float8
     FROM "NotificationDelivery" WHERE status = 'PENDING') AS "oldestPendingSeconds"`;

export async function readDatabaseGauges(pool: pg.Pool): Promise<DatabaseReading> {
  const { rows } = await pool.query<DatabaseReading>(READING_SQL);
  return rows[0]!;
}
