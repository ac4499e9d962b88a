/**
 * An Uptime Kuma 1.x backup (Settings → Backup → Export: `notificationList`,
 * `monitorList`, optionally `statusPageList`) as a setup document (pure). What has no
 * counterpart here is listed with the reason instead of being guessed at: a monitor
 * imported wrong would alert wrongly, which is worse than one the owner adds by hand.
 *
 * Keys are the backup's own ids (`kuma-monitor-12`), so importing the same backup again
 * changes nothing.
 */
import { z } from "zod";
import { DNS_RECORD_TYPES } from "../../../core/domain/dns-answer.ts";
import {
  DNS_DEFAULTS,
  HEARTBEAT_DEFAULTS,
  HTTP_DEFAULTS,
  SHARED_DEFAULTS,
} from "../../../core/domain/monitor-defaults.ts";
import { LIMITS } from "../../../core/monitor-types/settings.ts";
import {
  ChannelEntry,
  MonitorEntry,
  SETUP_FORMAT,
  SETUP_VERSION,
  StatusPageEntry,
  type SetupDocumentInput,
} from "./setup-document.ts";

export interface Unmapped {
  kind: "monitor" | "notification" | "statusPage";
  name: string;
  reason: string;
}

const id = z.union([z.number(), z.string()]).transform(String);
const text = z.string().nullish();
const flag = z
  .union([z.boolean(), z.number()])
  .nullish()
  .transform((value) => Boolean(value));

const KumaNotification = z.object({
  id,
  name: text,
  /** The notification's settings as a JSON string (type, URLs, tokens). */
  config: z.string(),
  active: flag.optional(),
  is_default: flag.optional(),
});

const KumaMonitor = z.object({
  id,
  name: text,
  type: z.string(),
  url: text,
  method: text,
  hostname: text,
  port: z.union([z.number(), z.string()]).nullish(),
  active: flag,
  interval: z.number().nullish(),
  timeout: z.number().nullish(),
  maxretries: z.number().nullish(),
  keyword: text,
  invertKeyword: flag,
  ignoreTls: flag,
  upsideDown: flag,
  maxredirects: z.number().nullish(),
  accepted_statuscodes: z.array(z.string()).nullish(),
  dns_resolve_type: text,
  dns_resolve_server: text,
  dns_resolve_port: z.union([z.number(), z.string()]).nullish(),
  headers: text,
  body: text,
  authMethod: text,
  basic_auth_user: text,
  basic_auth_pass: text,
  // Not `pushToken`: a push URL's secret is this server's to choose (issue 25).
  jsonPath: text,
  expectedValue: text,
  notificationIDList: z.record(z.string(), z.unknown()).nullish(),
  tags: z.array(z.object({ name: z.string(), value: text })).nullish(),
});
type KumaMonitor = z.output<typeof KumaMonitor>;

const KumaStatusPage = z.object({
  config: z.object({
    slug: z.string(),
    title: text,
    description: text,
    published: flag.optional(),
    domainNameList: z.array(z.string()).nullish(),
  }),
  publicGroupList: z
    .array(z.object({ name: text, monitorList: z.array(z.object({ id, name: text })).nullish() }))
    .nullish(),
});

export const KumaBackup = z.object({
  version: z.string({ error: "Not an Uptime Kuma backup: it has no version" }),
  notificationList: z.array(KumaNotification).nullish(),
  monitorList: z.array(KumaMonitor, { error: "Not an Uptime Kuma backup: it has no monitorList" }),
  statusPageList: z.array(KumaStatusPage).nullish(),
});

const monitorKey = (kumaId: string) => `kuma-monitor-${kumaId}`;
const notificationKey = (kumaId: string) => `kuma-notification-${kumaId}`;

