/**
 * Makes the coming occurrences of recurring maintenance as ordinary maintenance windows
 * (with their monitors), so the result writer mutes alerts and pages show maintenance
 * during each without knowing about recurrence. Runs in the runners' housekeeping, and
 * at once when a recurring maintenance is created. Idempotent: one window per
 * (recurring, start), whoever makes it.
 */
import { randomUUID } from "node:crypto";
import { occurrences } from "../domain/recurrence.ts";

/** Runs SQL and returns its rows: a pg client's, or Prisma's $queryRawUnsafe. */
export type QueryRows = <Row>(sql: string, values: unknown[]) => Promise<Row[]>;

/** How far ahead occurrences exist. */
export const OCCURRENCE_HORIZON_DAYS = 14;

interface RecurringRow {
  id: string;
  userId: string;
  title: string;
  description: string | null;
  schedule: string;
  timeZone: string;
  durationMinutes: number;
}

/** Returns how many windows it made (all recurring maintenance, or the one named). */
export async function makeOccurrences(query: QueryRows, options: { recurringId?: string; now?: Date } = {}) {
  const now = options.now ?? new Date();
  const until = new Date(now.getTime() + OCCURRENCE_HORIZON_DAYS * 86_400_000);
  const rows = await query<RecurringRow>(
    `SELECT id, "userId", title, description, schedule, "timeZone", "durationMinutes"
     FROM "RecurringMaintenance" WHERE $1::text IS NULL OR id = $1`,
    [options.recurringId ?? null],
  );
  let made = 0;
  for (const row of rows) {
    for (const occurrence of occurrences(row, now, until)) {
      const inserted = await query<{ id: string }>(
        `INSERT INTO "MaintenanceWindow" (id, "userId", title, description, "startsAt", "endsAt", "recurringId")
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT ("recurringId", "startsAt") DO NOTHING RETURNING id`,
        [randomUUID(), row.userId, row.title, row.description, occurrence.startsAt, occurrence.endsAt, row.id],
      );
      if (inserted.length === 0) continue;
      made += 1;
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
