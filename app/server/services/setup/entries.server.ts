/**
 * Stored monitors, channels, pages and maintenance windows as setup-document entries
 * (app/lib/setup/setup-document.ts). Export writes these; import compares an incoming
 * entry with the entry of what it matched, so "unchanged" means exactly "would export
 * the same". What the server chose to prove something (push tokens, signing secrets, a
 * page's access token, a domain's TXT value and status) is never written: an import could
 * not use it.
 */
import type {
  MaintenanceWindow,
  NotificationChannel,
  RecurringMaintenance,
  StatusPage,
  StatusPageDomain,
  StatusPageLogo,
  Monitor,
} from "../../../../core/db/generated/client.ts";
import type { Db } from "../../../../core/db/client.ts";
import { MASKED_VALUE, ownTimeoutMs } from "../../../../core/monitor-types/settings.ts";
import { channelFieldsOf, SECRET_FIELDS } from "~/lib/notifications/channel-input.ts";
import { storedOf } from "../notifications/channels.server.ts";
import {
  ChannelEntry,
  MaintenanceEntry,
  MonitorEntry,
  RecurringMaintenanceEntry,
  StatusPageEntry,
} from "~/lib/setup/setup-document.ts";
import { createInputOf } from "../../../../core/monitor-types/registry.ts";
import { settingsOf } from "../monitors/monitor-view.server.ts";

/** The key an item is known by in exports: the one it was imported under, else its id. */
export const keyOf = (item: { id: string; importKey: string | null }): string => item.importKey ?? item.id;

export interface Keys {
  channels: Map<string, string>;
  monitors: Map<string, string>;
}

/** id → key of the account's channels and monitors, for references. */
export async function keysOf(db: Pick<Db, "notificationChannel" | "monitor">, userId: string): Promise<Keys> {
  const channels = await db.notificationChannel.findMany({ where: { userId }, select: { id: true, importKey: true } });
  const monitors = await db.monitor.findMany({ where: { userId }, select: { id: true, importKey: true } });
  return {
    channels: new Map(channels.map((channel) => [channel.id, keyOf(channel)])),
    monitors: new Map(monitors.map((monitor) => [monitor.id, keyOf(monitor)])),
  };
}

const referencesTo = (ids: string[], keys: Map<string, string>) =>
  ids.flatMap((id) => (keys.has(id) ? [keys.get(id)!] : [])).sort();

export function monitorEntry(
  monitor: Monitor & { channels: { channelId: string }[] },
  keys: Keys,
  includeSecrets: boolean,
): MonitorEntry {
  const settings = settingsOf(monitor);
  const headers = includeSecrets
    ? settings.headers
    : settings.headers.map((header) => ({ name: header.name, value: MASKED_VALUE }));
  const created = createInputOf(monitor, { ...settings, headers });
  // The automatic timeout is exported as such (null), so it keeps following the interval.
  const timeout = "timeoutMs" in created ? { timeoutMs: ownTimeoutMs(settings) } : {};
  return MonitorEntry.parse({
    ...created,
    ...timeout,
    key: keyOf(monitor),
    isActive: monitor.isActive,
    channels: referencesTo(
      monitor.channels.map((link) => link.channelId),
      keys.channels,
    ),
  });
}

export function channelEntry(channel: NotificationChannel, includeSecrets: boolean): ChannelEntry {
  const secrets = SECRET_FIELDS[channel.type];
  const fields = Object.entries(channelFieldsOf(storedOf(channel)))
    .filter(([, value]) => value !== undefined)
    .map(([field, value]) => [field, secrets.includes(field) && !includeSecrets ? null : value]);
  return ChannelEntry.parse({
    key: keyOf(channel),
    type: channel.type,
    name: channel.name,
    isDefault: channel.isDefault,
    reminderMinutes: channel.reminderMinutes,
    ...Object.fromEntries(fields),
  });
}

type StoredPage = StatusPage & {
  domain: StatusPageDomain | null;
  logo: StatusPageLogo | null;
  monitors: { monitorId: string; displayName: string | null; position: number; section: { name: string } | null }[];
};

export const PAGE_INCLUDE = {
  domain: true,
  logo: true,
  monitors: { orderBy: { position: "asc" }, include: { section: { select: { name: true } } } },
} as const;

export function statusPageEntry(page: StoredPage, keys: Keys, includeSecrets: boolean): StatusPageEntry {
  return StatusPageEntry.parse({
    key: keyOf(page),
    name: page.name,
    slug: page.slug,
    description: page.description,
    isPublished: page.isPublished,
    visibility: page.visibility,
    passwordHash: includeSecrets ? page.accessPasswordHash : null,
    domain: page.domain ? { name: page.domain.domain } : null,
    logo: page.logo ? Buffer.from(page.logo.bytes).toString("base64") : null,
    monitors: page.monitors.flatMap((link) =>
      keys.monitors.has(link.monitorId)
        ? [
            {
              monitor: keys.monitors.get(link.monitorId)!,
              displayName: link.displayName ?? "Service",
              section: link.section?.name ?? null,
            },
          ]
        : [],
    ),
  });
}

export function maintenanceEntry(
  window: MaintenanceWindow & { monitors: { monitorId: string }[] },
  keys: Keys,
): MaintenanceEntry {
  return MaintenanceEntry.parse({
    key: keyOf(window),
    title: window.title,
    description: window.description,
    startsAt: window.startsAt.toISOString(),
    endsAt: window.endsAt.toISOString(),
    monitors: referencesTo(
      window.monitors.map((link) => link.monitorId),
      keys.monitors,
    ),
  });
}

/**
 * Whether the stored item already is what the file states: every field the file gives
 * equals the stored one (fields a file leaves out keep their value, as in an update).
 * Object keys may come in any order; lists of references are sorted by their makers.
 */
export function statesSame(stored: object, wanted: object): boolean {
  const current = stored as Record<string, unknown>;
  return Object.entries(wanted).every(
    ([field, value]) => value === undefined || canonical(current[field]) === canonical(value),
  );
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : inner,
  );
}

export function recurringMaintenanceEntry(
  row: RecurringMaintenance & { monitors: { monitorId: string }[] },
  keys: Keys,
): RecurringMaintenanceEntry {
  return RecurringMaintenanceEntry.parse({
    key: keyOf(row),
    title: row.title,
    description: row.description,
    schedule: row.schedule,
    timeZone: row.timeZone,
    durationMinutes: row.durationMinutes,
    monitors: referencesTo(
      row.monitors.map((link) => link.monitorId),
      keys.monitors,
    ),
  });
}
