/**
 * Alerts as each service's API takes them (pure): the request to send, or null when the
 * service has nothing to do with the event (an on-call service escalates by itself, so
 * our reminders are not sent to it). Shapes follow each service's documentation:
 *
 * - Telegram Bot API `sendMessage` (HTML parse mode), Microsoft Teams workflow webhooks
 *   (an Adaptive Card in a `message`), Google Chat incoming webhooks (`text`), Matrix
 *   client-server `m.room.message` (PUT with a transaction id: a retry is not a repeat).
 * - ntfy JSON publishing, Pushover `messages.json`, Gotify `POST /message`.
 * - PagerDuty Events API v2 (trigger, acknowledge and resolve share one dedup key per
 *   incident), Opsgenie Alert API (create, acknowledge and close by alias).
 *
 * Text from monitors and targets never becomes markup or a mention: it is escaped for
 * HTML (Telegram, Matrix), stripped of Google Chat's `<users/all>` syntax, and Matrix
 * messages declare no mentions.
 */
import { storedSettings, type ChannelRecord } from "./channel-types.ts";
import { details, headline, type AlertPayload, type EventType } from "./events.ts";

export interface HttpRequest {
  method: "POST" | "PUT";
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface RenderContext {
  appUrl: string;
  /** The delivery's id: an idempotency key where the service takes one. */
  deliveryId: string;
}

const json = (url: string, body: unknown, headers: Record<string, string> = {}, method: "POST" | "PUT" = "POST") => ({
  method,
  url,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

/** A base URL joined with a path, whatever slashes the owner typed. */
const at = (base: string, path: string) => `${base.replace(/\/+$/, "")}${path}`;

const monitorUrl = (payload: AlertPayload, appUrl: string) => `${appUrl}/monitors/${payload.monitor.id}`;

function required<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined || value === "") throw new Error(`This channel has no ${what}: edit it`);
  return value;
}

type Tone = "bad" | "good" | "warn" | "info";
const TONE: Record<EventType, Tone> = {
  "incident.opened": "bad",
  "incident.reminder": "bad",
  "incident.acknowledged": "warn",
  "incident.resolved": "good",
  "tls.expiring": "warn",
  "incident.update": "info",
  "maintenance.scheduled": "info",
  test: "info",
};

// Chat -----------------------------------------------------------------------------------

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function renderTelegram(channel: ChannelRecord, payload: AlertPayload, ctx: RenderContext): HttpRequest {
  const settings = storedSettings("TELEGRAM", channel.settings);
  const text = [`<b>${escapeHtml(headline(payload))}</b>`, "", ...details(payload, ctx.appUrl).map(escapeHtml)].join(
    "\n",
  );
  return json(at(channel.target, `/bot${required(channel.secret, "bot token")}/sendMessage`), {
    chat_id: required(settings?.chatId, "chat id"),
    text: text.slice(0, 4096),
    parse_mode: "HTML",
    link_preview_options: { is_disabled: true },
  });
}

/** Adaptive Card text is Markdown: what comes from monitors is shown as typed. */
const escapeMarkdown = (text: string) => text.replace(/([\\`*_[\]()#+!|{}<>~-])/g, "\\$1");

export function renderTeams(channel: ChannelRecord, payload: AlertPayload, ctx: RenderContext): HttpRequest {
  const colour = { bad: "Attention", good: "Good", warn: "Warning", info: "Default" }[TONE[payload.event]];
  const facts = details(payload, ctx.appUrl)
    .filter((line) => !line.startsWith("Details: "))
    .map((line) => {
      const split = line.indexOf(": ");
      return { title: line.slice(0, split), value: escapeMarkdown(line.slice(split + 2)) };
    });
  return json(channel.target, {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body: [
            {
              type: "TextBlock",
              text: escapeMarkdown(headline(payload)),
              weight: "Bolder",
              size: "Medium",
              color: colour,
              wrap: true,
            },
            { type: "FactSet", facts },
          ],
          actions: [{ type: "Action.OpenUrl", title: "Open in Better Uptime", url: monitorUrl(payload, ctx.appUrl) }],
        },
      },
    ],
  });
}

/** Google Chat reads `<users/all>` as @all and `<url|text>` as a link: angle brackets from monitors are neutralised. */
const escapeGoogleChat = (text: string) => text.replace(/</g, "‹").replace(/>/g, "›");

export function renderGoogleChat(channel: ChannelRecord, payload: AlertPayload, ctx: RenderContext): HttpRequest {
  const lines = details(payload, ctx.appUrl).map(escapeGoogleChat);
  return json(channel.target, { text: [`*${escapeGoogleChat(headline(payload))}*`, ...lines].join("\n") });
}

export function renderMatrix(channel: ChannelRecord, payload: AlertPayload, ctx: RenderContext): HttpRequest {
  const settings = storedSettings("MATRIX", channel.settings);
  const room = encodeURIComponent(required(settings?.roomId, "room"));
  const lines = details(payload, ctx.appUrl);
  return json(
    at(channel.target, `/_matrix/client/v3/rooms/${room}/send/m.room.message/${encodeURIComponent(ctx.deliveryId)}`),
    {
      msgtype: "m.text",
      body: [headline(payload), ...lines].join("\n"),
      format: "org.matrix.custom.html",
      formatted_body: [`<b>${escapeHtml(headline(payload))}</b>`, ...lines.map(escapeHtml)].join("<br>"),
      // Intentional mentions: none, so "@room" in a monitor's name pings nobody.
      "m.mentions": {},
    },
    { authorization: `Bearer ${required(channel.secret, "access token")}` },
    "PUT",
  );
}

// Push -----------------------------------------------------------------------------------

const PUSH_PRIORITY: Record<Tone, number> = { bad: 4, warn: 3, good: 3, info: 2 };

export function renderNtfy(channel: ChannelRecord, payload: AlertPayload, ctx: RenderContext): HttpRequest {
  const settings = storedSettings("NTFY", channel.settings);
  const tone = TONE[payload.event];
  return json(
    at(channel.target, "/"),
    {
      topic: required(settings?.topic, "topic"),
      title: headline(payload),
      message: details(payload, ctx.appUrl).join("\n"),
      priority: PUSH_PRIORITY[tone],
      tags: [{ bad: "rotating_light", good: "white_check_mark", warn: "warning", info: "bell" }[tone]],
      click: monitorUrl(payload, ctx.appUrl),
    },
    channel.secret ? { authorization: `Bearer ${channel.secret}` } : {},
  );
}

export function renderPushover(channel: ChannelRecord, payload: AlertPayload, ctx: RenderContext): HttpRequest {
  const settings = storedSettings("PUSHOVER", channel.settings);
  const tone = TONE[payload.event];
  return json(at(channel.target, "/1/messages.json"), {
    token: required(channel.secret, "application token"),
    user: required(settings?.userKey, "user key"),
    title: headline(payload).slice(0, 250),
    message: details(payload, ctx.appUrl).join("\n").slice(0, 1024),
    url: monitorUrl(payload, ctx.appUrl),
    url_title: "Open in Better Uptime",
    // High priority (1) bypasses quiet hours: for outages only.
    priority: tone === "bad" ? 1 : 0,
    timestamp: Math.floor(Date.parse(payload.occurredAt) / 1000),
  });
}

export function renderGotify(channel: ChannelRecord, payload: AlertPayload, ctx: RenderContext): HttpRequest {
  return json(
    at(channel.target, "/message"),
    {
      title: headline(payload),
      message: details(payload, ctx.appUrl).join("\n"),
      priority: { bad: 8, warn: 5, good: 4, info: 2 }[TONE[payload.event]],
      extras: {
        "client::display": { contentType: "text/plain" },
        "client::notification": { click: { url: monitorUrl(payload, ctx.appUrl) } },
      },
    },
    { "x-gotify-key": required(channel.secret, "application token") },
  );
}

// On call --------------------------------------------------------------------------------

/** One key per incident (per certificate, per test) shared by its trigger, acknowledge and resolve. */
export function dedupKey(payload: AlertPayload): string {
  if (payload.incident) return `better-uptime:incident:${payload.incident.id}`;
  if (payload.event === "tls.expiring")
    return `better-uptime:tls:${payload.monitor.id}:${payload.tls?.expiresAt ?? ""}`;
  return `better-uptime:${payload.event}:${payload.monitor.id}:${payload.occurredAt}`;
}

type OnCallAction = "trigger" | "acknowledge" | "resolve" | null;

/** What the event asks of an on-call service: open, acknowledge or close its alert, or nothing. */
function onCallAction(payload: AlertPayload): OnCallAction {
  switch (payload.event) {
    case "incident.opened":
    case "tls.expiring":
    case "test":
      return "trigger";
    case "incident.acknowledged":
      return "acknowledge";
    case "incident.resolved":
      return "resolve";
    default:
      // Reminders: the service escalates on its own. Page updates go to subscribers only.
      return null;
  }
}

export function renderPagerDuty(channel: ChannelRecord, payload: AlertPayload, ctx: RenderContext): HttpRequest | null {
  const action = onCallAction(payload);
  if (!action) return null;
  const base = {
    routing_key: required(channel.secret, "routing key"),
    event_action: action,
    dedup_key: dedupKey(payload),
  };
  const url = at(channel.target, "/v2/enqueue");
  if (action !== "trigger") return json(url, base);
  const severity = { bad: "critical", warn: "warning", good: "info", info: "info" }[TONE[payload.event]];
  return json(url, {
    ...base,
    payload: {
      summary: headline(payload).slice(0, 1024),
      source: payload.monitor.url,
      severity,
      timestamp: payload.occurredAt,
      component: payload.monitor.name ?? payload.monitor.url,
      custom_details: {
        cause: payload.incident?.cause ?? null,
        detail: payload.incident?.detail ?? null,
        regions: payload.incident?.regions ?? [],
        tls_expires_at: payload.tls?.expiresAt ?? null,
      },
    },
    links: [{ href: monitorUrl(payload, ctx.appUrl), text: "Open in Better Uptime" }],
    client: "Better Uptime",
    client_url: monitorUrl(payload, ctx.appUrl),
  });
}

export function renderOpsgenie(channel: ChannelRecord, payload: AlertPayload, ctx: RenderContext): HttpRequest | null {
  const action = onCallAction(payload);
  if (!action) return null;
  const headers = { authorization: `GenieKey ${required(channel.secret, "API key")}` };
  const alias = dedupKey(payload);
  if (action !== "trigger") {
    const verb = action === "resolve" ? "close" : "acknowledge";
    const note =
      action === "resolve" ? headline(payload) : `Acknowledged by ${payload.acknowledgement?.by ?? "someone"}`;
    return json(
      at(channel.target, `/v2/alerts/${encodeURIComponent(alias)}/${verb}?identifierType=alias`),
      { source: "Better Uptime", note: note.slice(0, 25_000) },
      headers,
    );
  }
  const priority = { bad: "P1", warn: "P3", good: "P5", info: "P5" }[TONE[payload.event]];
  return json(
    at(channel.target, "/v2/alerts"),
    {
      message: headline(payload).slice(0, 130),
      alias,
      description: details(payload, ctx.appUrl).join("\n").slice(0, 15_000),
      source: "Better Uptime",
      priority,
      entity: (payload.monitor.name ?? payload.monitor.url).slice(0, 512),
      details: {
        monitor: payload.monitor.url,
        cause: payload.incident?.cause ?? "",
        link: monitorUrl(payload, ctx.appUrl),
      },
    },
    headers,
  );
}
