import { describe, expect, it } from "vitest";
import { headline, renderDiscord, renderEmail, renderSlack, type AlertPayload } from "../../core/outbox/events.ts";
import { retryDelayMs } from "../../workers/notifications/outbox-sender.ts";
import { sign, verifySignature } from "../../workers/notifications/signature.ts";

const opened: AlertPayload = {
  event: "incident.opened",
  occurredAt: "2026-11-25T10:12:00.000Z",
  monitor: { id: "m1", name: "Checkout API", url: "https://checkout.example.test/health" },
  incident: {
    id: "i1",
    cause: "status",
    detail: "HTTP 503, expected 200-299",
    regions: ["eu"],
    startedAt: "2026-11-25T10:12:00.000Z",
    resolvedAt: null,
    durationSeconds: null,
  },
  tls: null,
};
const resolved: AlertPayload = {
  ...opened,
  event: "incident.resolved",
  incident: { ...opened.incident!, resolvedAt: "2026-11-25T10:48:00.000Z", durationSeconds: 2160 },
};

describe("alert messages", () => {
  it("say what happened in one line", () => {
    expect(headline(opened)).toBe("🔴 Checkout API is DOWN: HTTP 503, expected 200-299");
    expect(headline(resolved)).toBe("✅ Checkout API is UP again after 36 min 0 s");
  });

  it("name the monitor and the cause in emails", () => {
    const email = renderEmail(opened, "https://uptime.example.test");
    expect(email.subject).toContain("Checkout API");
    expect(email.text).toContain("Cause: status — HTTP 503, expected 200-299");
    expect(email.text).toContain("https://uptime.example.test/monitors/m1");
  });

  it("have the shapes Slack and Discord accept", () => {
    expect(renderSlack(opened, "https://u.test")).toEqual({
      text: expect.stringContaining("Checkout API is DOWN"),
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: expect.stringContaining("*🔴") } },
        { type: "section", text: { type: "mrkdwn", text: expect.stringContaining("Cause: status") } },
      ],
    });
    const discord = renderDiscord(resolved, "https://u.test");
    expect(discord).toEqual({
      content: expect.stringContaining("UP again"),
      allowed_mentions: { parse: [] },
      embeds: [
        {
          title: "Checkout API",
          url: "https://u.test/monitors/m1",
          description: expect.stringContaining("Back up at"),
          color: 0x16a34a,
          timestamp: resolved.occurredAt,
        },
      ],
    });
  });
});

describe("chat mention injection", () => {
  const hostile: AlertPayload = {
    ...opened,
    monitor: { ...opened.monitor, name: "@everyone <!channel> shop" },
    incident: { ...opened.incident!, detail: "HTTP 500: <!here> @here <@U024BE7LH> <https://evil.test|click>" },
  };

  it("a monitor name or error text cannot ping a Slack channel or smuggle a link", () => {
    const slack = JSON.stringify(renderSlack(hostile, "https://u.test"));
    expect(slack).not.toMatch(/<!channel>|<!here>|<@U024BE7LH>|<https:\/\/evil/);
    expect(slack).toContain("&lt;!channel&gt;");
  });

  it("Discord alerts parse no mentions at all", () => {
    expect(renderDiscord(hostile, "https://u.test").allowed_mentions).toEqual({ parse: [] });
  });
});

describe("webhook signatures", () => {
  it("verify with the right secret and body only", () => {
    const body = JSON.stringify({ id: "d1", ...opened });
    const header = sign("whsec_test", body);
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature("whsec_test", body, header)).toBe(true);
    expect(verifySignature("whsec_other", body, header)).toBe(false);
    expect(verifySignature("whsec_test", `${body} `, header)).toBe(false);
    expect(verifySignature("whsec_test", body, undefined)).toBe(false);
  });
});

describe("retry backoff", () => {
  it("doubles from the base up to the cap", () => {
    const fixed = () => 0.5;
    expect([1, 2, 3, 4, 10].map((n) => retryDelayMs(n, 5_000, 60_000, fixed))).toEqual([
      5_000, 10_000, 20_000, 40_000, 60_000,
    ]);
  });
});
