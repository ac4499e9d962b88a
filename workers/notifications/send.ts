/**
 * Delivering one alert to one channel. Webhook URLs are user input: requests go
 * through the same SSRF-guarded connector as checks. A failure throws, with a message
 * short enough for the delivery log.
 */
import { Client } from "undici";
import { guardedConnector, type GuardedDependencies } from "../engine/guarded-connector.ts";
import type { ChannelRecord } from "../../core/outbox/channel-types.ts";
import {
  AlertPayload,
  renderDiscord,
  renderEmail,
  renderSlack,
  renderSubscriberEmail,
  type WebhookBody,
} from "../../core/outbox/events.ts";
import {
  renderGoogleChat,
  renderGotify,
  renderMatrix,
  renderNtfy,
  renderOpsgenie,
  renderPagerDuty,
  renderPushover,
  renderTeams,
  renderTelegram,
  type HttpRequest,
  type RenderContext,
} from "../../core/outbox/render-services.ts";
import { SIGNATURE_HEADER, sign } from "./signature.ts";
import { reconfirmToken, reconfirmUrl, unsubscribeToken, unsubscribeUrl } from "../../core/outbox/subscriber-links.ts";
import { ReconfirmPayload, renderReconfirmEmail } from "../../core/outbox/subscriber-pause.ts";

export type { ChannelRecord };

export interface DeliveryRecord {
  id: string;
  payload: unknown;
}

export interface SendDependencies {
  appUrl: string;
  /** Sends an email; undefined when no SMTP server is configured. */
  sendMail?: (message: {
    to: string;
    subject: string;
    text: string;
    headers?: Record<string, string>;
  }) => Promise<void>;
  guarded: GuardedDependencies;
  timeoutMs?: number;
  /** The signed link that acknowledges an incident from its alert email (core/outbox/acknowledge-link.ts). */
  acknowledgeUrl?: (incidentId: string, channelId: string) => Promise<string>;
  /** The key subscribers' unsubscribe and confirm-again links are derived from (core/outbox/subscriber-links.ts). */
  subscriberLinkKey?: () => Promise<Buffer>;
}

/** Events whose mail offers to acknowledge the incident. */
const ACKNOWLEDGEABLE = new Set(["incident.opened", "incident.reminder"]);

const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * One request to a receiver through the guarded connector. The error says the status and
 * the start of the answer, never the URL (a Telegram bot token rides in its path).
 */
async function send(request: HttpRequest, deps: SendDependencies): Promise<void> {
  const target = new URL(request.url);
  const signal = AbortSignal.timeout(deps.timeoutMs ?? 10_000);
  const { connector } = guardedConnector(deps.guarded, target.protocol === "https:", signal);
  const client = new Client(target.origin, { connect: connector, pipelining: 0 });
  try {
    const response = await client.request({
      path: `${target.pathname}${target.search}`,
      method: request.method,
      headers: { "user-agent": "BetterUptime/0.1 (+alerts)", ...request.headers },
      body: request.body,
      signal,
    });
    let read = 0;
    let text = "";
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      if (read < MAX_RESPONSE_BYTES) text += chunk.toString("utf8");
      read += chunk.length;
    }
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw new Error(`HTTP ${response.statusCode}${text ? `: ${text.trim().slice(0, 200)}` : ""}`);
    }
  } finally {
    await client.destroy().catch(() => undefined);
  }
}

