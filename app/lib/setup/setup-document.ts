/**
 * A whole setup as one JSON document: monitors (every type), alert channels, status pages
 * (sections, domain, logo), maintenance windows and recurring maintenance. `account.export` writes it,
 * `account.import` reads it (also in parts: a script sends a large one in chunks), and
 * the Uptime Kuma importer produces it. Isomorphic: no server imports.
 *
 * Every item carries a `key`, stable across exports and imports, that references name
 * (a monitor's channels, a page's monitors): an import matches an item to what an
 * earlier import of the same key made, so importing twice changes nothing.
 *
 * Secrets — the owner's own credentials for other services: header values, webhook URLs,
 * bot tokens, API keys — are in it only when exported with `includeSecrets`; otherwise
 * header values read MASKED_VALUE and the other secrets are null, and an import keeps
 * what it already has for them.
 *
 * What proves something to this server or for it is never in it, and never read from it
 * (issue 25: the server alone chooses proofs): push tokens, webhook signing secrets, a
 * page's access token and its domain's TXT value, consent and verification states. An
 * item an import creates gets new ones; an item it matches keeps its own. Older documents
 * carrying `pushToken` or `signingSecret` still import: those fields are dropped unread,
 * like any unknown field (docs/decisions/007-imports-carry-no-proofs.md).
 */
import { z } from "zod";
import { parsePasswordHash } from "../../../core/domain/password-hash.ts";
import { CreateDnsMonitorInput } from "../../../core/monitor-types/dns.ts";
import { CreateHeartbeatMonitorInput } from "../../../core/monitor-types/heartbeat.ts";
import { CreateHttpMonitorInput } from "../../../core/monitor-types/http.ts";
import { MONITOR_TYPES } from "../../../core/monitor-types/registry.ts";
import { CreateTcpMonitorInput } from "../../../core/monitor-types/tcp.ts";
import { CreateTlsMonitorInput } from "../../../core/monitor-types/tls.ts";
import { CHANNEL_FIELDS, CHANNEL_TYPES, SECRET_FIELDS, type ChannelType } from "../notifications/channel-input.ts";
import {
  RecurringMaintenanceFields,
  DomainName,
  PAGE_VISIBILITIES,
  SetLogoInput,
  Slug,
} from "../status-pages/status-page-input.ts";

export const SETUP_FORMAT = "better-uptime/setup";
export const SETUP_VERSION = 1;

/** Limits of one import call; a script sends more in several. */
export const SETUP_LIMITS = {
  monitors: 500,
  channels: 200,
  statusPages: 50,
  maintenance: 500,
  recurringMaintenance: 200,
} as const;

