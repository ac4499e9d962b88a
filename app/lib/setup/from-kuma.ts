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
import { SHARED_DEFAULTS } from "../../../core/domain/monitor-defaults.ts";
import { clamp, flag, id, KumaMonitor, text, type KumaCommon } from "../../../core/monitor-types/kuma.ts";
import { MONITOR_TYPES, monitorType } from "../../../core/monitor-types/registry.ts";
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

const KumaNotification = z.object({
  id,
  name: text,
  /** The notification's settings as a JSON string (type, URLs, tokens). */
  config: z.string(),
  active: flag.optional(),
  is_default: flag.optional(),
});

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

/** What every type shares: the schedule, retries as "failures before DOWN", tags, channels. */
function commonOf(monitor: KumaMonitor, channelKeys: Set<string>): KumaCommon {
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
  if (monitor.type === "group") return "groups are not monitors here (the monitors in it are imported)";
  const mapped = MONITOR_TYPES.map(monitorType).find((type) => type.kuma?.types.includes(monitor.type));
  if (!mapped?.kuma) return `${monitor.type} monitors are not supported here (${KUMA_SUPPORTED} are)`;
  return mapped.kuma.map(monitor, commonOf(monitor, channelKeys));
}

/** "HTTP, keyword, JSON query, TCP port, push and DNS". */
const KUMA_SUPPORTED = ((names) => `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`)(
  MONITOR_TYPES.flatMap((type) => monitorType(type).kuma?.names ?? []),
);

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
