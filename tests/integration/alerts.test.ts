/**
 * Alerts end to end: the engine opens and resolves incidents, the outbox delivers them
 * to receivers running on 127.0.0.1 — Slack- and Discord-shaped payloads, signed
 * webhooks, email through a local SMTP server.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import type { Runner } from "../../workers/engine/runner.ts";
import { verifySignature } from "../../workers/notifications/signature.ts";
import type { SessionUser } from "../../app/server/services/auth/session-user.server.ts";
import { callerFor, fakeResolver } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { memoryMailer } from "../support/mailbox.ts";
import { createFastMonitor, eventually, startTestRunner, uniqueRegion } from "../support/engine.ts";
import { createUser } from "../support/factories.ts";
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
