/**
 * Reminders while an incident stays open and nobody has acknowledged it, for channels
 * that ask for them (`reminderMinutes`; off by default). One sender at a time decides (advisory lock), so
 * several runners never send the same reminder twice.
 */
import type pg from "pg";
import { withTransaction } from "../../core/db/pg-pool.ts";
import { dueReminders, insertReminderDelivery } from "../../core/db/queries/outbox.ts";
import { sqlOfClient } from "../../core/db/sql.ts";
import { incidentAlertPayload } from "../../core/outbox/events.ts";

/** The advisory lock whose holder decides the reminders (one sender at a time). */
export const REMINDER_LOCK_KEY = 7_265_103;

export function enqueueReminders(pool: pg.Pool): Promise<number> {
  return withTransaction(pool, async (client) => {
    // The lock is taken in the same statement (held until commit): while another sender
    // decides, this one finds nothing due.
    const sql = sqlOfClient(client);
    const rows = await dueReminders(sql, REMINDER_LOCK_KEY);
    for (const reminder of rows) {
      const payload = incidentAlertPayload(
        "incident.reminder",
        { id: reminder.monitorId, name: reminder.name, url: reminder.url },
        { ...reminder, id: reminder.incidentId, resolvedAt: null, durationSeconds: null },
        new Date(),
      );
      await insertReminderDelivery(sql, reminder, JSON.stringify(payload));
    }
    return rows.length;
  });
}
