/**
 * Importing maintenance (import.server.ts runs it): one-off windows and recurring
 * maintenance, replaced when changed. A replacement is one transaction: the old item goes
 * only when the new one is stored, so one refused (a quota, a schedule that never starts
 * or starts too often) leaves the old exactly as it was — for a recurring maintenance, its
 * monitors and the windows it has made too. Inside it the old item no longer counts
 * against the quota, as its replacement takes its place.
 */
import { CreateMaintenanceInput, CreateRecurringMaintenanceInput } from "~/lib/status-pages/status-page-input.ts";
import type { MaintenanceEntry, RecurringMaintenanceEntry } from "~/lib/setup/setup-document.ts";
import { createMaintenance, deleteMaintenance } from "../status-pages/maintenance.server.ts";
import {
  createRecurringMaintenance,
  deleteRecurringMaintenance,
} from "../status-pages/recurring-maintenance.server.ts";
import { inOneTransaction } from "../transaction-scope.server.ts";
import { maintenanceEntry, recurringMaintenanceEntry, statesSame } from "./entries.server.ts";
import { byKey, missingNote, resolve, validated, type Outcome, type Run } from "./import-run.server.ts";

export async function importMaintenance(run: Run, entry: MaintenanceEntry): Promise<Outcome> {
  const { scope } = run;
  const monitors = resolve(entry.monitors, run.idsByKey.monitors);
  if (monitors.ids.length === 0) return { result: "skipped", note: "none of its monitors are in this account" };
  const wanted = { ...entry, monitors: monitors.ids.map((id) => run.keys.monitors.get(id)!).sort() };
  const existing = await scope.db.maintenanceWindow.findFirst({
    where: byKey(scope.userId, entry.key),
    include: { monitors: { select: { monitorId: true } } },
  });
  if (existing && statesSame(maintenanceEntry(existing, run.keys), wanted)) {
    return { result: "unchanged", note: missingNote("monitors", monitors.missing) };
  }
  const input = validated(CreateMaintenanceInput, {
    title: entry.title,
    description: entry.description,
    startsAt: entry.startsAt,
    endsAt: entry.endsAt,
    monitorIds: monitors.ids,
  });
  // Windows are not edited in place: the changed one replaces the old under the same key.
  await inOneTransaction(scope, async (tx) => {
    if (existing) await deleteMaintenance(tx, { id: existing.id });
    await createMaintenance(tx, input, { importKey: entry.key });
  });
  return { result: existing ? "updated" : "created", note: missingNote("monitors", monitors.missing) };
}

export async function importRecurring(run: Run, entry: RecurringMaintenanceEntry): Promise<Outcome> {
  const { scope } = run;
  const monitors = resolve(entry.monitors, run.idsByKey.monitors);
  if (monitors.ids.length === 0) return { result: "skipped", note: "none of its monitors are in this account" };
  const wanted = { ...entry, monitors: monitors.ids.map((id) => run.keys.monitors.get(id)!).sort() };
  const existing = await scope.db.recurringMaintenance.findFirst({
    where: byKey(scope.userId, entry.key),
    include: { monitors: { select: { monitorId: true } } },
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
    monitorIds: monitors.ids,
  });
  // Replaced, like a window, under the same key: its windows go with it and the new
  // one's are made, all or (refused) none.
  await inOneTransaction(scope, async (tx) => {
    if (existing) await deleteRecurringMaintenance(tx, { id: existing.id });
    await createRecurringMaintenance(tx, input, { importKey: entry.key });
  });
  return { result: existing ? "updated" : "created", note: missingNote("monitors", monitors.missing) };
}
