/**
 * Writing alerts into the outbox, inside the caller's transaction: the incident change
 * and its notifications commit together or not at all, so a crash can neither lose an
 * alert nor send one for a change that never happened.
 */
import type pg from "pg";
import type { AlertPayload } from "./events.ts";

/** One delivery per channel attached to the monitor. Returns how many were queued. */
export async function enqueueForMonitor(
  client: pg.PoolClient,
  websiteId: string,
  incidentId: string | null,
  payload: AlertPayload,
): Promise<number> {
  const { rowCount } = await client.query(
    `INSERT INTO "NotificationDelivery" (id, "channelId", "websiteId", "incidentId", event, payload)
     SELECT md5(random()::text || clock_timestamp()::text || mc."channelId"), mc."channelId", $1, $2, $3, $4::jsonb
     FROM "MonitorChannel" mc WHERE mc."websiteId" = $1`,
    [websiteId, incidentId, payload.event, JSON.stringify(payload)],
  );
  return rowCount ?? 0;
}
