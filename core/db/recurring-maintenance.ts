/**
 * Makes the coming occurrences of recurring maintenance as ordinary maintenance windows
 * (with their monitors), so the result writer mutes alerts and pages show maintenance
 * during each without knowing about recurrence. Runs in the runners' housekeeping, and
 * at once when a recurring maintenance is created. Idempotent: one window per
 * (recurring, start), whoever makes it.
 *
 * Bounded: only the next HORIZON_DAYS are made, and never more windows of a rule at once
 * than it reserved against its owner's quota when it was created (`reservedWindows`, its
 * peak: see core/domain/recurrence.ts). Past occurrences are pruned by the housekeeping
 * (workers/engine/retention.ts).
 */
import { randomUUID } from "node:crypto";
import { HORIZON_MS, occurrences } from "../domain/recurrence.ts";

/** Runs SQL and returns its rows: a pg client's, or Prisma's $queryRawUnsafe. */
export type QueryRows = <Row>(sql: string, values: unknown[]) => Promise<Row[]>;

interface RecurringRow {
  id: string;
  userId: string;
  title: string;
  description: string | null;
  schedule: string;
  timeZone: string;
  durationMinutes: number;
  reservedWindows: number;
  /** Its windows not over yet. */
  open: number;
}

/** Returns how many windows it made (all recurring maintenance, or the one named). */
export async function makeOccurrences(query: QueryRows, options: { recurringId?: string; now?: Date } = {}) {
  const now = options.now ?? new Date();
  const until = new Date(now.getTime() + HORIZON_MS);
  const rows = await query<RecurringRow>(
    `SELECT r.id, r."userId", r.title, r.description, r.schedule, r."timeZone", r."durationMinutes",
            r."reservedWindows",
            (SELECT count(*)::int FROM "MaintenanceWindow" w WHERE w."recurringId" = r.id AND w."endsAt" > $2) AS open
     FROM "RecurringMaintenance" r WHERE $1::text IS NULL OR r.id = $1`,
    [options.recurringId ?? null, now],
  );
  let made = 0;
  for (const row of rows) {
    let room = row.reservedWindows - row.open;
    for (const occurrence of occurrences(row, now, until, row.reservedWindows)) {
      if (room <= 0) break;
      const inserted = await query<{ id: string }>(
        `INSERT INTO "MaintenanceWindow" (id, "userId", title, description, "startsAt", "endsAt", "recurringId")
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT ("recurringId", "startsAt") DO NOTHING RETURNING id`,
        [randomUUID(), row.userId, row.title, row.description, occurrence.startsAt, occurrence.endsAt, row.id],
      );
      if (inserted.length === 0) continue;
      made += 1;
      room -= 1;
      await query(
        `INSERT INTO "MaintenanceMonitor" ("maintenanceId", "websiteId")
         SELECT $1, "websiteId" FROM "RecurringMaintenanceMonitor" WHERE "recurringId" = $2
         ON CONFLICT DO NOTHING RETURNING "websiteId"`,
        [inserted[0]!.id, row.id],
      );
    }
  }
  return made;
}