/** Kuma's notification settings we can carry, by its notification type. */
function channelOf(notification: z.output<typeof KumaNotification>): Record<string, unknown> | string {
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(notification.config) as Record<string, unknown>;
  } catch {
    return "its settings are not readable JSON";
  }
  const setting = (name: string) => (typeof config[name] === "string" ? config[name].trim() : "");
  const base = {
    key: notificationKey(notification.id),
    name: (notification.name ?? setting("name")) || `Kuma notification ${notification.id}`,
    isDefault: notification.is_default ?? Boolean(config.isDefault),
  };
  switch (config.type) {
    case "smtp": {
      const to = setting("smtpTo").split(/[,;]/)[0]?.trim();
      return to ? { ...base, type: "EMAIL", target: to } : "it has no recipient (smtpTo)";
    }
    case "slack":
      return { ...base, type: "SLACK", target: setting("slackwebhookURL") };
    case "discord":
      return { ...base, type: "DISCORD", target: setting("discordWebhookUrl") };
    case "webhook":
      return { ...base, type: "WEBHOOK", target: setting("webhookURL") };
    case "telegram":
      return { ...base, type: "TELEGRAM", botToken: setting("telegramBotToken"), chatId: setting("telegramChatID") };
    case "gotify":
      return {
        ...base,
        type: "GOTIFY",
        serverUrl: setting("gotifyserverurl"),
        appToken: setting("gotifyapplicationToken"),
      };
    case "pushover":
      return { ...base, type: "PUSHOVER", userKey: setting("pushoveruserkey"), appToken: setting("pushoverapptoken") };
    case "ntfy":
      return {
        ...base,
        type: "NTFY",
        serverUrl: setting("ntfyserverurl") || undefined,
        topic: setting("ntfytopic"),
        token: setting("ntfyaccesstoken") || undefined,
      };
    case "PagerDuty":
    case "pagerduty": {
      // Kuma keeps the whole enqueue URL; ours is the API's base.
      const url = setting("pagerdutyIntegrationUrl").replace(/\/v2\/enqueue\/?$/, "");
      return { ...base, type: "PAGERDUTY", routingKey: setting("pagerdutyIntegrationKey"), apiUrl: url || undefined };
    }
    case "Opsgenie":
    case "opsgenie":
      return {
        ...base,
        type: "OPSGENIE",
        apiKey: setting("opsgenieApiKey"),
        apiUrl: setting("opsgenieRegion") === "eu" ? "https://api.eu.opsgenie.com" : undefined,
      };
    default:
      return `Kuma's ${String(config.type)} notifications are not mapped (email, Slack, Discord, webhooks, Telegram, ntfy, Pushover, Gotify, PagerDuty and Opsgenie are): add the channel here by hand`;
  }
}

/** Kuma headers are a JSON object in a string. */
function headersOf(monitor: KumaMonitor): { name: string; value: string }[] | string {
  const headers: { name: string; value: string }[] = [];
  if (monitor.headers?.trim()) {
    try {
      const parsed = JSON.parse(monitor.headers) as unknown;
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return "its headers are not a JSON object";
      for (const [name, value] of Object.entries(parsed)) headers.push({ name, value: String(value) });
    } catch {
      return "its headers are not valid JSON";
    }
  }
  if (monitor.authMethod === "basic" && monitor.basic_auth_user) {
    const credentials = `${monitor.basic_auth_user}:${monitor.basic_auth_pass ?? ""}`;
    headers.push({ name: "Authorization", value: `Basic ${btoa(credentials)}` });
  } else if (monitor.authMethod && monitor.authMethod !== "basic" && monitor.authMethod !== "null") {
    return `${monitor.authMethod} authentication is not supported here (basic is, or put a header)`;
  }
  return headers;
}

/** Kuma's JSONata for simple paths ("data.status", "$.items[0].state") as a JSONPath. */
function jsonPathOf(expression: string): string | null {
  const trimmed = expression.trim().replace(/^\$\.?/, "");
  return /^[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*|\[\d+\])*$/.test(trimmed) ? `$.${trimmed}` : null;
}

