/**
 * Every kind of alert channel and how it is stored (pure, shared by the web app and the
 * senders). A channel is stored as:
 *
 * - `target`: where requests go — an email address, a webhook URL, or the service's base
 *   URL (a self-hosted ntfy or Gotify, a Matrix homeserver, or another region of a SaaS
 *   API). It passes the target policy like any monitored URL.
 * - `secret`: the one credential the service needs (bot token, routing key, API key,
 *   access token), never returned by the API.
 * - `settings`: the rest, not secret (a chat id, a topic, a room).
 */
import { z } from "zod";
import type { ChannelRecord } from "../db/queries/outbox.ts";

export const CHANNEL_TYPES = [
  "EMAIL",
  "WEBHOOK",
  "SLACK",
  "DISCORD",
  "TELEGRAM",
  "TEAMS",
  "GOOGLE_CHAT",
  "MATRIX",
  "NTFY",
  "PUSHOVER",
  "GOTIFY",
  "PAGERDUTY",
  "OPSGENIE",
] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export const CHANNEL_LABEL: Record<ChannelType, string> = {
  EMAIL: "Email",
  WEBHOOK: "Webhook (signed JSON)",
  SLACK: "Slack",
  DISCORD: "Discord",
  TELEGRAM: "Telegram",
  TEAMS: "Microsoft Teams",
  GOOGLE_CHAT: "Google Chat",
  MATRIX: "Matrix",
  NTFY: "ntfy",
  PUSHOVER: "Pushover",
  GOTIFY: "Gotify",
  PAGERDUTY: "PagerDuty",
  OPSGENIE: "Opsgenie",
};

/** The service's own address, for types whose `target` is a base URL the owner may change. */
export const DEFAULT_BASE_URL: Partial<Record<ChannelType, string>> = {
  TELEGRAM: "https://api.telegram.org",
  NTFY: "https://ntfy.sh",
  PUSHOVER: "https://api.pushover.net",
  PAGERDUTY: "https://events.pagerduty.com",
  OPSGENIE: "https://api.opsgenie.com",
};

/** Types whose `target` URL itself is a credential (a webhook URL with a key in it): only its host is shown. */
export const SECRET_URL_TYPES: readonly ChannelType[] = ["WEBHOOK", "SLACK", "DISCORD", "TEAMS", "GOOGLE_CHAT"];

/** Non-secret settings per type, as stored in the `settings` JSON column. */
export const CHANNEL_SETTINGS = {
  TELEGRAM: z.object({ chatId: z.string() }),
  MATRIX: z.object({ roomId: z.string() }),
  NTFY: z.object({ topic: z.string() }),
  PUSHOVER: z.object({ userKey: z.string() }),
} as const;

export type ChannelSettings = {
  [Type in keyof typeof CHANNEL_SETTINGS]: z.output<(typeof CHANNEL_SETTINGS)[Type]>;
};

/** The stored settings of a channel, checked: a malformed value reads as none (the send then fails with the reason). */
export function storedSettings<Type extends keyof typeof CHANNEL_SETTINGS>(
  type: Type,
  json: unknown,
): ChannelSettings[Type] | null {
  const parsed = CHANNEL_SETTINGS[type].safeParse(json);
  return parsed.success ? (parsed.data as ChannelSettings[Type]) : null;
}

/** A channel as the senders read it: the row of core/db/queries/outbox.ts. */
export type { ChannelRecord };

/** What a channel's target shows when read back: the address, or a URL with its secret parts hidden. */
export function maskTarget(type: ChannelType, target: string): string {
  if (type === "EMAIL") return target;
  try {
    const url = new URL(target);
    return SECRET_URL_TYPES.includes(type)
      ? `${url.protocol}//${url.host}/…`
      : url.origin + url.pathname.replace(/\/$/, "");
  } catch {
    return "…";
  }
}
