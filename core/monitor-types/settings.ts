/**
 * The settings every monitor stores, as zod schemas shared by the API (tRPC input), the
 * forms (inline field errors), the services and the type modules beside this file (which
 * add their own fields): limits, the HTTP request's fields (the stored settings), the
 * settings every type shares, and the timeout rules. Isomorphic: no server imports.
 */
import ipaddr from "ipaddr.js";
import { z } from "zod";
import { parseStatusCodes } from "../domain/status-codes.ts";
import {
  BODY_OPERATORS,
  compilePattern,
  HEADER_OPERATORS,
  JSON_OPERATORS,
  parsePath,
  type Assertion,
} from "../domain/assertions.ts";
import { MONITOR_DEFAULTS } from "../domain/monitor-defaults.ts";

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
  assertions: 20,
  assertionTextLength: 500,
  maxResponseMs: { min: 1, max: 60_000 },
  /** Heartbeats: a job may run monthly; the grace covers a slow run. */
  periodSeconds: { min: 10, max: 31 * 86_400 },
  graceSeconds: { min: 0, max: 7 * 86_400 },
  tlsExpiryDays: { min: 0, max: 365 },
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

export const int = (label: string, min: number, max: number) =>
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

const assertionText = (label: string) =>
  z
    .string({ error: `${label} is required` })
    .max(LIMITS.assertionTextLength, `${label} is at most ${LIMITS.assertionTextLength} characters`);

const pattern = assertionText("The pattern").superRefine((value, ctx) => {
  const compiled = compilePattern(value);
  if (typeof compiled === "string") ctx.addIssue({ code: "custom", message: `Not a valid pattern: ${compiled}` });
});

/** Comparing needs a value; "exists" does not (its value is ignored). */
const needsValue = (a: { operator: string; value: string }) => a.operator === "exists" || a.value.length > 0;
const VALUE_REQUIRED = { message: "Enter the value to compare with", path: ["value"] };

const assertion = z.discriminatedUnion(
  "source",
  [
    z
      .object({
        source: z.literal("json"),
        path: assertionText("The path")
          .trim()
          .refine(
            (path) => parsePath(path) !== null,
            "Use a JSON Pointer (/data/status) or a JSONPath ($.data.status)",
          ),
        operator: z.enum(JSON_OPERATORS, { error: `The operator is one of ${JSON_OPERATORS.join(", ")}` }),
        value: assertionText("The value").default(""),
      })
      .refine(needsValue, VALUE_REQUIRED)
      .refine((a) => !(a.operator === "lt" || a.operator === "gt") || Number.isFinite(Number(a.value)), {
        message: "Compare with a number",
        path: ["value"],
      }),
    z
      .object({
        source: z.literal("header"),
        name: header.shape.name,
        operator: z.enum(HEADER_OPERATORS, { error: `The operator is one of ${HEADER_OPERATORS.join(", ")}` }),
        value: assertionText("The value").default(""),
      })
      .refine(needsValue, VALUE_REQUIRED)
      .superRefine((a, ctx) => {
        const compiled = a.operator === "matches" ? compilePattern(a.value) : null;
        if (typeof compiled === "string") {
          ctx.addIssue({ code: "custom", message: `Not a valid pattern: ${compiled}`, path: ["value"] });
        }
      }),
    z.object({
      source: z.literal("body"),
      operator: z.enum(BODY_OPERATORS, { error: `The operator is one of ${BODY_OPERATORS.join(", ")}` }),
      value: pattern.min(1, "Enter the pattern"),
    }),
  ],
  { error: "An assertion's source is json, header or body" },
);

const assertions = z
  .array(assertion)
  .max(LIMITS.assertions, `At most ${LIMITS.assertions} assertions`) satisfies z.ZodType<Assertion[], unknown>;

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
  keywordIgnoreCase: z.boolean({ error: "Ignore case is true or false" }),
  assertions,
  maxResponseMs: int("Slowest response (ms)", LIMITS.maxResponseMs.min, LIMITS.maxResponseMs.max).nullable(),
  ignoreTlsErrors: z.boolean({ error: "Ignore TLS errors is true or false" }),
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
export const channelIds = z.array(z.string().trim().min(1).max(64)).max(50, "At most 50 channels");

/** Null or omitted: the automatic timeout (automaticTimeoutMs). */
export const requestedTimeout = monitorSettingsShape.timeoutMs.nullable().optional();

/** An IPv4 address in four decimal parts, or an IPv6 address (no brackets). */
export function isIpAddress(value: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(value) || ipaddr.IPv6.isValid(value);
}

const HOST_NAME =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$/;

/** A host name or an IP address (IPv6 with or without brackets). */
export const host = z
  .string({ error: "Enter the host to connect to" })
  .trim()
  .min(1, "Enter the host to connect to")
  .max(253, "At most 253 characters")
  .refine(
    // A name's last label is never all digits (1.2.3.4.5 is no name, and no address either).
    (value) =>
      (HOST_NAME.test(value) && !/(?:^|\.)\d+\.?$/.test(value)) || isIpAddress(value.replace(/^\[(.*)\]$/, "$1")),
    "Enter a host name or an IP address, like db.example.com or 192.0.2.10",
  )
  .transform((value) =>
    value
      .replace(/^\[|\]$/g, "")
      .replace(/\.$/, "")
      .toLowerCase(),
  );

/** Settings every type shares. */
export const commonSettings = {
  name: monitorSettingsShape.name,
  timeoutMs: requestedTimeout,
  intervalSeconds: monitorSettingsShape.intervalSeconds,
  failureThreshold: monitorSettingsShape.failureThreshold,
  recoveryThreshold: monitorSettingsShape.recoveryThreshold,
  regions: monitorSettingsShape.regions,
  downQuorum: monitorSettingsShape.downQuorum,
  tags: monitorSettingsShape.tags,
};

export type MonitorSettings = z.output<z.ZodObject<typeof monitorSettingsShape>>;

/** The defaults (core/domain/monitor-defaults.ts) fit the settings' types (their lists are read-only there). */
type ReadonlyLists<T> = { [K in keyof T]: T[K] extends (infer Item)[] ? readonly Item[] : T[K] };
const _defaultsFit: Partial<ReadonlyLists<MonitorSettings>> = MONITOR_DEFAULTS;

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

/** The stored settings that are an HTTP request's: what only HTTP monitors have. */
export const REQUEST_SETTINGS = [
  "url",
  "method",
  "headers",
  "body",
  "expectedStatusCodes",
  "keyword",
  "keywordMode",
  "keywordIgnoreCase",
  "assertions",
  "maxResponseMs",
  "ignoreTlsErrors",
  "followRedirects",
  "maxRedirects",
] as const satisfies readonly (keyof MonitorSettings)[];

/** The update fields every probed type (all but heartbeats) accepts: its schedule and regions. */
export const PROBED_SETTINGS = ["intervalSeconds", "timeoutMs", "regions", "downQuorum"] as const;

/** The settings every probed type shares, out of a monitor's stored settings (for a create like it). */
export function probedSettingsOf(settings: MonitorSettings) {
  return {
    name: settings.name,
    timeoutMs: settings.timeoutMs,
    intervalSeconds: settings.intervalSeconds,
    failureThreshold: settings.failureThreshold,
    recoveryThreshold: settings.recoveryThreshold,
    regions: settings.regions,
    downQuorum: settings.downQuorum,
    tags: settings.tags,
  };
}

/** A number typed into the form, or null while it is not one. */
export function finite(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}