const postJson = (url: string, body: unknown, headers: Record<string, string> = {}): HttpRequest => ({
  method: "POST",
  url,
  headers: { "content-type": "application/json", ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

/** The request a channel's service takes for this alert, or null when it has nothing to do with it. */
export function requestFor(channel: ChannelRecord, payload: AlertPayload, ctx: RenderContext): HttpRequest | null {
  switch (channel.type) {
    case "EMAIL":
      throw new Error("Email is sent by mail, not HTTP");
    case "SLACK":
      return postJson(channel.target, renderSlack(payload, ctx.appUrl));
    case "DISCORD":
      return postJson(channel.target, renderDiscord(payload, ctx.appUrl));
    case "WEBHOOK": {
      const body: WebhookBody = { id: ctx.deliveryId, ...payload };
      const raw = JSON.stringify(body);
      return postJson(channel.target, raw, {
        [SIGNATURE_HEADER]: sign(channel.signingSecret ?? "", raw),
        "x-betteruptime-event": payload.event,
        "x-betteruptime-delivery": ctx.deliveryId,
        "idempotency-key": ctx.deliveryId,
      });
    }
    case "TELEGRAM":
      return renderTelegram(channel, payload, ctx);
    case "TEAMS":
      return renderTeams(channel, payload, ctx);
    case "GOOGLE_CHAT":
      return renderGoogleChat(channel, payload, ctx);
    case "MATRIX":
      return renderMatrix(channel, payload, ctx);
    case "NTFY":
      return renderNtfy(channel, payload, ctx);
    case "PUSHOVER":
      return renderPushover(channel, payload, ctx);
    case "GOTIFY":
      return renderGotify(channel, payload, ctx);
    case "PAGERDUTY":
      return renderPagerDuty(channel, payload, ctx);
    case "OPSGENIE":
      return renderOpsgenie(channel, payload, ctx);
  }
}

export async function deliver(channel: ChannelRecord, delivery: DeliveryRecord, deps: SendDependencies): Promise<void> {
  const payload = AlertPayload.parse(delivery.payload);
  if (channel.type === "EMAIL") {
    if (!deps.sendMail) throw new Error("No SMTP server is configured (SMTP_URL), so email alerts cannot be sent");
    const incidentId = ACKNOWLEDGEABLE.has(payload.event) ? payload.incident?.id : undefined;
    const acknowledgeUrl =
      incidentId && deps.acknowledgeUrl ? await deps.acknowledgeUrl(incidentId, channel.id) : undefined;
    await deps.sendMail({ to: channel.target, ...renderEmail(payload, deps.appUrl, acknowledgeUrl) });
    return;
  }
  const request = requestFor(channel, payload, { appUrl: deps.appUrl, deliveryId: delivery.id });
  if (request) await send(request, deps);
}

/**
 * A status page subscriber's mail, with its one-click unsubscribe link (derived from the
 * instance's key and the subscriber: no stored token). A paused subscriber (the page
 * turned private) gets only the mail asking to confirm again — for the latest pause:
 * anything else still queued for them is dropped unsent.
 */
export async function deliverToSubscriber(
  subscriber: { id: string; email: string; slug: string; pausedAt: Date | null },
  delivery: DeliveryRecord,
  deps: SendDependencies,
): Promise<void> {
  if (!deps.sendMail) throw new Error("No SMTP server is configured (SMTP_URL), so subscribers cannot be emailed");
  if (!deps.subscriberLinkKey) throw new Error("No key for subscribers' links");
  const key = await deps.subscriberLinkKey();
  const pageUrl = `${deps.appUrl}/status/${subscriber.slug}`;
  const unsubscribe = unsubscribeUrl(deps.appUrl, subscriber.slug, unsubscribeToken(key, subscriber.id));
  // RFC 8058: mail clients offer "unsubscribe" and POST to the link themselves.
  const headers = { "List-Unsubscribe": `<${unsubscribe}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
  const reconfirm = ReconfirmPayload.safeParse(delivery.payload);
  if (reconfirm.success) {
    const pausedAt = new Date(reconfirm.data.pausedAt);
    if (subscriber.pausedAt?.getTime() !== pausedAt.getTime()) return; // confirmed, or paused again since
    const links = {
      reconfirm: reconfirmUrl(deps.appUrl, subscriber.slug, reconfirmToken(key, subscriber.id, pausedAt)),
      unsubscribe,
    };
    await deps.sendMail({ to: subscriber.email, ...renderReconfirmEmail(reconfirm.data, links), headers });
    return;
  }
  if (subscriber.pausedAt) return;
  const payload = AlertPayload.parse(delivery.payload);
  await deps.sendMail({ to: subscriber.email, ...renderSubscriberEmail(payload, pageUrl, unsubscribe), headers });
}
