/** The Uptime Kuma backup mapping (pure): what maps, to what, and what is listed as not imported. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fromKumaBackup, KumaBackup } from "../../app/lib/setup/from-kuma.ts";
import { SetupDocument } from "../../app/lib/setup/setup-document.ts";
import { HEARTBEAT_DEFAULTS } from "../../core/domain/monitor-defaults.ts";

const fixture = KumaBackup.parse(
  JSON.parse(readFileSync(new URL("../fixtures/kuma-backup.json", import.meta.url), "utf8")),
);
const { document, unmapped } = fromKumaBackup(fixture);
const parsed = SetupDocument.parse(document);
const monitor = (key: string) => parsed.monitors.find((entry) => entry.key === key);

describe("Uptime Kuma backup", () => {
  it("maps each supported monitor type to ours, with its settings", () => {
    expect(parsed.monitors.map((entry) => [entry.key, entry.type])).toEqual([
      ["kuma-monitor-1", "HTTP"],
      ["kuma-monitor-2", "HTTP"],
      ["kuma-monitor-3", "HTTP"],
      ["kuma-monitor-4", "TCP"],
      ["kuma-monitor-5", "HEARTBEAT"],
      ["kuma-monitor-6", "DNS"],
    ]);
    expect(monitor("kuma-monitor-1")).toMatchObject({
      name: "Website",
      url: "http://127.0.0.1:65001/ok",
      intervalSeconds: 20,
      timeoutMs: 16_000,
      // Kuma retries once before DOWN: the second failure is the one that counts.
      failureThreshold: 2,
      tags: ["prod", "team:web"],
      channels: ["kuma-notification-1", "kuma-notification-3"],
      expectedStatusCodes: "200-299",
      isActive: true,
    });
    expect(monitor("kuma-monitor-2")).toMatchObject({ keyword: "hello", keywordMode: "PRESENT" });
    expect(monitor("kuma-monitor-3")).toMatchObject({
      method: "POST",
      body: '{"probe":true}',
      headers: [
        { name: "Content-Type", value: "application/json" },
        { name: "X-Api-Key", value: "kuma-header-secret" },
      ],
      assertions: [{ source: "json", path: "$.method", operator: "equals", value: "POST" }],
    });
    expect(monitor("kuma-monitor-4")).toMatchObject({ host: "127.0.0.1", port: 65002 });
    // Kuma's push token stays behind: this server chooses push URLs (the import's report names the new one).
    expect(monitor("kuma-monitor-5")).toMatchObject({
      type: "HEARTBEAT",
      periodSeconds: 86_400,
      ...HEARTBEAT_DEFAULTS,
    });
    expect(monitor("kuma-monitor-5")).not.toHaveProperty("pushToken");
    expect(JSON.stringify(document)).not.toContain("kumaPushTokenNightly0123");
    expect(monitor("kuma-monitor-6")).toMatchObject({
      recordType: "TXT",
      resolver: "127.0.0.1:65053",
      isActive: false,
    });
  });

  it("lists what it cannot import, with the reason, instead of guessing", () => {
    expect(unmapped.map((item) => [item.kind, item.name])).toEqual([
      ["notification", "Signal group"],
      ["monitor", "Zone SOA"],
      ["monitor", "Router"],
      ["monitor", "Backend"],
      ["monitor", "Worker container"],
      ["monitor", "Maintenance page"],
    ]);
    const reason = (name: string) => unmapped.find((item) => item.name === name)?.reason;
    expect(reason("Signal group")).toMatch(/Kuma's signal notifications are not mapped/);
    expect(reason("Zone SOA")).toMatch(/SOA records are not supported/);
    expect(reason("Router")).toMatch(/ping monitors are not supported/);
    expect(reason("Maintenance page")).toMatch(/upside-down/);
    // A channel that was not imported is not referenced.
    expect(monitor("kuma-monitor-3")!.channels).toEqual(["kuma-notification-4"]);
  });

  it("maps notifications and the status page with its groups as sections", () => {
    expect(parsed.channels.map((channel) => [channel.type, channel.name, channel.isDefault])).toEqual([
      ["EMAIL", "Ops email", true],
      ["TELEGRAM", "Telegram on-call", false],
      ["SLACK", "Slack #alerts", false],
      ["WEBHOOK", "Deploy hook", false],
    ]);
    expect(parsed.channels[1]).toMatchObject({
      botToken: "123456789:AAHkuma-telegram-token-0123456789",
      chatId: "-100123456",
    });
    expect(parsed.channels[0]).toMatchObject({ target: "ops@example.test" });
    expect(parsed.statusPages).toEqual([
      expect.objectContaining({
        slug: "acme",
        name: "Acme status",
        isPublished: true,
        // The ping monitor was not imported, so the page does not list it.
        monitors: [
          { monitor: "kuma-monitor-1", displayName: "Website", section: "Services" },
          { monitor: "kuma-monitor-4", displayName: "Database", section: "Services" },
        ],
      }),
    ]);
  });

  it("refuses a file that is not a Kuma backup", () => {
    expect(KumaBackup.safeParse({ format: "better-uptime/setup" }).success).toBe(false);
  });
});
