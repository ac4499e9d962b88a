/**
 * Acknowledging incidents (issue 18, part 2): reminders stop, PagerDuty is told with the
 * incident's dedup key, and the signed link in an alert email acknowledges that incident
 * once, in the recipient's name — and no other incident.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { createPgPool } from "../../core/db/pg-pool.ts";
import { enqueueReminders } from "../../workers/notifications/reminders.ts";
import type { Runner } from "../../workers/engine/runner.ts";
import { callerFor } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createFastMonitor, eventually, startTestRunner, uniqueRegion } from "../support/engine.ts";
import { createUser, createWebsite } from "../support/factories.ts";
import { startMailCatcher, type MailCatcher } from "../support/fakes.ts";
import { startReceiver, type Receiver } from "../support/receiver.ts";
import { startTargetServer, type TargetServer } from "../support/target-server.ts";

const db = testDb();
const pool = createPgPool(inject("databaseUrl"), 2);
let receiver: Receiver;
let target: TargetServer;
let mail: MailCatcher;
const runners: Runner[] = [];

beforeAll(async () => {
  [receiver, target, mail] = await Promise.all([startReceiver(), startTargetServer(), startMailCatcher()]);
});
// Every runner sends from the one outbox: one without SMTP would take another test's mail.
afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.stop()));
});
afterAll(async () => {
  await Promise.all([receiver.stop(), target.stop(), mail.stop()]);
  await pool.end();
  await db.$disconnect();
});

/** An open incident that started `minutesAgo`, on a monitor alerting the given channels. */
async function openIncident(userId: string, channelIds: string[], minutesAgo: number) {
  const website = await createWebsite(db, userId);
  await db.monitorChannel.createMany({ data: channelIds.map((channelId) => ({ websiteId: website.id, channelId })) });
  return db.incident.create({
    data: {
      websiteId: website.id,
      openKey: website.id,
      cause: "status",
      causeDetail: "HTTP 503",
      regions: ["default"],
      startedAt: new Date(Date.now() - minutesAgo * 60_000),
    },
  });
}

/** The simulated clock: everything this incident sent so far happened `minutes` earlier. */
const rewind = (incidentId: string, minutes: number) =>
  db.$executeRaw`UPDATE "NotificationDelivery" SET "createdAt" = "createdAt" - make_interval(mins => ${minutes})
                 WHERE "incidentId" = ${incidentId}`;

const deliveries = (incidentId: string, event: string) =>
  db.notificationDelivery.findMany({ where: { incidentId, event }, include: { channel: true } });

