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
import { insertOccurrence, recurringMaintenance } from "./queries/maintenance-windows.ts";
import type { Sql } from "./sql.ts";

/** Returns how many windows it made (all recurring maintenance, or the one named). */
export async function makeOccurrences(sql: Sql, options: { recurringId?: string; now?: Date } = {}) {
  const now = options.now ?? new Date();
  const until = new Date(now.getTime() + HORIZON_MS);
  const rows = await recurringMaintenance(sql, options.recurringId ?? null, now);
  let made = 0;
  for (const row of rows) {
    let room = row.reservedWindows - row.open;
    for (const occurrence of occurrences(row, now, until, row.reservedWindows)) {
      if (room <= 0) break;
      if (!(await insertOccurrence(sql, randomUUID(), row, occurrence))) continue;
      made += 1;
      room -= 1;
    }
  }
  return made;
}
