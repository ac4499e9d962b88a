/**
 * Importing monitors (import.server.ts runs it): matched by key, made and changed through
 * the monitor services. A heartbeat's push token is never read from the file: a monitor
 * this import makes gets a new one from the server (the note says where its push URL is),
 * a monitor it matches keeps its own (issue 25: the server alone chooses proofs).
 */
import { UpdateMonitorInput } from "~/lib/monitors/monitor-input.ts";
import { CreateMonitorInput, DEFAULT_TYPE, moduleOf } from "../../../../core/monitor-types/registry.ts";
import { automaticTimeoutMs, MASKED_VALUE } from "../../../../core/monitor-types/settings.ts";
import type { MonitorEntry } from "~/lib/setup/setup-document.ts";
import { setMonitorsActive } from "../monitors/monitor-actions.server.ts";
import { createMonitor, updateMonitor } from "../monitors/write-monitor.server.ts";
import { inOneTransaction } from "../transaction-scope.server.ts";
import { monitorEntry, statesSame } from "./entries.server.ts";
import { byKey, missingNote, notes, resolve, validated, type Outcome, type Run } from "./import-run.server.ts";
export function monitorName(entry: MonitorEntry): string {
  return entry.name ?? moduleOf(entry).defaultName(entry);
}

/** The entry's own settings: what a create or update takes, without the document's bookkeeping. */
function monitorSettings(entry: MonitorEntry) {
  const { key: _key, isActive: _isActive, channels: _channels, ...settings } = entry;
  return settings;
}

/**
 * As the service stores it, so a second import compares equal: HTTP when the type is
 * left out, an unnamed heartbeat is "Heartbeat", a timeout equal to the automatic one is
 * the automatic one (null).
 */
function normalised(entry: MonitorEntry): MonitorEntry {
  // Judged by pings: no timeout of its own, and a name even when the file gives none.
  if (moduleOf(entry).judgedBy === "pings") return { ...entry, name: entry.name || moduleOf(entry).defaultName(entry) };
  const automatic =
    "timeoutMs" in entry &&
    typeof entry.timeoutMs === "number" &&
    entry.intervalSeconds !== undefined &&
    entry.timeoutMs === automaticTimeoutMs(entry.intervalSeconds);
  return { ...entry, type: entry.type ?? DEFAULT_TYPE, ...(automatic ? { timeoutMs: null } : {}) } as MonitorEntry;
}

/** A heartbeat made by an import: its push URL is one the server just chose, never the file's. */
const newPushUrlNote = (monitorId: string) =>
  `its push URL is new (this server chooses it; one in the file is not used): copy it from the monitor's page (/monitors/${monitorId}) and point its job at it`;

export async function importMonitor(run: Run, given: MonitorEntry): Promise<Outcome> {
  const { scope } = run;
  const entry = normalised(given);
  const type = entry.type ?? DEFAULT_TYPE;
  const channels = resolve(entry.channels, run.idsByKey.channels);
  const channelNote = missingNote("channels", channels.missing);
  const existing = await scope.db.monitor.findFirst({
    where: byKey(scope.userId, entry.key),
    include: { channels: { select: { channelId: true } } },
  });

  if (!existing) {
    const settings = monitorSettings(entry);
    // Header values the file does not hold: the monitor is made without them, paused.
    const given = "headers" in settings ? (settings.headers ?? []) : [];
    const hidden = given.filter((header) => header.value === MASKED_VALUE);
    const headers = hidden.length ? { headers: given.filter((header) => header.value !== MASKED_VALUE) } : {};
    const created = await createMonitor(
      scope,
      validated(CreateMonitorInput, { ...settings, ...headers, channelIds: channels.ids }),
      { importKey: entry.key, isActive: entry.isActive && hidden.length === 0 },
    );
    run.idsByKey.monitors.set(entry.key, created.id);
    run.keys.monitors.set(created.id, entry.key);
    return {
      result: "created",
      note: notes(
        hidden.length
          ? `paused: the values of ${hidden.map((h) => h.name).join(", ")} are not in the file; add them and resume`
          : undefined,
        moduleOf(entry).judgedBy === "pings" ? newPushUrlNote(created.id) : undefined,
        channelNote,
      ),
    };
  }

  run.idsByKey.monitors.set(entry.key, existing.id);
  if (existing.type !== type) {
    return { result: "skipped", note: `the monitor with this key is ${existing.type} here, not ${type}` };
  }
  const wanted = { ...entry, channels: channels.ids.map((id) => run.keys.channels.get(id)!).sort() };
  if (statesSame(monitorEntry(existing, run.keys, run.includesSecrets), wanted)) {
    return { result: "unchanged", note: channelNote };
  }
  const { type: _type, ...settings } = monitorSettings(entry);
  const input = validated(UpdateMonitorInput, { ...settings, id: existing.id, channelIds: channels.ids });
  // Its settings and its pause or resume together, or neither.
  await inOneTransaction(scope, async (tx) => {
    await updateMonitor(tx, input);
    if (existing.isActive !== entry.isActive)
      await setMonitorsActive(tx, { ids: [existing.id], active: entry.isActive });
  });
  return { result: "updated", note: channelNote };
}
