/**
 * Heartbeat pings (app/server/services/monitors/heartbeat-pings.server.ts): one
 * statement stores a batch of pings and makes due at once (and wakes the runners for)
 * the monitors whose state a ping changes.
 */
import { SCHEDULE_CHANNEL } from "../channels.ts";
import type { Sql } from "../sql.ts";

/**
 * Stores the pings of known tokens (columns: token, failed, message); returns the 1-based
 * positions of the pings stored, and a 0 row when it woke the runners.
 */
export function insertPings(
  sql: Sql,
  pings: { token: string[]; failed: boolean[]; message: (string | null)[] },
): Promise<{ n: number }[]> {
  return sql.query<{ n: number }>(
    `
    WITH input AS (
      SELECT * FROM unnest(
        $1::text[],
        $2::boolean[],
        $3::text[]
      ) WITH ORDINALITY AS input(token, failed, message, n)
    ),
    monitor AS (
      -- Locked first, in id order: the order the results writer (and every other writer
      -- of schedules) locks monitors in, so a ping batch and a results batch — or two web
      -- processes' ping batches — never wait for each other in a circle (a deadlock
      -- answered the ping 500, and lost it). The first branch of the final SELECT reads
      -- this whole CTE, so every lock is taken before a schedule is touched.
      SELECT input.n, input.failed, input.message, w.id, w.status
      FROM input JOIN "Website" w ON w."pushToken" = input.token AND w.type = 'HEARTBEAT'
      ORDER BY w.id
      FOR NO KEY UPDATE OF w
    ),
    ping AS (
      INSERT INTO "HeartbeatPing" ("websiteId", failed, message)
      SELECT id, failed, message FROM monitor ORDER BY n
    ),
    due AS (
      UPDATE "MonitorSchedule" s SET "nextCheckAt" = now(), "leaseUntil" = NULL, "leasedSlot" = NULL
      FROM (
        SELECT DISTINCT id FROM monitor
        WHERE status::text <> CASE WHEN failed THEN 'DOWN' ELSE 'UP' END
      ) changed
      WHERE s."websiteId" = changed.id AND s."isActive"
      RETURNING s."websiteId"
    )
    SELECT n::int AS n FROM monitor
    UNION ALL
    SELECT 0 FROM (SELECT pg_notify($4, '') FROM due LIMIT 1) woke`,
    [pings.token, pings.failed, pings.message, SCHEDULE_CHANNEL],
  );
}
