/**
 * Imports a setup document (`account.import`, `npm run import`, `npm run import:kuma`)
 * through the same services the dashboard uses, so every rule applies as it would to a
 * hand-made monitor: the target policy, quotas, consent for other people's addresses.
 *
 * Each item is matched by its key to what an earlier import made (or, for an exported
 * item never imported, its id), then created, updated, left unchanged, or skipped with
 * the reason (a refused URL, a slug someone else has, a secret the file does not hold).
 * An item that fails does not stop the others; importing the same file again changes
 * nothing. Items are written one at a time, so a large file is never one long lock.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import {
  automaticTimeoutMs,
  CreateMonitorInput,
  MASKED_VALUE,
  UpdateMonitorInput,
} from "~/lib/monitors/monitor-input.ts";
import { CreateChannelInput, SECRET_FIELDS, UpdateChannelInput } from "~/lib/notifications/channel-input.ts";
import { CreateMaintenanceInput, CreateRecurringMaintenanceInput } from "~/lib/status-pages/status-page-input.ts";
import {
  createRecurringMaintenance,
  deleteRecurringMaintenance,
} from "../status-pages/recurring-maintenance.server.ts";
import type {
  ChannelEntry,
  ImportedItem,
  ImportReport,
  ItemKind,
  MaintenanceEntry,
  MonitorEntry,
  RecurringMaintenanceEntry,
  SetupDocument,
  StatusPageEntry,
} from "~/lib/setup/setup-document.ts";
import { ServiceError, ValidationError } from "../errors.server.ts";
import { setMonitorsActive } from "../monitors/monitor-actions.server.ts";
import { createMonitor, updateMonitor } from "../monitors/write-monitor.server.ts";
import { createChannel, updateChannel } from "../notifications/channels.server.ts";
import { removeDomain, setDomain } from "../status-pages/domains.server.ts";
import { removeLogo, setLogo } from "../status-pages/logo.server.ts";
import { createMaintenance, deleteMaintenance } from "../status-pages/maintenance.server.ts";
import { createStatusPage, setPageMonitors, setPublished, updateStatusPage } from "../status-pages/pages.server.ts";
import type { OwnerScope } from "../scope.server.ts";
import {
  channelEntry,
  keysOf,
  maintenanceEntry,
  monitorEntry,
  PAGE_INCLUDE,
  recurringMaintenanceEntry,
  statesSame,
  statusPageEntry,
  type Keys,
} from "./entries.server.ts";

type Outcome = { result: "created" | "updated" | "unchanged"; note?: string } | { result: "skipped"; note: string };

/** What one import knows as it goes: key → id of the account's channels and monitors. */
interface Run {
  scope: OwnerScope;
  includesSecrets: boolean;
  keys: Keys;
  idsByKey: { channels: Map<string, string>; monitors: Map<string, string> };
}

function invert(map: Map<string, string>): Map<string, string> {
  return new Map([...map].map(([id, key]) => [key, id]));
}

/** Keys that name something in the account, as ids; and the ones that do not. */
function resolve(keys: string[], ids: Map<string, string>): { ids: string[]; missing: string[] } {
  const found = keys.filter((key) => ids.has(key));
  return { ids: found.map((key) => ids.get(key)!), missing: keys.filter((key) => !ids.has(key)) };
}

const missingNote = (what: string, missing: string[]) =>
  missing.length ? `${what} not in this account, left out: ${missing.join(", ")}` : undefined;

const notes = (...parts: (string | undefined)[]) => parts.filter(Boolean).join("; ") || undefined;

/** The input a service takes, or a ValidationError naming the fields (the item is skipped, the rest go on). */
function validated<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const { formErrors, fieldErrors } = z.flattenError(parsed.error);
  throw new ValidationError({
    ...(fieldErrors as Record<string, string[]>),
    ...(formErrors.length ? { item: formErrors } : {}),
  });
}

