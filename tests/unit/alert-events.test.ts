import { describe, expect, it } from "vitest";
import { publicPayload } from "../../core/outbox/enqueue.ts";
import {
  AlertPayload,
  EVENT_TYPES,
  details,
  headline,
  incidentAlertPayload,
  renderDiscord,
  renderEmail,
  renderSlack,
  renderSubscriberEmail,
  slackEscape,
} from "../../core/outbox/events.ts";
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

  it("spreads each delay by at most 10 % either way, so retries of many alerts do not arrive together", () => {
    expect(retryDelayMs(2, 5_000, 60_000, () => 0)).toBe(9_000);
    expect(retryDelayMs(2, 5_000, 60_000, () => 1)).toBe(11_000);
    expect(retryDelayMs(10, 5_000, 60_000, () => 1)).toBe(66_000);
  });
});

/** A payload with every optional part, for the events that carry them. */
const full = (event: AlertPayload["event"], extra: Partial<AlertPayload> = {}): AlertPayload => ({
  ...opened,
  event,
  ...extra,
});
const nameless: AlertPayload = { ...opened, monitor: { ...opened.monitor, name: null } };

describe("the headline of every event", () => {
  it.each([
    ["incident.opened", opened, "🔴 Checkout API is DOWN: HTTP 503, expected 200-299"],
    ["incident.reminder", full("incident.reminder"), "🔴 Checkout API is still DOWN (HTTP 503, expected 200-299)"],
    ["incident.resolved", resolved, "✅ Checkout API is UP again after 36 min 0 s"],
    [
      "incident.acknowledged",
      full("incident.acknowledged", { acknowledgement: { by: "Ada", at: "2026-11-25T10:20:00.000Z" } }),
      "👀 Checkout API: Ada acknowledged the incident",
    ],
    [
      "tls.expiring",
      full("tls.expiring", { incident: null, tls: { expiresAt: "2026-12-01T00:00:00.000Z", daysLeft: 6 } }),
      "⚠️ The TLS certificate of Checkout API expires in 6 days",
    ],
    [
      "incident.update",
      full("incident.update", { update: { status: "MONITORING", message: "A fix is out." } }),
      "Checkout API: monitoring — A fix is out.",
    ],
    [
      "maintenance.scheduled",
      full("maintenance.scheduled", {
        maintenance: { title: "Database upgrade", description: null, startsAt: "a", endsAt: "b" },
      }),
      "🛠 Scheduled maintenance: Database upgrade",
    ],
    ["test", full("test", { incident: null }), "🔔 Test alert from Better Uptime for Checkout API"],
  ] as const)("%s", (_event, payload, line) => {
    expect(headline(payload)).toBe(line);
  });

  it("fall back when a part is missing: the URL for a nameless monitor, the cause without detail", () => {
    const url = opened.monitor.url;
    const noDetail = { ...opened, incident: { ...opened.incident!, detail: null } };
    expect(headline(nameless)).toBe(`🔴 ${url} is DOWN: HTTP 503, expected 200-299`);
    expect(headline(noDetail)).toBe("🔴 Checkout API is DOWN: status");
    expect(headline({ ...noDetail, event: "incident.reminder" })).toBe("🔴 Checkout API is still DOWN (status)");
    expect(headline({ ...opened, incident: null })).toBe("🔴 Checkout API is DOWN: unknown cause");
    expect(headline({ ...opened, event: "incident.reminder", incident: null })).toBe(
      "🔴 Checkout API is still DOWN (unknown cause)",
    );
    expect(headline({ ...resolved, incident: null })).toBe("✅ Checkout API is UP again after ");
    expect(headline(full("incident.acknowledged"))).toBe("👀 Checkout API: someone acknowledged the incident");
    expect(headline(full("tls.expiring"))).toBe("⚠️ The TLS certificate of Checkout API expires in ? days");
    expect(headline(full("incident.update"))).toBe("Checkout API: update — ");
    expect(headline(full("maintenance.scheduled"))).toBe("🛠 Scheduled maintenance: Checkout API");
  });
});

describe("the detail lines", () => {
  it("list the monitor, cause, regions, start and end, acknowledgement and certificate, then the link", () => {
    const everything: AlertPayload = {
      ...resolved,
      incident: { ...resolved.incident!, regions: ["eu", "us"] },
      acknowledgement: { by: "Ada", at: "2026-11-25T10:20:00.000Z" },
      tls: { expiresAt: "2026-12-01T00:00:00.000Z", daysLeft: 6 },
    };
    expect(details(everything, "https://u.test")).toEqual([
      "Monitor: Checkout API (https://checkout.example.test/health)",
      "Cause: status — HTTP 503, expected 200-299",
      "Regions: eu, us",
      "Down since: 2026-11-25T10:12:00.000Z",
      "Back up at: 2026-11-25T10:48:00.000Z (36 min 0 s)",
      "Acknowledged by Ada at 2026-11-25T10:20:00.000Z",
      "Certificate expires: 2026-12-01T00:00:00.000Z",
      "Details: https://u.test/monitors/m1",
    ]);
  });

  it("leave out what the alert does not have", () => {
    const bare: AlertPayload = { ...nameless, incident: { ...opened.incident!, detail: null, regions: [] } };
    expect(details(bare, "https://u.test")).toEqual([
      "Monitor: https://checkout.example.test/health (https://checkout.example.test/health)",
      "Cause: status",
      "Down since: 2026-11-25T10:12:00.000Z",
      "Details: https://u.test/monitors/m1",
    ]);
    expect(details({ ...opened, incident: null }, "https://u.test")).toEqual([
      "Monitor: Checkout API (https://checkout.example.test/health)",
      "Details: https://u.test/monitors/m1",
    ]);
  });
});