describe("acknowledging", () => {
  it("stops the reminders, tells PagerDuty and webhooks, and says who and when", async () => {
    const user = await createUser(db, { name: "Ada Lovelace" });
    const api = callerFor(db, { user });
    const reminding = await api.notification.create({
      type: "SLACK",
      name: "Slack",
      target: receiver.url("/slack"),
      reminderMinutes: 5,
    });
    const pagerDuty = await api.notification.create({
      type: "PAGERDUTY",
      name: "PD",
      routingKey: "R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY12",
      apiUrl: receiver.url("/pd"),
    });
    const incident = await openIncident(user.id, [reminding.id, pagerDuty.id], 6);

    await enqueueReminders(pool);
    expect(await deliveries(incident.id, "incident.reminder")).toHaveLength(1);
    await enqueueReminders(pool);
    expect(await deliveries(incident.id, "incident.reminder")).toHaveLength(1); // not due yet
    await rewind(incident.id, 6);
    await enqueueReminders(pool);
    expect(await deliveries(incident.id, "incident.reminder")).toHaveLength(2);

    const acknowledged = await api.incident.acknowledge({ id: incident.id });
    expect(acknowledged).toMatchObject({ acknowledgedBy: "Ada Lovelace", acknowledgedAt: expect.any(Date) as Date });
    await rewind(incident.id, 60);
    await enqueueReminders(pool);
    expect(await deliveries(incident.id, "incident.reminder")).toHaveLength(2);

    // Only the services that track acknowledgement hear of it (not the chat).
    const told = await deliveries(incident.id, "incident.acknowledged");
    expect(told.map((delivery) => delivery.channel?.type)).toEqual(["PAGERDUTY"]);
    // Twice changes nothing.
    await api.incident.acknowledge({ id: incident.id });
    expect(await deliveries(incident.id, "incident.acknowledged")).toHaveLength(1);
    const [listed] = (await api.monitor.incidents({ id: incident.websiteId })).items;
    expect(listed).toMatchObject({ acknowledgedBy: "Ada Lovelace" });
  });

  it("is passed on to PagerDuty between its trigger and resolve, all with one dedup key", async () => {
    const region = uniqueRegion();
    const user = await createUser(db);
    const api = callerFor(db, { user });
    const pagerDuty = await api.notification.create({
      type: "PAGERDUTY",
      name: "PD",
      routingKey: "R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY12",
      apiUrl: receiver.url(`/${region}`),
    });
    const monitor = await createFastMonitor(db, user.id, { url: target.url(`/flappy?${region}`), regions: [region] });
    await db.monitorChannel.create({ data: { websiteId: monitor.id, channelId: pagerDuty.id } });
    target.setHealthy(false);
    runners.push(startTestRunner(inject("databaseUrl"), { region }));
    const sent = () =>
      receiver.received
        .filter((r) => r.path.startsWith(`/${region}/`))
        .map((r) => JSON.parse(r.body) as Record<string, string>);
    await eventually("the trigger", () => Promise.resolve(sent().length === 1 || null));
    const incident = await db.incident.findFirstOrThrow({ where: { websiteId: monitor.id, resolvedAt: null } });
    await api.incident.acknowledge({ id: incident.id });
    await eventually("the acknowledgement", () => Promise.resolve(sent().length === 2 || null));
    target.setHealthy(true);
    await eventually("the resolve", () => Promise.resolve(sent().length === 3 || null));
    expect(sent().map((event) => event.event_action)).toEqual(["trigger", "acknowledge", "resolve"]);
    expect(new Set(sent().map((event) => event.dedup_key)).size).toBe(1);
  });
});

describe("the signed link in an alert email", () => {
  it("acknowledges that incident once, in the recipient's name, and no other", async () => {
    const region = uniqueRegion();
    const user = await createUser(db);
    const api = callerFor(db, { user });
    const email = await api.notification.create({ type: "EMAIL", name: "Me", target: user.email });
    const monitor = await createFastMonitor(db, user.id, {
      url: target.url(`/status/503?${region}`),
      regions: [region],
    });
    await db.monitorChannel.create({ data: { websiteId: monitor.id, channelId: email.id } });
    runners.push(
      startTestRunner(inject("databaseUrl"), { region, alerts: { smtpUrl: `smtp://127.0.0.1:${mail.smtpPort}` } }),
    );
    const message = await eventually("the alert email", () =>
      Promise.resolve(mail.messages.find((m) => m.to.includes(user.email) && m.subject.includes("is DOWN"))),
    );
    const link = new URL(/Acknowledge \(stops the reminders\): (\S+)/.exec(message.text)![1]!);
    expect(link.origin).toBe("http://127.0.0.1:3000");
    const incidentId = /^\/incidents\/([^/]+)\/acknowledge$/.exec(link.pathname)![1]!;
    const input = { id: incidentId, channel: link.searchParams.get("channel")!, sig: link.searchParams.get("sig")! };
    const anonymous = callerFor(db);

    expect(await anonymous.incident.acknowledgeLink(input)).toMatchObject({ acknowledgedAt: null });
    const first = await anonymous.incident.acknowledgeByLink(input);
    expect(first.acknowledgedBy).toBe(`${user.email}, from the alert email`);
    const again = await anonymous.incident.acknowledgeByLink(input);
    expect(again.acknowledgedAt).toEqual(first.acknowledgedAt);

    // The same signature does not reach another incident, nor a changed channel or signature.
    const other = await openIncident(user.id, [email.id], 1);
    for (const forged of [
      { ...input, id: other.id },
      { ...input, channel: "another-channel" },
      { ...input, sig: `${input.sig.slice(0, -1)}${input.sig.endsWith("A") ? "B" : "A"}` },
    ]) {
      const error = await anonymous.incident.acknowledgeByLink(forged).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe("NOT_FOUND");
    }
    expect((await db.incident.findUniqueOrThrow({ where: { id: other.id } })).acknowledgedAt).toBeNull();
  });
});