/** Matches an item: the key an import gave it, else (exported, never imported) its id. */
const byKey = (userId: string, key: string) => ({ userId, OR: [{ importKey: key }, { id: key, importKey: null }] });

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
        if (error instanceof ServiceError) return { result: "skipped", note: error.message };
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

function monitorName(entry: MonitorEntry): string {
  switch (entry.type) {
    case undefined:
    case "HTTP":
      return entry.name ?? entry.url;
    case "TCP":
    case "TLS":
      return entry.name ?? `${entry.host}:${entry.port}`;
    case "DNS":
      return entry.name ?? `${entry.recordType} ${entry.hostname}`;
    case "HEARTBEAT":
      return entry.name ?? "Heartbeat";
  }
}

// Channels ------------------------------------------------------------------------------

/** An entry's own fields (as notification.create names them), without the document's bookkeeping. */
function channelFields(entry: ChannelEntry): Record<string, unknown> {
  const {
    key: _key,
    type: _type,
    name: _name,
    isDefault: _d,
    reminderMinutes: _r,
    signingSecret: _s,
    ...fields
  } = entry;
  return fields;
}

async function importChannel(run: Run, entry: ChannelEntry): Promise<Outcome> {
  const { scope } = run;
  const existing = await scope.db.notificationChannel.findFirst({ where: byKey(scope.userId, entry.key) });
  const fields = channelFields(entry);
  // Credentials the file does not hold (null): kept when the channel exists, else it cannot be made.
  const hidden = SECRET_FIELDS[entry.type].filter((field) => fields[field] === null);
  const given = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null && value !== undefined));
  const signingSecret = entry.signingSecret ?? undefined;
  if (!existing) {
    if (hidden.length > 0) {
      return {
        result: "skipped",
        note: `its ${hidden.join(", ")} is a secret the file does not hold: export with --include-secrets, or add the channel by hand`,
      };
    }
    const input = validated(CreateChannelInput, {
      ...given,
      type: entry.type,
      name: entry.name,
      isDefault: entry.isDefault,
      reminderMinutes: entry.reminderMinutes,
    });
    const created = await createChannel(scope, input, { importKey: entry.key, signingSecret });
    run.idsByKey.channels.set(entry.key, created.id);
    run.keys.channels.set(created.id, entry.key);
    return {
      result: "created",
      note: created.awaitingConfirmation
        ? "a confirmation mail went to the address: alerts start once confirmed"
        : undefined,
    };
  }
  run.idsByKey.channels.set(entry.key, existing.id);
  if (existing.type !== entry.type) {
    return { result: "skipped", note: `the channel with this key is ${existing.type} here, not ${entry.type}` };
  }
  // A secret the file does not hold is not stated: the stored one stays.
  const stated = {
    ...entry,
    ...Object.fromEntries(hidden.map((field) => [field, undefined])),
    signingSecret,
  };
  if (statesSame(channelEntry(existing, run.includesSecrets), stated)) return { result: "unchanged" };
  await updateChannel(
    scope,
    validated(UpdateChannelInput, {
      ...given,
      id: existing.id,
      name: entry.name,
      isDefault: entry.isDefault,
      reminderMinutes: entry.reminderMinutes,
    }),
  );
  if (signingSecret && signingSecret !== existing.signingSecret) {
    await scope.db.notificationChannel.update({ where: { id: existing.id }, data: { signingSecret } });
  }
  return { result: "updated" };
}

// Monitors ------------------------------------------------------------------------------

/** The entry's own settings: what a create or update takes, without the document's bookkeeping. */
function monitorSettings(entry: MonitorEntry) {
  const { key: _key, isActive: _isActive, channels: _channels, ...settings } = entry;
  if (settings.type === "HEARTBEAT") {
    const { pushToken: _pushToken, ...heartbeat } = settings;
    return heartbeat;
  }
  return settings;
}

/**
 * As the service stores it, so a second import compares equal: HTTP when the type is
 * left out, an unnamed heartbeat is "Heartbeat", a timeout equal to the automatic one is
 * the automatic one (null), and a secret the file does not hold (null) is not stated.
 */
