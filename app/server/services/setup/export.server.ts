/** The account's whole setup as one document (`account.export`, `npm run export`, the account page's Export). */
import { SETUP_FORMAT, SETUP_VERSION, type SetupDocument } from "~/lib/setup/setup-document.ts";
import type { OwnerScope } from "../scope.server.ts";
import {
  channelEntry,
  keysOf,
  maintenanceEntry,
  monitorEntry,
  PAGE_INCLUDE,
  recurringMaintenanceEntry,
  statusPageEntry,
} from "./entries.server.ts";

export async function exportSetup(
  { db, userId }: OwnerScope,
  { includeSecrets }: { includeSecrets: boolean },
): Promise<SetupDocument> {
  // One snapshot, so references between the sections agree (one connection: one query at a time).
  const { keys, channels, monitors, pages, windows, recurring } = await db.$transaction(
    async (tx) => ({
      keys: await keysOf(tx, userId),
      channels: await tx.notificationChannel.findMany({ where: { userId }, orderBy: { createdAt: "asc" } }),
      monitors: await tx.monitor.findMany({
        where: { userId },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        include: { channels: { select: { channelId: true } } },
      }),
      pages: await tx.statusPage.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, include: PAGE_INCLUDE }),
      // One-off windows; a recurring maintenance travels as itself, not its occurrences.
      windows: await tx.maintenanceWindow.findMany({
        where: { userId, recurringId: null },
        orderBy: { startsAt: "asc" },
        include: { monitors: { select: { monitorId: true } } },
      }),
      recurring: await tx.recurringMaintenance.findMany({
        where: { userId },
        orderBy: { createdAt: "asc" },
        include: { monitors: { select: { monitorId: true } } },
      }),
    }),
    { isolationLevel: "RepeatableRead" },
  );
  return {
    format: SETUP_FORMAT,
    version: SETUP_VERSION,
    exportedAt: new Date().toISOString(),
    includesSecrets: includeSecrets,
    channels: channels.map((channel) => channelEntry(channel, includeSecrets)),
    monitors: monitors.map((monitor) => monitorEntry(monitor, keys, includeSecrets)),
    statusPages: pages.map((page) => statusPageEntry(page, keys, includeSecrets)),
    maintenance: windows.map((window) => maintenanceEntry(window, keys)),
    recurringMaintenance: recurring.map((row) => recurringMaintenanceEntry(row, keys)),
  };
}