/** Kuma tags ("env" with value "prod") as our tags ("env:prod"), made to fit ours. */
function tagsOf(monitor: KumaMonitor): string[] {
  return (monitor.tags ?? [])
    .map((tag) => (tag.value ? `${tag.name}:${tag.value}` : tag.name))
    .map((tag) =>
      tag
        .replace(/[^\p{L}\p{N} ._:/-]/gu, "-")
        .replace(/^[^\p{L}\p{N}]+/u, "")
        .slice(0, LIMITS.tagLength)
        .trim(),
    )
    .filter(Boolean)
    .slice(0, LIMITS.tags);
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(value)));

/** What every type shares: the schedule, retries as "failures before DOWN", tags, channels. */
function commonOf(monitor: KumaMonitor, channelKeys: Set<string>) {
  const intervalSeconds = clamp(
    monitor.interval ?? SHARED_DEFAULTS.intervalSeconds,
    LIMITS.intervalSeconds.min,
    LIMITS.intervalSeconds.max,
  );
  // Kuma's timeout is in seconds (default 80 % of the interval); ours must be shorter than the interval.
  const timeoutMs = monitor.timeout
    ? clamp(monitor.timeout * 1000, LIMITS.timeoutMs.min, Math.min(LIMITS.timeoutMs.max, intervalSeconds * 1000 - 1))
    : null;
  return {
    key: monitorKey(monitor.id),
    name: monitor.name?.trim().slice(0, LIMITS.nameLength) || null,
    isActive: monitor.active,
    intervalSeconds,
    timeoutMs,
    failureThreshold: clamp((monitor.maxretries ?? 0) + 1, LIMITS.threshold.min, LIMITS.threshold.max),
    tags: tagsOf(monitor),
    channels: Object.entries(monitor.notificationIDList ?? {})
      .filter(([, on]) => Boolean(on))
      .map(([kumaId]) => notificationKey(kumaId))
      .filter((key) => channelKeys.has(key)),
  };
}

function monitorOf(monitor: KumaMonitor, channelKeys: Set<string>): Record<string, unknown> | string {
  if (monitor.upsideDown) return "upside-down mode (UP when the check fails) is not supported here";
  const common = commonOf(monitor, channelKeys);
  switch (monitor.type) {
    case "http":
    case "keyword":
    case "json-query": {
      const headers = headersOf(monitor);
      if (typeof headers === "string") return headers;
      const http: Record<string, unknown> = {
        ...common,
        type: "HTTP",
        url: monitor.url ?? "",
        method: (monitor.method ?? HTTP_DEFAULTS.method).toUpperCase(),
        headers,
        body: monitor.body?.trim() ? monitor.body : null,
        expectedStatusCodes: (monitor.accepted_statuscodes ?? [HTTP_DEFAULTS.expectedStatusCodes]).join(","),
        ignoreTlsErrors: monitor.ignoreTls,
        followRedirects: (monitor.maxredirects ?? 10) > 0,
        maxRedirects: clamp(monitor.maxredirects ?? HTTP_DEFAULTS.maxRedirects, 0, LIMITS.maxRedirects),
      };
      if (monitor.type === "keyword") {
        if (!monitor.keyword) return "a keyword monitor without a keyword";
        http.keyword = monitor.keyword;
        http.keywordMode = monitor.invertKeyword ? "ABSENT" : "PRESENT";
      }
      if (monitor.type === "json-query") {
        const path = jsonPathOf(monitor.jsonPath ?? "");
        if (!path)
          return `its JSON query "${monitor.jsonPath ?? ""}" is more than a path (JSONata expressions are not supported)`;
        http.assertions = [{ source: "json", path, operator: "equals", value: monitor.expectedValue ?? "" }];
      }
      return http;
    }
    case "port":
      return { ...common, type: "TCP", host: monitor.hostname ?? "", port: Number(monitor.port) };
    case "dns": {
      const recordType = monitor.dns_resolve_type ?? DNS_DEFAULTS.recordType;
      if (!(DNS_RECORD_TYPES as readonly string[]).includes(recordType)) {
        return `${recordType} records are not supported here (${DNS_RECORD_TYPES.join(", ")} are)`;
      }
      const port = Number(monitor.dns_resolve_port ?? 53);
      const server = monitor.dns_resolve_server?.trim();
      const resolver = server
        ? port === 53
          ? server
          : `${server.includes(":") ? `[${server}]` : server}:${port}`
        : null;
      return { ...common, type: "DNS", hostname: monitor.hostname ?? "", recordType, resolver };
    }
    case "push": {
      // A new push URL: the import's report says so, and where to copy it from.
      const { timeoutMs: _timeout, intervalSeconds, ...rest } = common;
      return { ...rest, type: "HEARTBEAT", periodSeconds: intervalSeconds, ...HEARTBEAT_DEFAULTS };
    }
    case "group":
      return "groups are not monitors here (the monitors in it are imported)";
    default:
      return `${monitor.type} monitors are not supported here (HTTP, keyword, JSON query, TCP port, DNS and push are)`;
  }
}

