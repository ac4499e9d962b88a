/**
 * Reminders while an incident stays open and nobody has acknowledged it, for channels
 * that ask for them (`reminderMinutes`; off by default). One sender at a time decides (advisory lock), so
 * several runners never send the same reminder twice.
 */
import type pg from "pg";
import { withTransaction } from "../../core/db/pg-pool.ts";
import { incidentAlertPayload } from "../../core/outbox/events.ts";

/** The advisory lock whose holder decides the reminders (one sender at a time). */
export const REMINDER_LOCK_KEY = 7_265_103;

interface DueReminder {
  incidentId: string;
  monitorId: string;
  channelId: string;
  name: string | null;
  url: string;
  cause: string;
  causeDetail: string | null;
  regions: string[];
  startedAt: Date;
}

export function enqueueReminders(pool: pg.Pool): Promise<number> {
  return withTransaction(pool, async (client) => {
    // The lock is taken in the same statement (held until commit): while another sender
    // decides, this one finds nothing due.
    const { rows } = await client.query<DueReminder>(
      `WITH lock AS (SELECT pg_try_advisory_xact_lock($1) AS locked)
       SELECT i.id AS "incidentId", i."websiteId" AS "monitorId", c.id AS "channelId", w.name, w.url, i.cause, i."causeDetail",
              i.regions, i."startedAt"
       FROM lock, "Incident" i
       JOIN "Website" w ON w.id = i."websiteId"
       JOIN "MonitorChannel" mc ON mc."websiteId" = i."websiteId"
       JOIN "NotificationChannel" c ON c.id = mc."channelId"
       WHERE lock.locked AND i."openKey" IS NOT NULL AND i."acknowledgedAt" IS NULL
         AND c."reminderMinutes" IS NOT NULL AND c."confirmedAt" IS NOT NULL
         AND COALESCE(
               (SELECT max(d."createdAt") FROM "NotificationDelivery" d WHERE d."incidentId" = i.id AND d."channelId" = c.id),
               i."startedAt") <= now() - make_interval(mins => c."reminderMinutes")`,
      [REMINDER_LOCK_KEY],
    );
    for (const reminder of rows) {
      const payload = incidentAlertPayload(
        "incident.reminder",
        { id: reminder.monitorId, name: reminder.name, url: reminder.url },
        { ...reminder, id: reminder.incidentId, resolvedAt: null, durationSeconds: null },
        new Date(),
      );
      await client.query(
        `INSERT INTO "NotificationDelivery" (id, "channelId", "websiteId", "incidentId", event, payload)
         VALUES (md5(random()::text || clock_timestamp()::text), $1, $2, $3, 'incident.reminder', $4::jsonb)`,
        [reminder.channelId, reminder.monitorId, reminder.incidentId, JSON.stringify(payload)],
      );
    }
    return rows.length;
  });
}