describe("an alert email", () => {
  it("is the headline, the details and, for a down alert, the link that acknowledges it", () => {
    expect(renderEmail(opened, "https://u.test", "https://u.test/incidents/i1/acknowledge?sig=x")).toEqual({
      subject: "🔴 Checkout API is DOWN: HTTP 503, expected 200-299",
      text: [
        "🔴 Checkout API is DOWN: HTTP 503, expected 200-299",
        "",
        "Monitor: Checkout API (https://checkout.example.test/health)",
        "Cause: status — HTTP 503, expected 200-299",
        "Regions: eu",
        "Down since: 2026-11-25T10:12:00.000Z",
        "Details: https://u.test/monitors/m1",
        "",
        "Acknowledge (stops the reminders): https://u.test/incidents/i1/acknowledge?sig=x",
      ].join("\n"),
    });
    expect(renderEmail(opened, "https://u.test").text).not.toContain("Acknowledge");
    expect(renderEmail(opened, "https://u.test").text.endsWith("Details: https://u.test/monitors/m1")).toBe(true);
  });
});

describe("chat messages", () => {
  it("escape every &, < and > for Slack", () => {
    expect(slackEscape("a & b && <x> <<y>>")).toBe("a &amp; b &amp;&amp; &lt;x&gt; &lt;&lt;y&gt;&gt;");
  });

  it("are the headline in bold and the details, for Slack", () => {
    const hostile: AlertPayload = { ...opened, monitor: { ...opened.monitor, name: "<A&B>" } };
    expect(renderSlack(hostile, "https://u.test")).toEqual({
      text: "🔴 &lt;A&amp;B&gt; is DOWN: HTTP 503, expected 200-299",
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: "*🔴 &lt;A&amp;B&gt; is DOWN: HTTP 503, expected 200-299*" } },
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: details(hostile, "https://u.test").join("\n").replace("<A&B>", "&lt;A&amp;B&gt;"),
          },
        },
      ],
    });
  });

  it("are coloured by event for Discord, with title and description cut to Discord's limits", () => {
    const colour = (event: AlertPayload["event"]) => renderDiscord(full(event), "https://u.test").embeds[0]!.color;
    expect(
      (["incident.opened", "incident.reminder", "incident.acknowledged", "tls.expiring"] as const).map(colour),
    ).toEqual([0xdc2626, 0xdc2626, 0xf59e0b, 0xf59e0b]);
    expect((["incident.update", "maintenance.scheduled", "test", "incident.resolved"] as const).map(colour)).toEqual([
      0x2563eb, 0x2563eb, 0x2563eb, 0x16a34a,
    ]);
    const long: AlertPayload = {
      ...nameless,
      monitor: { ...nameless.monitor, url: `https://x.test/${"a".repeat(300)}` },
      incident: { ...opened.incident!, detail: "e".repeat(5_000) },
    };
    const [embed] = renderDiscord(long, "https://u.test").embeds;
    expect(embed!.title).toBe(long.monitor.url.slice(0, 256));
    expect(embed!.title).toHaveLength(256);
    expect(embed!.description).toBe(details(long, "https://u.test").join("\n").slice(0, 4096));
    expect(embed!.description).toHaveLength(4096);
  });
});

