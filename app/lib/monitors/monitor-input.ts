/**
 * What a user may set on a monitor, as zod schemas shared by the API (tRPC input), the
 * forms (inline field errors) and the service (cross-field rules after merging an
 * update with the stored monitor). Isomorphic: no server imports.
 */
import { z } from "zod";
import { parseStatusCodes } from "../../../core/domain/status-codes.ts";

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export const KEYWORD_MODES = ["PRESENT", "ABSENT"] as const;

/** Shown instead of a stored header value; sent back unchanged, it keeps the stored value. */
export const MASKED_VALUE = "••••••••";

export const LIMITS = {
  urlLength: 2048,
  nameLength: 100,
  headers: 20,
  headerValueLength: 4096,
  headersTotalBytes: 8192,
  bodyBytes: 64 * 1024,
  keywordLength: 500,
  maxRedirects: 10,
  timeoutMs: { min: 1_000, max: 60_000 },
  intervalSeconds: { min: 10, max: 86_400 },
  threshold: { min: 1, max: 10 },
  regions: 10,
  tags: 10,
  tagLength: 32,
} as const;

/** Headers the HTTP client owns; letting users set them breaks requests or smuggles them. */
const RESERVED_HEADERS = new Set([
  "host",
  "content-length",
  "connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "keep-alive",
]);

const url = z
  .string({ error: "Enter the URL to monitor" })
  .trim()
  .min(1, "Enter the URL to monitor")
  .max(LIMITS.urlLength, `At most ${LIMITS.urlLength} characters`)
  .superRefine((value, ctx) => {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "Enter a full URL, like https://example.com/health" });
      return;
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      ctx.addIssue({ code: "custom", message: "Only http:// and https:// URLs can be monitored" });
    } else if (parsed.username || parsed.password) {
      ctx.addIssue({ code: "custom", message: "Put credentials in a header (e.g. Authorization), not in the URL" });
    }
  });

const header = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Header name is required")
    .max(100, "Header names are at most 100 characters")
    .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "Header names use letters, digits and - only")
    .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()), "This header is set by Better Uptime itself"),
  value: z
    .string()
    .max(LIMITS.headerValueLength, `Header values are at most ${LIMITS.headerValueLength} characters`)
    .refine((value) => !/[\r\n\0]/.test(value), "Header values cannot contain line breaks"),
});

const headers = z
  .array(header)
  .max(LIMITS.headers, `At most ${LIMITS.headers} headers`)
  .superRefine((list, ctx) => {
    const bytes = list.reduce((sum, h) => sum + h.name.length + h.value.length + 4, 0);
    if (bytes > LIMITS.headersTotalBytes) {
      ctx.addIssue({ code: "custom", message: `Headers total at most ${LIMITS.headersTotalBytes / 1024} KiB` });
    }
    const names = list.map((h) => h.name.toLowerCase());
    const duplicate = names.find((name, index) => names.indexOf(name) !== index);
    if (duplicate) ctx.addIssue({ code: "custom", message: `Header "${duplicate}" is listed twice` });
  });

const int = (label: string, min: number, max: number) =>
  z
    .number({ error: `${label} must be a number` })
    .int(`${label} must be a whole number`)
    .min(min, `${label} must be between ${min} and ${max}`)
    .max(max, `${label} must be between ${min} and ${max}`);

const region = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "Region names use lowercase letters, digits and -, up to 32 characters");

const tag = z
  .string()
  .trim()
  .min(1, "A tag cannot be empty")
  .max(LIMITS.tagLength, `Tags are at most ${LIMITS.tagLength} characters`)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._:/-]*$/u, "Tags use letters, digits, spaces and . _ : / -");