function normalised(entry: MonitorEntry): MonitorEntry {
  if (entry.type === "HEARTBEAT") {
    return { ...entry, name: entry.name || "Heartbeat", pushToken: entry.pushToken ?? undefined } as MonitorEntry;
  }
  const automatic =
    typeof entry.timeoutMs === "number" &&
    entry.intervalSeconds !== undefined &&
    entry.timeoutMs === automaticTimeoutMs(entry.intervalSeconds);
  return { ...entry, type: entry.type ?? "HTTP", ...(automatic ? { timeoutMs: null } : {}) } as MonitorEntry;
}

async function importMonitor(run: Run, given: MonitorEntry): Promise<Outcome> {
  const { scope } = run;
  const entry = normalised(given);
  const type = entry.type ?? "HTTP";
  const channels = resolve(entry.channels, run.idsByKey.channels);
  const channelNote = missingNote("channels", channels.missing);
  const pushToken = entry.type === "HEARTBEAT" ? entry.pushToken : null;
  const existing = await scope.db.website.findFirst({
    where: byKey(scope.userId, entry.key),
    include: { channels: { select: { channelId: true } } },
  });

  if (!existing) {
    const settings = monitorSettings(entry);
    // Header values the file does not hold: the monitor is made without them, paused.
    const given = settings.type === undefined || settings.type === "HTTP" ? (settings.headers ?? []) : [];
    const hidden = given.filter((header) => header.value === MASKED_VALUE);
    const headers = hidden.length ? { headers: given.filter((header) => header.value !== MASKED_VALUE) } : {};
    const tokenFree = pushToken ? !(await scope.db.website.findUnique({ where: { pushToken } })) : false;
    const created = await createMonitor(
      scope,
      validated(CreateMonitorInput, { ...settings, ...headers, channelIds: channels.ids }),
      {
        importKey: entry.key,
        isActive: entry.isActive && hidden.length === 0,
        pushToken: tokenFree ? pushToken! : undefined,
      },
    );
    run.idsByKey.monitors.set(entry.key, created.id);
    run.keys.monitors.set(created.id, entry.key);
    return {
      result: "created",
      note: notes(
        hidden.length
          ? `paused: the values of ${hidden.map((h) => h.name).join(", ")} are not in the file; add them and resume`
          : undefined,
        type === "HEARTBEAT" && !tokenFree ? "it has a new push URL: point its job at it" : undefined,
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
  await updateMonitor(scope, validated(UpdateMonitorInput, { ...settings, id: existing.id, channelIds: channels.ids }));
  if (existing.isActive !== entry.isActive) {
    await setMonitorsActive(scope, { ids: [existing.id], active: entry.isActive });
  }
  let tokenNote: string | undefined;
  if (pushToken && pushToken !== existing.pushToken) {
    const taken = await scope.db.website.findUnique({ where: { pushToken } });
    if (taken) tokenNote = "its push token is another monitor's: the push URL stays as it was";
    else await scope.db.website.update({ where: { id: existing.id }, data: { pushToken } });
  }
  return { result: "updated", note: notes(tokenNote, channelNote) };
}

// Status pages --------------------------------------------------------------------------

async function importStatusPage(run: Run, entry: StatusPageEntry): Promise<Outcome> {
  const { scope } = run;
  const listed = entry.monitors.filter((link) => run.idsByKey.monitors.has(link.monitor));
  const monitorNote = missingNote(
    "monitors",
    entry.monitors.filter((link) => !run.idsByKey.monitors.has(link.monitor)).map((link) => link.monitor),
  );
  // A password the file does not hold (null) is not stated: the stored one stays.
  const wanted = { ...entry, monitors: listed, passwordHash: entry.passwordHash ?? undefined };
  const existing = await scope.db.statusPage.findFirst({
    where: byKey(scope.userId, entry.key),
    include: PAGE_INCLUDE,
  });
  if (existing && statesSame(statusPageEntry(existing, run.keys, run.includesSecrets), wanted)) {
    return { result: "unchanged", note: monitorNote };
  }

  const pageId = existing
    ? (
        await updateStatusPage(scope, {
          id: existing.id,
          name: entry.name,
          slug: entry.slug,
          description: entry.description,
        })
      ).id
    : (
        await createStatusPage(
          scope,
          { name: entry.name, slug: entry.slug, description: entry.description },
          { importKey: entry.key },
        )
      ).id;
  await setPageMonitors(scope, {
    id: pageId,
    monitors: listed.map((link) => ({
      websiteId: run.idsByKey.monitors.get(link.monitor)!,
      displayName: link.displayName,
      section: link.section,
    })),
  });

  const accessNote = await importAccess(scope, pageId, existing, entry);
  const domainNote = await importDomain(scope, pageId, existing?.domain ?? null, entry.domain);
  const storedLogo = existing?.logo ? Buffer.from(existing.logo.bytes).toString("base64") : null;
  if (entry.logo !== storedLogo) {
    if (entry.logo) await setLogo(scope, { id: pageId, image: entry.logo });
    else await removeLogo(scope, { id: pageId });
  }
  let publishNote: string | undefined;
  if (entry.isPublished !== (existing?.isPublished ?? false)) {
    try {
      await setPublished(scope, { id: pageId, isPublished: entry.isPublished });
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      publishNote = `not published: ${error.message}`;
    }
  }
  return {
    result: existing ? "updated" : "created",
    note: notes(publishNote, accessNote, domainNote, monitorNote),
  };
}

/**
 * Who may see the page. A private page keeps its password (or takes the file's hash);
 * one that has none opens for nobody until its owner sets one.
 */
async function importAccess(
  scope: OwnerScope,
  pageId: string,
  existing: { visibility: string; accessPasswordHash: string | null; accessToken: string | null } | null,
  entry: StatusPageEntry,
): Promise<string | undefined> {
  const passwordHash =
    entry.visibility === "PRIVATE" ? (entry.passwordHash ?? existing?.accessPasswordHash ?? null) : null;
  const unchanged = existing?.visibility === entry.visibility && existing.accessPasswordHash === passwordHash;
  if (unchanged || (!existing && entry.visibility === "PUBLIC")) return undefined;
  const page = await scope.db.statusPage.update({
    where: { id: pageId },
    data: {
      visibility: entry.visibility,
      accessPasswordHash: passwordHash,
      accessToken:
        entry.visibility === "PRIVATE" ? (existing?.accessToken ?? randomBytes(24).toString("base64url")) : null,
    },
  });
  scope.caches.publicPages.invalidate(page.slug, scope.reads.freshForMs);
  return entry.visibility === "PRIVATE" && !passwordHash
    ? "private, without a password (the file holds none): set one on the page's settings"
    : undefined;
}

async function importDomain(
  scope: OwnerScope,
  pageId: string,
  stored: { domain: string; verificationToken: string } | null,
  wanted: StatusPageEntry["domain"],
): Promise<string | undefined> {
  if (!wanted) {
    if (stored) await removeDomain(scope, { id: pageId });
    return undefined;
  }
  const sameToken = wanted.verificationToken === null || wanted.verificationToken === stored?.verificationToken;
  if (stored?.domain === wanted.name && sameToken) return undefined;
  const domain = await setDomain(
    scope,
    { id: pageId, domain: wanted.name },
    { verificationToken: wanted.verificationToken ?? undefined },
  );
  return `verify ${domain.domain} on the page's settings (its TXT record ${wanted.verificationToken ? "stays the same" : "has a new value"})`;
}

// Maintenance windows -------------------------------------------------------------------

async function importMaintenance(run: Run, entry: MaintenanceEntry): Promise<Outcome> {
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

async function importRecurring(run: Run, entry: RecurringMaintenanceEntry): Promise<Outcome> {
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