describe("a subscriber's email", () => {
  const page = { name: "Acme status", slug: "acme" };
  const links = ["https://u.test/status/acme", "https://u.test/unsubscribe?t=1"] as const;
  const footer = [
    "",
    "Current status: https://u.test/status/acme",
    "",
    "Unsubscribe with one click: https://u.test/unsubscribe?t=1",
  ];
  const publicOpened = { ...publicPayload(opened), monitor: { id: "m1", name: "Checkout", url: "" }, page };

  it.each([
    [
      "an outage",
      publicOpened,
      "[Acme status] Checkout is experiencing an outage",
      ["Checkout has been unavailable since 2026-11-25T10:12:00.000Z."],
    ],
    [
      "a reminder",
      { ...publicOpened, event: "incident.reminder" },
      "[Acme status] Checkout is experiencing an outage",
      ["Checkout has been unavailable since 2026-11-25T10:12:00.000Z."],
    ],
    [
      "an outage without its incident (since the alert)",
      { ...publicOpened, incident: null },
      "[Acme status] Checkout is experiencing an outage",
      ["Checkout has been unavailable since 2026-11-25T10:12:00.000Z."],
    ],
    [
      "the end of an outage",
      { ...publicPayload(resolved), monitor: publicOpened.monitor, page },
      "[Acme status] Checkout is operational again",
      ["Checkout is back after an outage of 36 min 0 s."],
    ],
    [
      "an owner's update",
      { ...publicOpened, event: "incident.update", update: { status: "IDENTIFIED", message: "The cause is known." } },
      "[Acme status] Checkout: identified",
      ["The cause is known."],
    ],
    [
      "an update without its text",
      { ...publicOpened, event: "incident.update" },
      "[Acme status] Checkout: update",
      [""],
    ],
    [
      "a maintenance",
      {
        ...publicOpened,
        event: "maintenance.scheduled",
        maintenance: { title: "Upgrade", description: "Ten minutes.", startsAt: "10:00", endsAt: "10:10" },
      },
      "[Acme status] Scheduled maintenance: Upgrade",
      ["From 10:00 to 10:10.", "", "Ten minutes."],
    ],
    [
      "a maintenance without description",
      {
        ...publicOpened,
        event: "maintenance.scheduled",
        maintenance: { title: "Upgrade", description: null, startsAt: "10:00", endsAt: "10:10" },
      },
      "[Acme status] Scheduled maintenance: Upgrade",
      ["From 10:00 to 10:10."],
    ],
    [
      "a maintenance missing its facts",
      { ...publicOpened, event: "maintenance.scheduled" },
      "[Acme status] Scheduled maintenance: ",
      ["From ? to ?."],
    ],
    [
      "an unnamed service on an unnamed page",
      { ...publicOpened, monitor: { id: "m1", name: null, url: "" }, page: null },
      "[Status] A service is experiencing an outage",
      ["A service has been unavailable since 2026-11-25T10:12:00.000Z."],
    ],
    [
      "any other event (its headline)",
      { ...publicOpened, event: "test" },
      "[Acme status] 🔔 Test alert from Better Uptime for Checkout",
      [],
    ],
  ] as const)("%s", (_label, payload, subject, lines) => {
    expect(renderSubscriberEmail(payload as AlertPayload, ...links)).toEqual({
      subject,
      text: [...lines, ...footer].join("\n"),
    });
  });
});

describe("what a status page's subscribers may learn", () => {
  it("is that a service is down and since when: never its URL, error text, regions or certificate", () => {
    const withTls = { ...opened, tls: { expiresAt: "2026-12-01T00:00:00.000Z", daysLeft: 6 } };
    expect(publicPayload(withTls)).toEqual({
      ...opened,
      monitor: { id: "m1", name: null, url: "" },
      incident: { ...opened.incident, cause: "outage", detail: null, regions: [] },
      tls: null,
    });
    expect(publicPayload({ ...opened, event: "test", incident: null })).toMatchObject({ incident: null });
  });
});

describe("an incident's alert payload", () => {
  it("is what every sender of one writes", () => {
    const facts = {
      id: "i1",
      cause: "status",
      causeDetail: "HTTP 503, expected 200-299",
      regions: ["eu"],
      startedAt: new Date("2026-11-25T10:12:00.000Z"),
      resolvedAt: null,
      durationSeconds: null,
    };
    const payload = incidentAlertPayload("incident.opened", opened.monitor, facts, new Date(opened.occurredAt));
    expect(payload).toEqual(opened);
    expect(
      incidentAlertPayload(
        "incident.resolved",
        opened.monitor,
        { ...facts, resolvedAt: new Date("2026-11-25T10:48:00.000Z"), durationSeconds: 2160 },
        new Date(opened.occurredAt),
      ),
    ).toEqual(resolved);
    expect(
      incidentAlertPayload("incident.acknowledged", opened.monitor, facts, new Date(opened.occurredAt), {
        acknowledgement: { by: "Ada", at: "x" },
      }),
    ).toEqual({ ...opened, event: "incident.acknowledged", acknowledgement: { by: "Ada", at: "x" } });
    expect(incidentAlertPayload("test", opened.monitor, null, new Date(opened.occurredAt)).incident).toBeNull();
  });

  it("is read back as written, for every event and every optional part", () => {
    const everything = {
      ...resolved,
      acknowledgement: { by: "Ada", at: "x" },
      page: { name: "Acme", slug: "acme" },
      update: { status: "MONITORING", message: "ok" },
      maintenance: { title: "Upgrade", description: null, startsAt: "a", endsAt: "b" },
      tls: { expiresAt: "c", daysLeft: 3 },
    };
    for (const event of EVENT_TYPES)
      expect(AlertPayload.parse({ ...everything, event })).toEqual({ ...everything, event });
    expect(EVENT_TYPES).toHaveLength(8);
    expect(() => AlertPayload.parse({ ...opened, event: "incident.exploded" })).toThrow();
  });
});
