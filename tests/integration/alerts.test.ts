/**
 * Alerts end to end: the engine opens and resolves incidents, the outbox delivers them
 * to receivers running on 127.0.0.1 — Slack- and Discord-shaped payloads, signed
 * webhooks, email through a local SMTP server.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import type { Runner } from "../../workers/engine/runner.ts";
import {
  enqueueForMonitor,
  enqueueForPageSubscribers,
  enqueueForSubscribers,
  enqueueMaintenanceForSubscribers,
} from "../../core/outbox/enqueue.ts";
import { sqlOfPrisma } from "../../core/db/sql.ts";
import type { AlertPayload } from "../../core/outbox/events.ts";
import { verifySignature } from "../../workers/notifications/signature.ts";
import type { SessionUser } from "../../app/server/services/auth/session-user.server.ts";
import { callerFor, fakeResolver } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { memoryMailer } from "../support/mailbox.ts";
import { createFastMonitor, eventually, startTestRunner, uniqueRegion } from "../support/engine.ts";
import { createUser, createMonitorRow, unique } from "../support/factories.ts";
import { startMailCatcher, type MailCatcher } from "../support/fakes.ts";
import { startReceiver, type Receiver } from "../support/receiver.ts";
import { startTargetServer, type TargetServer } from "../support/target-server.ts";

const db = testDb();
let target: TargetServer;
let receiver: Receiver;
let mail: MailCatcher;
let user: SessionUser;
const runners: Runner[] = [];

beforeAll(async () => {
  [target, receiver, mail] = await Promise.all([startTargetServer(), startReceiver(), startMailCatcher()]);
  user = await createUser(db);
});
afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.stop()));
});
afterAll(async () => {
  await Promise.all([target.stop(), receiver.stop(), mail.stop()]);
  await db.$disconnect();
});

const api = (options: { mailer?: ReturnType<typeof memoryMailer> } = {}) =>
  callerFor(db, { user, resolve: fakeResolver({ "hooks.internal.test": ["10.0.0.1"] }), ...options });

describe("alert channels", () => {
  it("refuse webhook URLs that point at private addresses, and mask URLs when read back", async () => {
    const refused = api().notification.create({
      type: "WEBHOOK",
      name: "internal",
      target: "http://hooks.internal.test/x",
    });
    await expect(refused).rejects.toThrow(/10\.0\.0\.1 is a private address/);
    const created = await api().notification.create({
      type: "SLACK",
      name: "Slack",
      target: receiver.url("/services/T000/B000/secret-token"),
    });
    expect(created.target).not.toContain("secret-token");
    expect(JSON.stringify(await api().notification.list())).not.toContain("secret-token");
  });

  it("are attached to new monitors when they are defaults", async () => {
    const channel = await api().notification.create({
      type: "EMAIL",
      name: "On call",
      target: "oncall@example.test",
      isDefault: true,
    });
    const monitor = await api().monitor.create({ url: "http://127.0.0.1:9/" });
    expect(monitor.channelIds).toContain(channel.id);
    const opted = await api().monitor.create({ url: "http://127.0.0.1:9/", channelIds: [] });
    expect(opted.channelIds).toEqual([]);
    await api().notification.update({ id: channel.id, isDefault: false });
  });
});

describe("alert deliveries", () => {
  it("reach Slack, Discord, a signed webhook and email, with the payloads each expects", async () => {
    const region = uniqueRegion();
    const slack = await api().notification.create({
      type: "SLACK",
      name: "Slack",
      target: receiver.url(`/slack/${region}`),
    });
    const discord = await api().notification.create({
      type: "DISCORD",
      name: "Discord",
      target: receiver.url(`/discord/${region}`),
    });
    const webhook = await api().notification.create({
      type: "WEBHOOK",
      name: "Hook",
      target: receiver.url(`/hook/${region}`),
    });
    // Another address than the owner's: it gets alerts once its recipient has confirmed.
    const consentMail = memoryMailer();
    const email = await api({ mailer: consentMail }).notification.create({
      type: "EMAIL",
      name: "Mail",
      target: "oncall@example.test",
    });
    expect(email.awaitingConfirmation).toBe(true);
    const consentLink = consentMail.sent.at(-1)!.text.match(/https?:\/\/\S+\/alerts\/confirm\?token=\S+/)![0];
    await callerFor(db).notification.confirm({ token: new URL(consentLink).searchParams.get("token")! });
    const monitor = await createFastMonitor(db, user.id, {
      url: target.url(`/status/503?${region}`),
      regions: [region],
    });
    await db.monitor.update({ where: { id: monitor.id }, data: { name: "Checkout API" } });
    await db.monitorChannel.createMany({
      data: [slack, discord, webhook, email].map((channel) => ({ monitorId: monitor.id, channelId: channel.id })),
    });
    runners.push(
      startTestRunner(inject("databaseUrl"), { region, alerts: { smtpUrl: `smtp://127.0.0.1:${mail.smtpPort}` } }),
    );

    const ofPath = (prefix: string) => receiver.received.filter((r) => r.path === `/${prefix}/${region}`);
    await eventually("all three webhooks", () =>
      Promise.resolve(["slack", "discord", "hook"].every((p) => ofPath(p).length > 0) || null),
    );

    const slackBody = JSON.parse(ofPath("slack")[0]!.body) as { text: string; blocks: { type: string }[] };
    expect(slackBody.text).toBe("🔴 Checkout API is DOWN: HTTP 503, expected 200-299");
    expect(slackBody.blocks.map((b) => b.type)).toEqual(["section", "section"]);

    const discordBody = JSON.parse(ofPath("discord")[0]!.body) as {
      content: string;
      embeds: { title: string; color: number }[];
    };
    expect(discordBody.content).toContain("Checkout API is DOWN");
    expect(discordBody.embeds[0]).toMatchObject({ title: "Checkout API", color: 0xdc2626 });

    const hook = ofPath("hook")[0]!;
    const secret = (await db.notificationChannel.findUniqueOrThrow({ where: { id: webhook.id } })).signingSecret!;
    expect(verifySignature(secret, hook.body, hook.headers["x-betteruptime-signature"] as string)).toBe(true);
    const hookBody = JSON.parse(hook.body) as {
      id: string;
      event: string;
      monitor: { id: string };
      incident: { cause: string };
    };
    expect(hookBody).toMatchObject({
      event: "incident.opened",
      monitor: { id: monitor.id },
      incident: { cause: "status" },
    });
    expect(hook.headers["idempotency-key"]).toBe(hookBody.id);
    expect(hook.headers["x-betteruptime-event"]).toBe("incident.opened");

    const message = await eventually("the email", () =>
      Promise.resolve(mail.messages.find((m) => m.to.includes("oncall@example.test"))),
    );
    expect(message.subject).toBe("🔴 Checkout API is DOWN: HTTP 503, expected 200-299");
    expect(message.text).toContain("Monitor: Checkout API");
    expect(message.text).toContain("Cause: status — HTTP 503, expected 200-299");

    const log = await api().notification.deliveries({ monitorId: monitor.id });
    await eventually("all marked sent", async () =>
      (await api().notification.deliveries({ monitorId: monitor.id })).every((d) => d.status === "SENT") ? true : null,
    );
    expect(log.map((d) => d.channel.name).sort()).toEqual(["Discord", "Hook", "Mail", "Slack"]);
  });

  it("a test alert goes through the outbox and shows in the channel's log", async () => {
    const region = uniqueRegion();
    const channel = await api().notification.create({
      type: "WEBHOOK",
      name: "Test me",
      target: receiver.url(`/test/${region}`),
    });
    runners.push(startTestRunner(inject("databaseUrl"), { region }));
    await api().notification.test({ id: channel.id });
    await eventually("the test alert", () =>
      Promise.resolve(receiver.received.some((r) => r.path === `/test/${region}`) || null),
    );
    await eventually("logged as sent", async () =>
      (await api().notification.deliveries({ channelId: channel.id }))[0]?.status === "SENT" ? true : null,
    );
  });
});

describe("queueing alerts", () => {
  /** Incident alerts for one monitor, as the engine writes them. */
  const alertFor = (monitorId: string, event: AlertPayload["event"] = "incident.opened"): AlertPayload => ({
    event,
    occurredAt: "2026-11-25T10:12:00.000Z",
    monitor: { id: monitorId, name: "Checkout API", url: "https://checkout.example.test/health" },
    incident: {
      id: "incident-1",
      cause: "status",
      detail: "HTTP 503 from 127.0.0.1:8443",
      regions: ["eu"],
      startedAt: "2026-11-25T10:12:00.000Z",
      resolvedAt: null,
      durationSeconds: null,
    },
    tls: { expiresAt: "2026-12-01T00:00:00.000Z", daysLeft: 6 },
  });
  const queued = (where: { monitorId?: string; subscriberId?: { in: string[] } }) =>
    db.notificationDelivery.findMany({ where, orderBy: { seq: "asc" } });

  async function subscribed(pageId: string, state: "confirmed" | "unconfirmed" | "paused") {
    return db.subscriber.create({
      data: {
        statusPageId: pageId,
        email: `${unique(state)}@example.test`,
        confirmTokenHash: unique("token"),
        confirmedAt: state === "unconfirmed" ? null : new Date(),
        pausedAt: state === "paused" ? new Date() : null,
      },
    });
  }

  async function page(name: string, monitors: { monitorId: string; displayName?: string }[], isPublished = true) {
    const created = await db.statusPage.create({ data: { userId: user.id, name, slug: unique("page"), isPublished } });
    await db.statusPageMonitor.createMany({
      data: monitors.map((monitor) => ({ statusPageId: created.id, ...monitor })),
    });
    return created;
  }

  it("to a monitor's channels: those attached and agreed to, or only the types asked for", async () => {
    const [monitor, other] = [await createMonitorRow(db, user.id), await createMonitorRow(db, user.id)];
    const channel = (type: "WEBHOOK" | "SLACK" | "EMAIL", confirmedAt: Date | null) =>
      db.notificationChannel.create({
        data: { userId: user.id, type, name: type, target: "https://hooks.example.test/x", confirmedAt },
      });
    const [hook, slack, unconfirmed, elsewhere] = await Promise.all([
      channel("WEBHOOK", new Date()),
      channel("SLACK", new Date()),
      channel("EMAIL", null),
      channel("WEBHOOK", new Date()),
    ]);
    await db.monitorChannel.createMany({
      data: [
        ...[hook, slack, unconfirmed].map((c) => ({ monitorId: monitor.id, channelId: c.id })),
        { monitorId: other.id, channelId: elsewhere.id },
      ],
    });
    const payload = alertFor(monitor.id);
    expect(await db.$transaction((tx) => enqueueForMonitor(sqlOfPrisma(tx), monitor.id, "incident-1", payload))).toBe(
      2,
    );
    expect(
      await db.$transaction((tx) =>
        enqueueForMonitor(sqlOfPrisma(tx), monitor.id, null, alertFor(monitor.id, "test"), ["WEBHOOK"]),
      ),
    ).toBe(1);
    const rows = await queued({ monitorId: monitor.id });
    expect(rows.map((row) => [row.channelId, row.event, row.incidentId])).toEqual(
      expect.arrayContaining([
        [hook.id, "incident.opened", "incident-1"],
        [slack.id, "incident.opened", "incident-1"],
        [hook.id, "test", null],
      ]),
    );
    expect(rows).toHaveLength(3);
    // The owner's channels hear everything: the address, the error, the regions.
    expect(rows[0]!.payload).toEqual(payload);
    // An alert whose transaction rolls back is never queued.
    await expect(
      db.$transaction(async (tx) => {
        await enqueueForMonitor(sqlOfPrisma(tx), monitor.id, null, alertFor(monitor.id, "incident.resolved"));
        throw new Error("the incident change failed");
      }),
    ).rejects.toThrow("the incident change failed");
    expect(await queued({ monitorId: monitor.id })).toHaveLength(3);
    await db.notificationDelivery.deleteMany({ where: { monitorId: monitor.id } });
  });

  it("to status page subscribers: confirmed, not paused, on published pages showing the monitor, by its public name only", async () => {
    const [monitor, other] = [await createMonitorRow(db, user.id), await createMonitorRow(db, user.id)];
    const shop = await page("Shop status", [
      { monitorId: monitor.id, displayName: "Checkout" },
      { monitorId: other.id },
    ]);
    const plain = await page("Plain status", [{ monitorId: monitor.id }]);
    const draft = await page("Draft", [{ monitorId: monitor.id }], false);
    const otherOnly = await page("Other status", [{ monitorId: other.id }]);
    const reader = await subscribed(shop.id, "confirmed");
    const subscribers = [
      reader,
      await subscribed(shop.id, "unconfirmed"),
      await subscribed(shop.id, "paused"),
      await subscribed(plain.id, "confirmed"),
      await subscribed(draft.id, "confirmed"),
      await subscribed(otherOnly.id, "confirmed"),
    ];
    const plainReader = subscribers[3]!;
    const ofThese = { subscriberId: { in: subscribers.map((s) => s.id) } };

    const payload = alertFor(monitor.id);
    expect(
      await db.$transaction((tx) => enqueueForSubscribers(sqlOfPrisma(tx), monitor.id, "incident-1", payload)),
    ).toBe(2);
    const incidentMails = await queued(ofThese);
    expect(incidentMails.map((row) => row.subscriberId).sort()).toEqual([reader.id, plainReader.id].sort());
    const publicIncident = { ...payload.incident, cause: "outage", detail: null, regions: [] };
    const byReader = new Map(incidentMails.map((row) => [row.subscriberId, row]));
    expect(byReader.get(reader.id)).toMatchObject({ monitorId: monitor.id, incidentId: "incident-1" });
    expect(byReader.get(reader.id)!.payload).toEqual({
      ...payload,
      monitor: { id: monitor.id, name: "Checkout", url: "" },
      incident: publicIncident,
      tls: null,
      page: { name: "Shop status", slug: shop.slug },
    });
    expect(byReader.get(plainReader.id)!.payload).toMatchObject({
      monitor: { id: monitor.id, name: "A service", url: "" },
      page: { name: "Plain status", slug: plain.slug },
    });
    await db.notificationDelivery.deleteMany({ where: ofThese });

    // The owner's announcement: that one page's subscribers.
    const announcement: AlertPayload = {
      ...alertFor(""),
      event: "incident.update",
      monitor: { id: "", name: null, url: "" },
      incident: null,
      tls: null,
      update: { status: "INVESTIGATING", message: "Looking into it." },
    };
    expect(await db.$transaction((tx) => enqueueForPageSubscribers(sqlOfPrisma(tx), shop.id, announcement))).toBe(1);
    const [announced] = await queued(ofThese);
    expect(announced).toMatchObject({ subscriberId: reader.id, event: "incident.update", monitorId: null });
    expect(announced!.payload).toEqual({ ...announcement, page: { name: "Shop status", slug: shop.slug } });
    expect(await queued(ofThese)).toHaveLength(1);
    await db.notificationDelivery.deleteMany({ where: ofThese });

    // A maintenance of the other monitor: every published page showing it.
    const maintenance: AlertPayload = {
      ...announcement,
      event: "maintenance.scheduled",
      update: null,
      maintenance: { title: "Upgrade", description: null, startsAt: "a", endsAt: "b" },
    };
    expect(
      await db.$transaction((tx) => enqueueMaintenanceForSubscribers(sqlOfPrisma(tx), [other.id], maintenance)),
    ).toBe(2);
    const maintenanceMails = await queued(ofThese);
    expect(maintenanceMails.map((row) => row.subscriberId).sort()).toEqual([reader.id, subscribers[5]!.id].sort());
    expect(maintenanceMails.map((row) => row.event)).toEqual(["maintenance.scheduled", "maintenance.scheduled"]);
    await db.notificationDelivery.deleteMany({ where: ofThese });
  });
});