/** Every setting, all optional: the shape of an update. Create requires `url`. */
export const monitorSettingsShape = {
  url,
  name: z
    .string()
    .trim()
    .max(LIMITS.nameLength, `At most ${LIMITS.nameLength} characters`)
    .nullable()
    .transform((value) => (value ? value : null)),
  method: z.enum(HTTP_METHODS, { error: `Method must be one of ${HTTP_METHODS.join(", ")}` }),
  headers,
  body: z
    .string()
    .max(LIMITS.bodyBytes, `The request body is at most ${LIMITS.bodyBytes / 1024} KiB`)
    .nullable()
    .transform((value) => (value ? value : null)),
  expectedStatusCodes: z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      const parsed = parseStatusCodes(value);
      if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.error });
    }),
  keyword: z
    .string()
    .max(LIMITS.keywordLength, `At most ${LIMITS.keywordLength} characters`)
    .nullable()
    .transform((value) => (value ? value : null)),
  keywordMode: z.enum(KEYWORD_MODES, { error: "Keyword mode must be PRESENT or ABSENT" }),
  followRedirects: z.boolean(),
  maxRedirects: int("Maximum redirects", 0, LIMITS.maxRedirects),
  timeoutMs: int("Timeout (ms)", LIMITS.timeoutMs.min, LIMITS.timeoutMs.max),
  intervalSeconds: int("Interval (seconds)", LIMITS.intervalSeconds.min, LIMITS.intervalSeconds.max),
  failureThreshold: int("Failures before DOWN", LIMITS.threshold.min, LIMITS.threshold.max),
  recoveryThreshold: int("Successes before UP", LIMITS.threshold.min, LIMITS.threshold.max),
  regions: z
    .array(region)
    .min(1, "Choose at least one region")
    .max(LIMITS.regions, `At most ${LIMITS.regions} regions`)
    .refine((list) => new Set(list).size === list.length, "A region is listed twice"),
  downQuorum: int("Regions needed for DOWN", 1, LIMITS.regions),
  tags: z
    .array(tag)
    .max(LIMITS.tags, `At most ${LIMITS.tags} tags`)
    .transform((list) => [...new Set(list)]),
};

/** Alert channels to notify; on create, omitted means "the user's default channels". */
const channelIds = z.array(z.string().trim().min(1).max(64)).max(50, "At most 50 channels");

/** Null or omitted: the automatic timeout (automaticTimeoutMs). */
const requestedTimeout = monitorSettingsShape.timeoutMs.nullable().optional();

/** HTTP(S): the default type (`type` may be left out). */
export const CreateHttpMonitorInput = z.object({
  ...z.object(monitorSettingsShape).partial().shape,
  type: z.literal("HTTP").optional(),
  url: monitorSettingsShape.url,
  timeoutMs: requestedTimeout,
  channelIds: channelIds.optional(),
});

/** A host name or an IP address (IPv6 with or without brackets). */
const host = z
  .string({ error: "Enter the host to connect to" })
  .trim()
  .min(1, "Enter the host to connect to")
  .max(253, "At most 253 characters")
  .regex(
    /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$|^\[?[0-9A-Fa-f:.]+\]?$/,
    "Enter a host name or an IP address, like db.example.com or 192.0.2.10",
  )
  .transform((value) =>
    value
      .replace(/^\[|\]$/g, "")
      .replace(/\.$/, "")
      .toLowerCase(),
  );

/** What a TCP port monitor is: host and port (and whether to complete a TLS handshake). */
export const tcpTargetShape = {
  host,
  port: int("Port", 1, 65_535),
  tls: z.boolean({ error: "TLS is true or false" }),
};

/** Settings every type shares. */
const commonSettings = {
  name: monitorSettingsShape.name,
  timeoutMs: requestedTimeout,
  intervalSeconds: monitorSettingsShape.intervalSeconds,
  failureThreshold: monitorSettingsShape.failureThreshold,
  recoveryThreshold: monitorSettingsShape.recoveryThreshold,
  regions: monitorSettingsShape.regions,
  downQuorum: monitorSettingsShape.downQuorum,
  tags: monitorSettingsShape.tags,
};

export const CreateTcpMonitorInput = z.object({
  type: z.literal("TCP"),
  host: tcpTargetShape.host,
  port: tcpTargetShape.port,
  tls: tcpTargetShape.tls.optional(),
  ...z.object(commonSettings).partial().shape,
  channelIds: channelIds.optional(),
});

/** A monitor of any type, by `type` (HTTP when left out). */
export const CreateMonitorInput = z.discriminatedUnion("type", [CreateHttpMonitorInput, CreateTcpMonitorInput], {
  error: "Type is HTTP or TCP",
});
export type CreateMonitorInput = z.input<typeof CreateMonitorInput>;

/** tcp://host:port — how a TCP monitor's target is stored and shown. */
export function tcpUrl(target: { host: string; port: number }): string {
  return `tcp://${target.host.includes(":") ? `[${target.host}]` : target.host}:${target.port}`;
}

