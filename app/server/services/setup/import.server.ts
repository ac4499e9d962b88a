/**
 * Imports a setup document (`account.import`, `npm run import`, `npm run import:kuma`)
 * through the same services the dashboard uses, so every rule applies as it would to a
 * hand-made monitor: the target policy, quotas, consent for other people's addresses.
 *
 * Each item is matched by its key to what an earlier import made (or, for an exported
 * item never imported, its id), then created, updated, left unchanged, or skipped with
 * the reason (a refused URL, a slug someone else has, a secret the file does not hold).
 * An item that fails does not stop the others, and leaves nothing of itself: one that
 * takes several writes is written in one transaction (inOneTransaction), so a page is
 * never half made and a replaced maintenance never lost. Importing the same file again
 * changes nothing. Items are written one at a time, so a large file is never one long lock.
 * One importer per kind: import-channels, -monitors, -pages, -maintenance.
 */
import type { ImportedItem, ImportReport, ItemKind, SetupDocument } from "~/lib/setup/setup-document.ts";
import { isServiceError } from "../errors.server.ts";
import type { OwnerScope } from "../scope.server.ts";
import { keysOf } from "./entries.server.ts";
import { importChannel } from "./import-channels.server.ts";
import { importMaintenance, importRecurring } from "./import-maintenance.server.ts";
import { importMonitor, monitorName } from "./import-monitors.server.ts";
import { importStatusPage } from "./import-pages.server.ts";
import { invert, type Outcome, type Run } from "./import-run.server.ts";

export async function importSetup(scope: OwnerScope, document: SetupDocument): Promise<ImportReport> {
  const keys = await keysOf(scope.db, scope.userId);
  const run: Run = {
    scope,
    includesSecrets: document.includesSecrets,
    keys,
    idsByKey: { channels: invert(keys.channels), monitors: invert(keys.monitors) },
  };
  const report: ImportReport = { created: [], updated: [], unchanged: [], skipped: [] };
  const each = async <T extends { key: string }>(
    kind: ItemKind,
    entries: T[],
    name: (entry: T) => string,
    apply: (run: Run, entry: T) => Promise<Outcome>,
  ) => {
    for (const entry of entries) {
      const item: ImportedItem = { kind, key: entry.key, name: name(entry) };
      const outcome = await apply(run, entry).catch((error: unknown): Outcome => {
        // What a user could fix (a refused URL, a quota, a taken slug); anything else is ours to see.
        if (isServiceError(error)) return { result: "skipped", note: error.message };
        throw error;
      });
      report[outcome.result].push(outcome.note ? { ...item, note: outcome.note } : item);
    }
  };
  // In reference order: monitors name channels, pages and windows name monitors.
  await each("channel", document.channels, (entry) => entry.name, importChannel);
  await each("monitor", document.monitors, monitorName, importMonitor);
  await each("statusPage", document.statusPages, (entry) => entry.name, importStatusPage);
  await each("maintenance", document.maintenance, (entry) => entry.title, importMaintenance);
  await each("recurringMaintenance", document.recurringMaintenance, (entry) => entry.title, importRecurring);
  return report;
}
