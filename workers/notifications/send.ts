/**
 * Delivering one alert to one channel. Webhook URLs are user input: requests go
 * through the same SSRF-guarded connector as checks. A failure throws, with a message
 * short enough for the delivery log.
 */
import { Client } from "undici";
import { guardedConnector, type GuardedDependencies } from "../engine/guarded-connector.ts";
import {
  AlertPayload,
  renderDiscord,
  renderEmail,
  renderSlack,
  renderSubscriberEmail,
  type WebhookBody,
} from "../../core/outbox/events.ts";
import { SIGNATURE_HEADER, sign } from "./signature.ts";

export type ChannelType = "EMAIL" | "WEBHOOK" | "SLACK" | "DISCORD";

export interface ChannelRecord {
  id: string;
  type: ChannelType;
  target: string;
  signingSecret: string | null;
}

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
}

const MAX_RESPONSE_BYTES = 64 * 1024;

async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  deps: SendDependencies,
): Promise<void> {
  const target = new URL(url);
  const signal = AbortSignal.timeout(deps.timeoutMs ?? 10_000);
  const { connector } = guardedConnector(deps.guarded, target.protocol === "https:", signal);
  const client = new Client(target.origin, { connect: connector, pipelining: 0 });
  try {
    const response = await client.request({
      path: `${target.pathname}${target.search}`,
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "BetterUptime/0.1 (+alerts)", ...headers },
      body,
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

export async function deliver(channel: ChannelRecord, delivery: DeliveryRecord, deps: SendDependencies): Promise<void> {
  const payload = AlertPayload.parse(delivery.payload);
  switch (channel.type) {
    case "EMAIL": {
      if (!deps.sendMail) throw new Error("No SMTP server is configured (SMTP_URL), so email alerts cannot be sent");
      await deps.sendMail({ to: channel.target, ...renderEmail(payload, deps.appUrl) });
      return;
    }
    case "SLACK":
      return postJson(channel.target, JSON.stringify(renderSlack(payload, deps.appUrl)), {}, deps);
    case "DISCORD":
      return postJson(channel.target, JSON.stringify(renderDiscord(payload, deps.appUrl)), {}, deps);
    case "WEBHOOK": {
      const body: WebhookBody = { id: delivery.id, ...payload };
      const raw = JSON.stringify(body);
      return postJson(
        channel.target,
        raw,
        {
          [SIGNATURE_HEADER]: sign(channel.signingSecret ?? "", raw),
          "x-betteruptime-event": payload.event,
          "x-betteruptime-delivery": delivery.id,
          "idempotency-key": delivery.id,
        },
        deps,
      );
    }
  }
}

/** A status page subscriber's mail, with its one-click unsubscribe link. */
export async function deliverToSubscriber(
  subscriber: { email: string; unsubscribeToken: string; slug: string },
  delivery: DeliveryRecord,
  deps: SendDependencies,
): Promise<void> {
  if (!deps.sendMail) throw new Error("No SMTP server is configured (SMTP_URL), so subscribers cannot be emailed");
  const payload = AlertPayload.parse(delivery.payload);
  const pageUrl = `${deps.appUrl}/status/${subscriber.slug}`;
  const unsubscribeUrl = `${pageUrl}/unsubscribe?token=${encodeURIComponent(subscriber.unsubscribeToken)}`;
  await deps.sendMail({
    to: subscriber.email,
    ...renderSubscriberEmail(payload, pageUrl, unsubscribeUrl),
    // RFC 8058: mail clients offer "unsubscribe" and POST to the link themselves.
    headers: { "List-Unsubscribe": `<${unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  });
}