/** The first issue of a failed parse, in a sentence. */
const firstIssue = (error: z.ZodError) => {
  const issue = error.issues[0]!;
  return `${issue.path.join(".") || "value"}: ${issue.message}`;
};

export function fromKumaBackup(backup: z.output<typeof KumaBackup>): {
  document: SetupDocumentInput;
  unmapped: Unmapped[];
} {
  const unmapped: Unmapped[] = [];
  const channels: SetupDocumentInput["channels"] = [];
  for (const notification of backup.notificationList ?? []) {
    const name = notification.name ?? `notification ${notification.id}`;
    const mapped = channelOf(notification);
    const parsed = typeof mapped === "string" ? null : ChannelEntry.safeParse(mapped);
    if (typeof mapped === "string") unmapped.push({ kind: "notification", name, reason: mapped });
    else if (!parsed!.success) unmapped.push({ kind: "notification", name, reason: firstIssue(parsed!.error) });
    else channels.push(parsed!.data);
  }
  const channelKeys = new Set(channels.map((channel) => channel.key));

  const monitors: SetupDocumentInput["monitors"] = [];
  for (const monitor of backup.monitorList) {
    const name = monitor.name ?? `monitor ${monitor.id}`;
    const mapped = monitorOf(monitor, channelKeys);
    const parsed = typeof mapped === "string" ? null : MonitorEntry.safeParse(mapped);
    if (typeof mapped === "string") unmapped.push({ kind: "monitor", name, reason: mapped });
    else if (!parsed!.success) unmapped.push({ kind: "monitor", name, reason: firstIssue(parsed!.error) });
    else monitors.push(parsed!.data);
  }
  const monitorKeys = new Set(monitors.map((monitor) => monitor.key));

  const statusPages: SetupDocumentInput["statusPages"] = [];
  for (const page of backup.statusPageList ?? []) {
    const links = (page.publicGroupList ?? []).flatMap((group) =>
      (group.monitorList ?? [])
        .filter((listed) => monitorKeys.has(monitorKey(listed.id)))
        .map((listed) => ({
          monitor: monitorKey(listed.id),
          displayName: (listed.name ?? "Service").slice(0, 100),
          section: group.name?.trim().slice(0, 100) || null,
        })),
    );
    const domain = page.config.domainNameList?.[0];
    const parsed = StatusPageEntry.safeParse({
      key: `kuma-page-${page.config.slug.toLowerCase()}`,
      name: page.config.title || page.config.slug,
      slug: page.config.slug.toLowerCase(),
      description: page.config.description?.slice(0, 500) || null,
      isPublished: page.config.published ?? true,
      domain: domain ? { name: domain } : null,
      monitors: links,
    });
    if (parsed.success) statusPages.push(parsed.data);
    else
      unmapped.push({
        kind: "statusPage",
        name: page.config.title ?? page.config.slug,
        reason: firstIssue(parsed.error),
      });
  }

  return {
    document: { format: SETUP_FORMAT, version: SETUP_VERSION, includesSecrets: true, channels, monitors, statusPages },
    unmapped,
  };
}
