/** Importing maintenance (import.server.ts runs it): one-off windows and recurring maintenance, replaced when changed. */
import { CreateMaintenanceInput, CreateRecurringMaintenanceInput } from "~/lib/status-pages/status-page-input.ts";
import type { MaintenanceEntry, RecurringMaintenanceEntry } from "~/lib/setup/setup-document.ts";
import { createMaintenance, deleteMaintenance } from "../status-pages/maintenance.server.ts";
import {
  createRecurringMaintenance,
  deleteRecurringMaintenance,
} from "../status-pages/recurring-maintenance.server.ts";
import { maintenanceEntry, recurringMaintenanceEntry, statesSame } from "./entries.server.ts";
import { byKey, missingNote, resolve, validated, type Outcome, type Run } from "./import-run.server.ts";

export async function importMaintenance(run: Run, entry: MaintenanceEntry): Promise<Outcome> {
  const { scope } = run;
  const monitors = resolve(entry.monitors, run.idsByKey.monitors);
  if (monitors.ids.length === 0) return { result: "skipped", note: "none of its monitors are in this account" };
  const wanted = { ...entry, monitors: monitors.ids.map((id) => run.keys.monitors.get(id)!).sort() };
  const existing = await scope.db.maintenanceWindow.findFirst({
    where: byKey(scope.userId, entry.key),
    include: { monitors: { select: { websiteId: true } } },
  });
  if (existing && statesSame(maintenanceEntry(existing, run.keys), wanted)) {
    return { result: "unchanged", note: missingNote("monitors", monitors.missing) };
  }
  const input = validated(CreateMaintenanceInput, {
    title: entry.title,
    description: entry.description,
    startsAt: entry.startsAt,
    endsAt: entry.endsAt,
    websiteIds: monitors.ids,
  });
  // Windows are not edited in place: the changed one replaces the old under the same key.
  if (existing) await deleteMaintenance(scope, { id: existing.id });
  await createMaintenance(scope, input, { importKey: entry.key });
  return { result: existing ? "updated" : "created", note: missingNote("monitors", monitors.missing) };
}

export async function importRecurring(run: Run, entry: RecurringMaintenanceEntry): Promise<Outcome> {
  const { scope } = run;
  const monitors = resolve(entry.monitors, run.idsByKey.monitors);
  if (monitors.ids.length === 0) return { result: "skipped", note: "none of its monitors are in this account" };
  const wanted = { ...entry, monitors: monitors.ids.map((id) => run.keys.monitors.get(id)!).sort() };
  const existing = await scope.db.recurringMaintenance.findFirst({
    where: byKey(scope.userId, entry.key),
    include: { monitors: { select: { websiteId: true } } },
  });
  if (existing && statesSame(recurringMaintenanceEntry(existing, run.keys), wanted)) {
    return { result: "unchanged", note: missingNote("monitors", monitors.missing) };
  }
  const input = validated(CreateRecurringMaintenanceInput, {
    title: entry.title,
    description: entry.description,
    schedule: entry.schedule,
    timeZone: entry.timeZone,
    durationMinutes: entry.durationMinutes,
    websiteIds: monitors.ids,
  });
  // Replaced, like a window, under the same key (its coming occurrences are made anew).
  if (existing) await deleteRecurringMaintenance(scope, { id: existing.id });
  await createRecurringMaintenance(scope, input, { importKey: entry.key });
  return { result: existing ? "updated" : "created", note: missingNote("monitors", monitors.missing) };
}
