/**
 * Maintenance windows' statements: making the occurrences of recurring maintenance
 * (core/db/recurring-maintenance.ts) and reading the windows that mute a batch's alerts
 * (workers/results/store.ts).
 */
import type { Sql } from "../sql.ts";

export interface RecurringRow {
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

/** Every recurring maintenance (or the one named), with how many of its windows are not over at `now`. */
export function recurringMaintenance(sql: Sql, recurringId: string | null, now: Date): Promise<RecurringRow[]> {
  return sql.query<RecurringRow>(
    `SELECT r.id, r."userId", r.title, r.description, r.schedule, r."timeZone", r."durationMinutes",
            r."reservedWindows",
            (SELECT count(*)::int FROM "MaintenanceWindow" w WHERE w."recurringId" = r.id AND w."endsAt" > $2) AS open
     FROM "RecurringMaintenance" r WHERE $1::text IS NULL OR r.id = $1`,
    [recurringId, now],
  );
}

/**
 * One occurrence of `recurring` as a window, with the recurring maintenance's monitors;
 * false when it was made already (one window per recurring and start, whoever makes it).
 */
export async function insertOccurrence(
  sql: Sql,
  windowId: string,
  recurring: Pick<RecurringRow, "id" | "userId" | "title" | "description">,
  occurrence: { startsAt: Date; endsAt: Date },
): Promise<boolean> {
  const inserted = await sql.query<{ id: string }>(
    `INSERT INTO "MaintenanceWindow" (id, "userId", title, description, "startsAt", "endsAt", "recurringId")
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT ("recurringId", "startsAt") DO NOTHING RETURNING id`,
    [
      windowId,
      recurring.userId,
      recurring.title,
      recurring.description,
      occurrence.startsAt,
      occurrence.endsAt,
      recurring.id,
    ],
  );
  if (inserted.length === 0) return false;
  await sql.query(
    `INSERT INTO "MaintenanceMonitor" ("maintenanceId", "websiteId")
         SELECT $1, "websiteId" FROM "RecurringMaintenanceMonitor" WHERE "recurringId" = $2
         ON CONFLICT DO NOTHING RETURNING "websiteId"`,
    [inserted[0]!.id, recurring.id],
  );
  return true;
}

export interface MaintenanceWindowRow {
  monitorId: string;
  startsAt: Date;
  endsAt: Date;
}

/** The maintenance windows of these monitors overlapping [from, to] (ISO timestamps). */
export function maintenanceWindowsAround(
  sql: Sql,
  monitorIds: string[],
  from: string,
  to: string,
): Promise<MaintenanceWindowRow[]> {
  return sql.query<MaintenanceWindowRow>(
    `SELECT mm."websiteId" AS "monitorId", w."startsAt", w."endsAt"
     FROM "MaintenanceMonitor" mm JOIN "MaintenanceWindow" w ON w.id = mm."maintenanceId"
     WHERE mm."websiteId" = ANY($1) AND w."startsAt" <= $3::timestamptz AND w."endsAt" > $2::timestamptz`,
    [monitorIds, from, to],
  );
}
