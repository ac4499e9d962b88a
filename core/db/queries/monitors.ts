/**
 * Monitor statements the model API cannot say: row locks in the writers' order, and
 * waking the runners (services in app/server/services/monitors/).
 */
import { SCHEDULE_CHANNEL } from "../channels.ts";
import type { Sql } from "../sql.ts";

/**
 * Locks these monitors in id order: the order the result writer locks them in, so a
 * service changing monitors and their schedules never waits for it in a circle.
 */
export async function lockMonitors(sql: Sql, monitorIds: string[]): Promise<void> {
  await sql.query(`SELECT id FROM "Website" WHERE id = ANY($1) ORDER BY id FOR UPDATE`, [monitorIds]);
}

/** Resumed heartbeats get a period (and grace) for their job to ping before they are judged. */
export async function delayResumedHeartbeats(sql: Sql, monitorIds: string[]): Promise<void> {
  await sql.execute(
    `
        UPDATE "MonitorSchedule" s
        SET "nextCheckAt" = now() + make_interval(secs => w."intervalSeconds" + w."heartbeatGraceSeconds")
        FROM "Website" w
        WHERE w.id = s."websiteId" AND w.id = ANY($1) AND w.type = 'HEARTBEAT'`,
    [monitorIds],
  );
}

/** Wakes the runners (on commit) to look for due checks at once: a new, edited or resumed monitor. */
export async function notifySchedulers(sql: Sql): Promise<void> {
  await sql.execute(`SELECT pg_notify($1, '')`, [SCHEDULE_CHANNEL]);
}