export const MonitorId = z.object({ id: z.string().trim().min(1, "id is required").max(64, "Unknown monitor") });

export const UpdateMonitorInput = MonitorId.extend({
  ...z.object(monitorSettingsShape).partial().shape,
  ...z.object(tcpTargetShape).partial().shape,
  timeoutMs: requestedTimeout,
  channelIds: channelIds.optional(),
});
export type UpdateMonitorInput = z.input<typeof UpdateMonitorInput>;

export const MONITOR_DEFAULTS = {
  name: null,
  method: "GET",
  headers: [],
  body: null,
  expectedStatusCodes: "200-299",
  keyword: null,
  keywordMode: "PRESENT",
  followRedirects: true,
  maxRedirects: 5,
  intervalSeconds: 60,
  failureThreshold: 1,
  recoveryThreshold: 1,
  regions: ["default"],
  downQuorum: 1,
  tags: [],
} as const satisfies Partial<MonitorSettings>;

export type MonitorSettings = z.output<z.ZodObject<typeof monitorSettingsShape>>;

/** The longest automatic timeout. */
const AUTOMATIC_TIMEOUT_MAX_MS = 10_000;

/**
 * The timeout of a monitor that has none of its own: 10 s, or half the interval when
 * that is shorter (a 10-second interval gets 5 s), so every allowed interval works.
 */
export function automaticTimeoutMs(intervalSeconds: number): number {
  return Math.max(LIMITS.timeoutMs.min, Math.min(AUTOMATIC_TIMEOUT_MAX_MS, Math.floor(intervalSeconds * 500)));
}

/**
 * The timeout to store. A number is the user's own; null asks for the automatic one;
 * omitted keeps the stored timeout — unless it was the automatic one (it follows the new
 * interval) or no longer fits a shorter interval (it becomes the automatic one, rather
 * than an error for choosing an allowed interval).
 */
export function timeoutFor(
  requested: number | null | undefined,
  intervalSeconds: number,
  stored?: { timeoutMs: number; intervalSeconds: number },
): number {
  if (typeof requested === "number") return requested;
  if (requested === null || !stored) return automaticTimeoutMs(intervalSeconds);
  const wasAutomatic = stored.timeoutMs === automaticTimeoutMs(stored.intervalSeconds);
  if (wasAutomatic || stored.timeoutMs >= intervalSeconds * 1000) return automaticTimeoutMs(intervalSeconds);
  return stored.timeoutMs;
}

/** Null (shown as "automatic" in the form) when the timeout is the automatic one for its interval. */
export function ownTimeoutMs(settings: { timeoutMs: number; intervalSeconds: number }): number | null {
  return settings.timeoutMs === automaticTimeoutMs(settings.intervalSeconds) ? null : settings.timeoutMs;
}

/** Rules that span fields, on complete settings (create, or update merged with the stored monitor). */
export function crossFieldErrors(settings: MonitorSettings): Partial<Record<keyof MonitorSettings, string[]>> {
  const errors: Partial<Record<keyof MonitorSettings, string[]>> = {};
  if (settings.downQuorum > settings.regions.length) {
    errors.downQuorum = [`At most the number of regions (${settings.regions.length})`];
  }
  if (settings.timeoutMs >= settings.intervalSeconds * 1000) {
    errors.timeoutMs = ["The timeout must be shorter than the interval"];
  }
  if (settings.body && (settings.method === "GET" || settings.method === "HEAD")) {
    errors.body = [`${settings.method} requests cannot carry a body; choose POST, PUT or PATCH`];
  }
  return errors;
}

export const MonitorIds = z.object({
  ids: z.array(MonitorId.shape.id).min(1, "Select at least one monitor").max(500, "At most 500 monitors at once"),
});

export const RESPONSE_RANGES = ["1h", "24h", "7d", "30d"] as const;
export const ResponseTimesInput = MonitorId.extend({ range: z.enum(RESPONSE_RANGES).default("24h") });

/** Pages of incidents (cursor: an incident id) or checks (cursor: a check's numeric id). */
export const MonitorPageInput = MonitorId.extend({ cursor: z.string().max(64).optional() });
export const ChecksPageInput = MonitorId.extend({
  cursor: z
    .string()
    .regex(/^\d{1,15}\.\d{1,5}$/, "Invalid cursor")
    .optional(),
});
