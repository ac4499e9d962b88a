/**
 * Alert events, as stored in the outbox and as a generic webhook receives them (this
 * shape is documented in README.md, "Alerts"). Pure: rendering for each channel type.
 */
import { formatDuration } from "../text/format.ts";
import { z } from "zod";
import type { IncidentRow } from "../db/queries/incidents.ts";

export const EVENT_TYPES = [
  "incident.opened",
  "incident.resolved",
  "incident.reminder",
  "incident.acknowledged",
  "incident.update",
  "maintenance.scheduled",
  "tls.expiring",
  "test",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const AlertPayload = z.object({
  event: z.enum(EVENT_TYPES),
  occurredAt: z.string(),
  monitor: z.object({ id: z.string(), name: z.string().nullable(), url: z.string() }),
  incident: z
    .object({
      id: z.string(),
      cause: z.string(),
      detail: z.string().nullable(),
      regions: z.array(z.string()),
      startedAt: z.string(),
      resolvedAt: z.string().nullable(),
      durationSeconds: z.number().nullable(),
    })
    .nullable(),
  tls: z.object({ expiresAt: z.string(), daysLeft: z.number() }).nullable(),
  /** incident.acknowledged: who took it, and when (reminders stop). */
  acknowledgement: z.object({ by: z.string(), at: z.string() }).nullable().optional(),
  /** Status page subscribers' mails: which page (for links), an owner's update, a maintenance. */
  page: z.object({ name: z.string(), slug: z.string() }).nullable().optional(),
  update: z.object({ status: z.string(), message: z.string() }).nullable().optional(),
  maintenance: z
    .object({ title: z.string(), description: z.string().nullable(), startsAt: z.string(), endsAt: z.string() })
    .nullable()
    .optional(),
});
export type AlertPayload = z.infer<typeof AlertPayload>;

/** An incident as its alerts describe it. */
export type IncidentFacts = IncidentRow;

/** The payload of an alert about a monitor (and its incident), as every sender of one writes it. */
export function incidentAlertPayload(
  event: EventType,
  monitor: { id: string; name: string | null; url: string },
  incident: IncidentFacts | null,
  occurredAt: Date,
  extra: Pick<AlertPayload, "acknowledgement"> = {},
): AlertPayload {
  return {
    event,
    occurredAt: occurredAt.toISOString(),
    monitor: { id: monitor.id, name: monitor.name, url: monitor.url },
    incident: incident && {
      id: incident.id,
      cause: incident.cause,
      detail: incident.causeDetail,
      regions: incident.regions,
      startedAt: incident.startedAt.toISOString(),
      resolvedAt: incident.resolvedAt?.toISOString() ?? null,
      durationSeconds: incident.durationSeconds,
    },
    tls: null,
    ...extra,
  };
}

/** The body a generic webhook receives: the payload plus the delivery's id. */
export type WebhookBody = AlertPayload & { id: string };

const duration = (seconds: number | null) => (seconds === null ? "" : formatDuration(seconds));

/** One line saying what happened, e.g. "🔴 Checkout API is DOWN: HTTP 503, expected 200-299". */
export function headline(payload: AlertPayload): string {
  const name = payload.monitor.name ?? payload.monitor.url;
  const incident = payload.incident;
  switch (payload.event) {
    case "incident.opened":
      return `🔴 ${name} is DOWN: ${incident?.detail ?? incident?.cause ?? "unknown cause"}`;
    case "incident.reminder":
      return `🔴 ${name} is still DOWN (${incident?.detail ?? incident?.cause ?? "unknown cause"})`;
    case "incident.resolved":
      return `✅ ${name} is UP again after ${duration(incident?.durationSeconds ?? null)}`;
    case "incident.acknowledged":
      return `👀 ${name}: ${payload.acknowledgement?.by ?? "someone"} acknowledged the incident`;
    case "tls.expiring":
      return `⚠️ The TLS certificate of ${name} expires in ${payload.tls?.daysLeft ?? "?"} days`;
    case "incident.update":
      return `${name}: ${payload.update?.status.toLowerCase() ?? "update"} — ${payload.update?.message ?? ""}`;
    case "maintenance.scheduled":
      return `🛠 Scheduled maintenance: ${payload.maintenance?.title ?? name}`;
    case "test":
      return `🔔 Test alert from Better Uptime for ${name}`;
  }
}

/** The detail lines under the headline. */
export function details(payload: AlertPayload, appUrl: string): string[] {
  const lines = [`Monitor: ${payload.monitor.name ?? payload.monitor.url} (${payload.monitor.url})`];
  const incident = payload.incident;
  if (incident) {
    lines.push(`Cause: ${incident.cause}${incident.detail ? ` — ${incident.detail}` : ""}`);
    if (incident.regions.length > 0) lines.push(`Regions: ${incident.regions.join(", ")}`);
    lines.push(`Down since: ${incident.startedAt}`);
    if (incident.resolvedAt) lines.push(`Back up at: ${incident.resolvedAt} (${duration(incident.durationSeconds)})`);
  }
  if (payload.acknowledgement) {
    lines.push(`Acknowledged by ${payload.acknowledgement.by} at ${payload.acknowledgement.at}`);
  }
  if (payload.tls) lines.push(`Certificate expires: ${payload.tls.expiresAt}`);
  lines.push(`Details: ${appUrl}/monitors/${payload.monitor.id}`);
  return lines;
}

/** `acknowledgeUrl`: the signed link that acknowledges the incident (down and reminder mails). */
export function renderEmail(
  payload: AlertPayload,
  appUrl: string,
  acknowledgeUrl?: string,
): { subject: string; text: string } {
  const acknowledge = acknowledgeUrl ? ["", `Acknowledge (stops the reminders): ${acknowledgeUrl}`] : [];
  return {
    subject: headline(payload),
    text: [headline(payload), "", ...details(payload, appUrl), ...acknowledge].join("\n"),
  };
}

/**
 * Slack reads `<!channel>`, `<!here>`, `<@U123>` and links from `<…>`: text from monitors
 * and targets is escaped as Slack documents (&, <, >), so an error message or a monitor
 * name can never ping a whole channel or smuggle in a link.
 */
export function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Slack incoming webhooks accept { text, blocks }. */
export function renderSlack(payload: AlertPayload, appUrl: string) {
  const title = slackEscape(headline(payload));
  return {
    text: title,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*${title}*` } },
      { type: "section", text: { type: "mrkdwn", text: slackEscape(details(payload, appUrl).join("\n")) } },
    ],
  };
}

const DISCORD_COLOUR: Record<EventType, number> = {
  "incident.opened": 0xdc2626,
  "incident.reminder": 0xdc2626,
  "incident.acknowledged": 0xf59e0b,
  "incident.update": 0x2563eb,
  "maintenance.scheduled": 0x2563eb,
  "incident.resolved": 0x16a34a,
  "tls.expiring": 0xf59e0b,
  test: 0x2563eb,
};

/**
 * Discord webhooks accept { content, embeds } (an embed's description ≤ 4096 characters).
 * `allowed_mentions` with nothing to parse: text from monitors and targets can never ping
 * @everyone, @here, a role or a user.
 */
export function renderDiscord(payload: AlertPayload, appUrl: string) {
  return {
    content: headline(payload),
    allowed_mentions: { parse: [] as string[] },
    embeds: [
      {
        title: (payload.monitor.name ?? payload.monitor.url).slice(0, 256),
        url: `${appUrl}/monitors/${payload.monitor.id}`,
        description: details(payload, appUrl).join("\n").slice(0, 4096),
        color: DISCORD_COLOUR[payload.event],
        timestamp: payload.occurredAt,
      },
    ],
  };
}

/**
 * A status page subscriber's mail: public names only — no monitor URL, no error text —
 * and a one-click unsubscribe link.
 */
export function renderSubscriberEmail(payload: AlertPayload, pageUrl: string, unsubscribeUrl: string) {
  const service = payload.monitor.name ?? "A service";
  const page = payload.page?.name ?? "Status";
  const lines: string[] = [];
  let subject: string;
  switch (payload.event) {
    case "incident.opened":
    case "incident.reminder":
      subject = `[${page}] ${service} is experiencing an outage`;
      lines.push(`${service} has been unavailable since ${payload.incident?.startedAt ?? payload.occurredAt}.`);
      break;
    case "incident.resolved":
      subject = `[${page}] ${service} is operational again`;
      lines.push(`${service} is back after an outage of ${duration(payload.incident?.durationSeconds ?? null)}.`);
      break;
    case "incident.update":
      subject = `[${page}] ${service}: ${payload.update?.status.toLowerCase() ?? "update"}`;
      lines.push(payload.update?.message ?? "");
      break;
    case "maintenance.scheduled":
      subject = `[${page}] Scheduled maintenance: ${payload.maintenance?.title ?? ""}`;
      lines.push(`From ${payload.maintenance?.startsAt ?? "?"} to ${payload.maintenance?.endsAt ?? "?"}.`);
      if (payload.maintenance?.description) lines.push("", payload.maintenance.description);
      break;
    default:
      subject = `[${page}] ${headline(payload)}`;
  }
  lines.push("", `Current status: ${pageUrl}`, "", `Unsubscribe with one click: ${unsubscribeUrl}`);
  return { subject, text: lines.join("\n") };
}