export const ItemKey = z
  .string({ error: "Each item needs a key" })
  .trim()
  .min(1, "Each item needs a key")
  .max(100, "Keys are at most 100 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, "Keys use letters, digits and _ . : -");

const references = (what: string) => z.array(ItemKey).max(200, `At most 200 ${what}`).default([]);

/** What every monitor entry adds to its type's create input. */
const monitorEntryShape = {
  key: ItemKey,
  isActive: z.boolean({ error: "isActive is true or false" }).default(true),
  /** Keys of the channels it alerts. */
  channels: references("channels"),
};

export const MonitorEntry = z.discriminatedUnion(
  "type",
  [
    CreateHttpMonitorInput.omit({ channelIds: true }).extend(monitorEntryShape),
    CreateTcpMonitorInput.omit({ channelIds: true }).extend(monitorEntryShape),
    // No push token: the push URL's secret is the server's to choose (a new heartbeat gets a new one).
    CreateHeartbeatMonitorInput.omit({ channelIds: true }).extend(monitorEntryShape),
    CreateDnsMonitorInput.omit({ channelIds: true }).extend(monitorEntryShape),
    CreateTlsMonitorInput.omit({ channelIds: true }).extend(monitorEntryShape),
  ],
  { error: `Type is one of ${MONITOR_TYPES.join(", ")}` },
);
export type MonitorEntry = z.output<typeof MonitorEntry>;

/**
 * A channel entry: its type's own fields (as `notification.create` takes them) plus the
 * key. A credential field reads null when exported without secrets (left out: the channel
 * has none). A webhook's signing secret is not in it: the server chooses it (a new
 * channel gets a new one, shown by "New secret" on the Alerts page).
 */
function channelEntryVariant<Type extends ChannelType>(type: Type) {
  const fields: Record<string, z.ZodType> = { ...CHANNEL_FIELDS[type] };
  for (const name of SECRET_FIELDS[type]) fields[name] = fields[name]!.nullable();
  return z.object({
    type: z.literal(type),
    key: ItemKey,
    name: z.string().trim().min(1, "Name the channel").max(100, "At most 100 characters"),
    isDefault: z.boolean().default(false),
    reminderMinutes: z.number().int().min(5).max(1440).nullable().default(null),
    ...fields,
  });
}

const channelVariants = CHANNEL_TYPES.map((type) => channelEntryVariant(type)) as unknown as [
  ReturnType<typeof channelEntryVariant>,
  ...ReturnType<typeof channelEntryVariant>[],
];

/** The common fields, typed; the type's own fields (CHANNEL_FIELDS) by name. */
export type ChannelEntry = {
  type: ChannelType;
  key: string;
  name: string;
  isDefault: boolean;
  reminderMinutes: number | null;
  [field: string]: unknown;
};
type ChannelEntryInput = {
  type: ChannelType;
  key: string;
  name: string;
  isDefault?: boolean;
  reminderMinutes?: number | null;
  [field: string]: unknown;
};

// Built from CHANNEL_FIELDS, so the static type is stated here rather than inferred.
export const ChannelEntry = z.discriminatedUnion("type", channelVariants, {
  error: `Type is one of ${CHANNEL_TYPES.join(", ")}`,
}) as unknown as z.ZodType<ChannelEntry, ChannelEntryInput>;

const PHC_SHAPE = /^\$argon2(?:id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;
const PHC_MESSAGE = "An argon2 hash in PHC form: $argon2id$v=19$m=…,t=…,p=…$salt$hash";

export const StatusPageEntry = z.object({
  key: ItemKey,
  name: z.string().trim().min(1, "Name the page").max(100, "At most 100 characters"),
  slug: Slug,
  description: z.string().trim().max(500, "At most 500 characters").nullable().default(null),
  isPublished: z.boolean().default(false),
  /** Who may see it (a private page without its password opens for nobody until the owner sets one). */
  visibility: z.enum(PAGE_VISIBILITIES).default("PUBLIC"),
  /**
   * A private page's password, as its argon2id hash (with secrets only). Imported only
   * when made with this instance's own parameters; otherwise the page arrives locked.
   */
  passwordHash: z
    .string()
    .regex(PHC_SHAPE, PHC_MESSAGE)
    // The shape documents it; the parser holds it to argon2's own bounds. Any well-formed
    // argon2 hash is taken (argon2i and argon2d too): one this instance would not make
    // leaves the page locked, with a note, rather than refusing the whole file.
    .refine((text) => parsePasswordHash(text) !== null, PHC_MESSAGE)
    .nullable()
    .default(null),
  /**
   * The custom domain. Only its name: the TXT value that proves it is the server's to
   * choose, so an imported domain starts PENDING with a new one. (Documents written before
   * carry a `verificationToken` here; it is dropped unread, like any unknown field.)
   */
  domain: z.object({ name: DomainName }).nullable().default(null),
  /** The logo, base64 (PNG, JPEG or WebP). */
  logo: SetLogoInput.shape.image.nullable().default(null),
  /** Its monitors in order, by key, with the public name and section heading. */
  monitors: z
    .array(
      z.object({
        monitor: ItemKey,
        displayName: z.string().trim().min(1, "Give each monitor a public name").max(100, "At most 100 characters"),
        section: z.string().trim().max(100, "At most 100 characters").nullable().default(null),
      }),
    )
    .max(200, "At most 200 monitors on one page")
    .default([]),
});
export type StatusPageEntry = z.output<typeof StatusPageEntry>;

export const MaintenanceEntry = z.object({
  key: ItemKey,
  title: z.string().trim().min(1, "Give the maintenance a title").max(200, "At most 200 characters"),
  description: z.string().trim().max(500, "At most 500 characters").nullable().default(null),
  startsAt: z.iso.datetime({ error: "An ISO 8601 date and time, like 2026-12-24T22:00:00Z" }),
  endsAt: z.iso.datetime({ error: "An ISO 8601 date and time, like 2026-12-24T23:00:00Z" }),
  monitors: references("monitors"),
});
export type MaintenanceEntry = z.output<typeof MaintenanceEntry>;

export const RecurringMaintenanceEntry = z.object({
  key: ItemKey,
  title: RecurringMaintenanceFields.shape.title,
  description: z.string().trim().max(500, "At most 500 characters").nullable().default(null),
  schedule: RecurringMaintenanceFields.shape.schedule,
  timeZone: RecurringMaintenanceFields.shape.timeZone,
  durationMinutes: RecurringMaintenanceFields.shape.durationMinutes,
  monitors: references("monitors"),
});
export type RecurringMaintenanceEntry = z.output<typeof RecurringMaintenanceEntry>;

/** Keys name one item each within a section. */
function uniqueKeys<T extends { key: string }>(items: T[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.key))
      ctx.addIssue({ code: "custom", message: `The key "${item.key}" is used twice`, path: [index, "key"] });
    seen.add(item.key);
  });
}

const section = <T extends z.ZodType<{ key: string }>>(entry: T, max: number, what: string) =>
  z.array(entry).max(max, `At most ${max} ${what} a call: send more in several`).default([]).superRefine(uniqueKeys);

export const SetupDocument = z.object({
  format: z.literal(SETUP_FORMAT, { error: `Not a Better Uptime setup (format must be "${SETUP_FORMAT}")` }),
  version: z.literal(SETUP_VERSION, { error: `This instance reads version ${SETUP_VERSION} of the format` }),
  exportedAt: z.iso.datetime().optional(),
  /** Whether secrets are in it; without them, an import keeps the secrets it has. */
  includesSecrets: z.boolean().default(false),
  channels: section(ChannelEntry, SETUP_LIMITS.channels, "channels"),
  monitors: section(MonitorEntry, SETUP_LIMITS.monitors, "monitors"),
  statusPages: section(StatusPageEntry, SETUP_LIMITS.statusPages, "status pages"),
  maintenance: section(MaintenanceEntry, SETUP_LIMITS.maintenance, "maintenance windows"),
  recurringMaintenance: section(RecurringMaintenanceEntry, SETUP_LIMITS.recurringMaintenance, "recurring maintenance"),
});
export type SetupDocument = z.output<typeof SetupDocument>;
export type SetupDocumentInput = z.input<typeof SetupDocument>;

export const ExportInput = z.object({ includeSecrets: z.boolean().default(false) });

export const ITEM_KINDS = ["channel", "monitor", "statusPage", "maintenance", "recurringMaintenance"] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export interface ImportedItem {
  kind: ItemKind;
  key: string;
  name: string;
  /** Why it was skipped, or what the owner should know (a new push URL, a domain to verify). */
  note?: string;
}

/** What an import did, item by item. */
export interface ImportReport {
  created: ImportedItem[];
  updated: ImportedItem[];
  unchanged: ImportedItem[];
  skipped: ImportedItem[];
}
