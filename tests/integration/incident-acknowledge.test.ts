/**
 * Acknowledging incidents (issue 18, part 2): reminders stop, PagerDuty is told with the
 * incident's dedup key, and the signed link in an alert email acknowledges that incident
 * once, in the recipient's name — and no other incident.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { createHmac } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { ACKNOWLEDGE_LINK_TTL_SECONDS, acknowledgeKey, acknowledgeUrl } from "../../core/outbox/acknowledge-link.ts";
import { createPgPool } from "../../core/db/pg-pool.ts";
import { AlertPayload, headline } from "../../core/outbox/events.ts";
import { enqueueReminders, REMINDER_LOCK_KEY } from "../../workers/notifications/reminders.ts";
import type { Runner } from "../../workers/engine/runner.ts";
import { callerFor } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createFastMonitor, eventually, startTestRunner, uniqueRegion } from "../support/engine.ts";
import { createUser, createMonitorRow } from "../support/factories.ts";
import { startMailCatcher, type MailCatcher } from "../support/fakes.ts";
import { startReceiver, type Receiver } from "../support/receiver.ts";
import { startTargetServer, type TargetServer } from "../support/target-server.ts";
import { sqlOfPrisma } from "../../core/db/sql.ts";

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
  const monitor = await createMonitorRow(db, userId);
  await db.monitorChannel.createMany({ data: channelIds.map((channelId) => ({ monitorId: monitor.id, channelId })) });
  return db.incident.create({
    data: {
      monitorId: monitor.id,
      openKey: monitor.id,
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
    const [listed] = (await api.monitor.incidents({ id: incident.monitorId })).items;
    expect(listed).toMatchObject({ acknowledgedBy: "Ada Lovelace" });
  });

  it("reminders say the monitor is still down, and only one sender at a time queues them", async () => {
    const user = await createUser(db);
    const api = callerFor(db, { user });
    const reminding = await api.notification.create({
      type: "SLACK",
      name: "Slack",
      target: receiver.url("/slack"),
      reminderMinutes: 5,
    });
    const incident = await openIncident(user.id, [reminding.id], 6);
    // Another sender is deciding the reminders right now (it holds the lock in its transaction).
    const other = await pool.connect();
    try {
      await other.query("BEGIN");
      await other.query("SELECT pg_advisory_xact_lock($1)", [REMINDER_LOCK_KEY]);
      expect(await enqueueReminders(pool)).toBe(0);
      expect(await deliveries(incident.id, "incident.reminder")).toEqual([]);
    } finally {
      await other.query("ROLLBACK");
      other.release();
    }
    expect(await enqueueReminders(pool)).toBeGreaterThanOrEqual(1);
    const [reminder] = await deliveries(incident.id, "incident.reminder");
    const monitor = await db.monitor.findUniqueOrThrow({ where: { id: incident.monitorId } });
    const payload = AlertPayload.parse(reminder!.payload);
    expect(headline(payload)).toBe(`🔴 ${monitor.name} is still DOWN (HTTP 503)`);
    expect(payload).toMatchObject({
      event: "incident.reminder",
      monitor: { id: monitor.id, name: monitor.name, url: monitor.url },
      incident: { id: incident.id, cause: "status", regions: ["default"], startedAt: incident.startedAt.toISOString() },
    });
    expect(reminder).toMatchObject({ channelId: reminding.id, monitorId: monitor.id });
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
    await db.monitorChannel.create({ data: { monitorId: monitor.id, channelId: pagerDuty.id } });
    target.setHealthy(false);
    runners.push(startTestRunner(inject("databaseUrl"), { region }));
    const sent = () =>
      receiver.received
        .filter((r) => r.path.startsWith(`/${region}/`))
        .map((r) => JSON.parse(r.body) as Record<string, string>);
    await eventually("the trigger", () => Promise.resolve(sent().length === 1 || null));
    const incident = await db.incident.findFirstOrThrow({ where: { monitorId: monitor.id, resolvedAt: null } });
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
    await db.monitorChannel.create({ data: { monitorId: monitor.id, channelId: email.id } });
    runners.push(
      startTestRunner(inject("databaseUrl"), { region, alerts: { smtpUrl: `smtp://127.0.0.1:${mail.smtpPort}` } }),
    );
    const message = await eventually("the alert email", () =>
      Promise.resolve(mail.messages.find((m) => m.to.includes(user.email) && m.subject.includes("is DOWN"))),
    );
    const link = new URL(/Acknowledge \(stops the reminders\): (\S+)/.exec(message.text)![1]!);
    expect(link.origin).toBe("http://127.0.0.1:3000");
    const incidentId = /^\/incidents\/([^/]+)\/acknowledge$/.exec(link.pathname)![1]!;
    const exp = Number(link.searchParams.get("exp"));
    // Signed for 7 days from the mail.
    expect(exp * 1000 - Date.now()).toBeGreaterThan(ACKNOWLEDGE_LINK_TTL_SECONDS * 1000 - 600_000);
    expect(exp * 1000 - Date.now()).toBeLessThanOrEqual(ACKNOWLEDGE_LINK_TTL_SECONDS * 1000);
    const input = {
      id: incidentId,
      channel: link.searchParams.get("channel")!,
      exp,
      sig: link.searchParams.get("sig")!,
    };
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
      // A later expiry is not signed; nor is the link without its expiry (the old form).
      { ...input, exp: input.exp + 86_400 },
      { ...input, exp: undefined },
    ]) {
      const error = await anonymous.incident.acknowledgeByLink(forged).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe("NOT_FOUND");
    }
    expect((await db.incident.findUniqueOrThrow({ where: { id: other.id } })).acknowledgedAt).toBeNull();
  });
});

describe("the key acknowledge links are signed with", () => {
  it("is the instance's stored key, so links mailed before a restart or upgrade keep working", async () => {
    const user = await createUser(db);
    const api = callerFor(db, { user });
    const email = await api.notification.create({ type: "EMAIL", name: "Me", target: user.email });
    const incident = await openIncident(user.id, [email.id], 5);
    await mailedLink(incident.id, email.id); // the key exists from here on
    const stored = await db.instanceSecret.findUniqueOrThrow({ where: { name: "acknowledge-links" } });
    const key = Buffer.from(stored.value, "base64url");
    expect(key).toHaveLength(32);
    const url = new URL(acknowledgeUrl("http://127.0.0.1:3000", key, incident.id, email.id));
    const link = {
      id: incident.id,
      channel: email.id,
      exp: Number(url.searchParams.get("exp")),
      sig: url.searchParams.get("sig")!,
    };
    expect(await callerFor(db).incident.acknowledgeByLink(link)).toMatchObject({
      acknowledgedBy: `${user.email}, from the alert email`,
    });
  });
});

/** A link as the runner would have mailed it at `signedAt` (today's form, with an expiry). */
async function mailedLink(incidentId: string, channelId: string, signedAt = new Date()) {
  const key = await acknowledgeKey(sqlOfPrisma(db));
  const url = new URL(acknowledgeUrl("http://127.0.0.1:3000", key, incidentId, channelId, signedAt));
  return {
    id: incidentId,
    channel: url.searchParams.get("channel")!,
    exp: Number(url.searchParams.get("exp")),
    sig: url.searchParams.get("sig")!,
  };
}

/** A link as mails sent before expiries carried it: no `exp`, the signature over incident and channel only. */
async function oldMailedLink(incidentId: string, channelId: string) {
  const key = await acknowledgeKey(sqlOfPrisma(db));
  const sig = createHmac("sha256", key).update(`acknowledge:${incidentId}:${channelId}`).digest("base64url");
  return { id: incidentId, channel: channelId, sig };
}

/** The error a link procedure answers, as the API would send it. */
async function refusalOf(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

const DAY_MS = 86_400_000;

/** Issue 25, item 10: links expire, end with their incident and need their channel. */
describe("an acknowledge link that no longer works", () => {
  async function setUp() {
    const user = await createUser(db);
    const api = callerFor(db, { user });
    const email = await api.notification.create({ type: "EMAIL", name: "Me", target: user.email });
    const incident = await openIncident(user.id, [email.id], 5);
    return { user, api, email, incident };
  }

  /** Nothing happened to the incident: not acknowledged, nothing queued. */
  async function expectUntouched(incidentId: string) {
    expect((await db.incident.findUniqueOrThrow({ where: { id: incidentId } })).acknowledgedAt).toBeNull();
    expect(await deliveries(incidentId, "incident.acknowledged")).toEqual([]);
  }

  it("is refused once expired (7 days after its mail), saying so, and changes nothing", async () => {
    const { email, incident } = await setUp();
    const link = await mailedLink(incident.id, email.id, new Date(Date.now() - 7 * DAY_MS - 60_000));
    const anonymous = callerFor(db);
    for (const call of [anonymous.incident.acknowledgeLink, anonymous.incident.acknowledgeByLink]) {
      const error = await refusalOf(call(link));
      expect(error.code).toBe("FORBIDDEN");
      expect(error.message).toContain("has expired");
    }
    await expectUntouched(incident.id);
    // Signed six days ago, it still works.
    const recent = await mailedLink(incident.id, email.id, new Date(Date.now() - 6 * DAY_MS));
    expect(await anonymous.incident.acknowledgeLink(recent)).toMatchObject({ acknowledgedAt: null });
  });

  it("is refused once its channel is deleted, or no longer alerts for the monitor, and changes nothing", async () => {
    const { user, api, email, incident } = await setUp();
    const link = await mailedLink(incident.id, email.id);
    const anonymous = callerFor(db);
    // Taken off the monitor: the recipient no longer hears of it.
    await db.monitorChannel.deleteMany({ where: { channelId: email.id } });
    const detached = await refusalOf(anonymous.incident.acknowledgeByLink(link));
    expect(detached.code).toBe("FORBIDDEN");
    expect(detached.message).toContain("alert channel this link was sent to has been removed");
    await api.notification.delete({ id: email.id });
    for (const call of [anonymous.incident.acknowledgeLink, anonymous.incident.acknowledgeByLink]) {
      expect((await refusalOf(call(link))).code).toBe("FORBIDDEN");
    }
    await expectUntouched(incident.id);
    // Another of the owner's channels on the monitor still works.
    const other = await api.notification.create({ type: "EMAIL", name: "Other", target: user.email });
    await db.monitorChannel.create({ data: { monitorId: incident.monitorId, channelId: other.id } });
    const otherLink = await mailedLink(incident.id, other.id);
    expect(await anonymous.incident.acknowledgeLink(otherLink)).toMatchObject({ acknowledgedAt: null });
  });

  it("is refused when replayed after its incident resolved, and changes nothing", async () => {
    const { user, email, incident } = await setUp();
    const link = await mailedLink(incident.id, email.id);
    const anonymous = callerFor(db);
    const first = await anonymous.incident.acknowledgeByLink(link);
    expect(first.acknowledgedBy).toBe(`${user.email}, from the alert email`);
    const resolvedAt = new Date();
    await db.incident.update({ where: { id: incident.id }, data: { resolvedAt } });
    for (const call of [anonymous.incident.acknowledgeLink, anonymous.incident.acknowledgeByLink]) {
      const error = await refusalOf(call(link));
      expect(error.code).toBe("FORBIDDEN");
      expect(error.message).toBe("This incident is over, so there is nothing left to acknowledge.");
    }
    const after = await db.incident.findUniqueOrThrow({ where: { id: incident.id } });
    expect(after.acknowledgedAt).toEqual(first.acknowledgedAt);
    expect(after.acknowledgedBy).toBe(first.acknowledgedBy);
    expect(await deliveries(incident.id, "incident.acknowledged")).toHaveLength(0); // an email channel is not told
    // Never acknowledged and resolved: refused just the same.
    const { email: otherEmail, incident: other } = await setUp();
    await db.incident.update({ where: { id: other.id }, data: { resolvedAt } });
    expect(
      (await refusalOf(anonymous.incident.acknowledgeByLink(await mailedLink(other.id, otherEmail.id)))).code,
    ).toBe("FORBIDDEN");
    await expectUntouched(other.id);
  });

  it("in a mail sent before expiries (no exp): works only while open, its channel there, the incident under 7 days old", async () => {
    const anonymous = callerFor(db);
    const young = await setUp();
    const youngLink = await oldMailedLink(young.incident.id, young.email.id);
    expect(await anonymous.incident.acknowledgeByLink(youngLink)).toMatchObject({
      acknowledgedBy: `${young.user.email}, from the alert email`,
    });

    const old = await setUp();
    await db.incident.update({
      where: { id: old.incident.id },
      data: { startedAt: new Date(Date.now() - 8 * DAY_MS) },
    });
    const oldError = await refusalOf(
      anonymous.incident.acknowledgeByLink(await oldMailedLink(old.incident.id, old.email.id)),
    );
    expect(oldError.message).toContain("has expired");
    await expectUntouched(old.incident.id);

    const orphaned = await setUp();
    const orphanedLink = await oldMailedLink(orphaned.incident.id, orphaned.email.id);
    await orphaned.api.notification.delete({ id: orphaned.email.id });
    expect((await refusalOf(anonymous.incident.acknowledgeByLink(orphanedLink))).message).toContain("removed");
    await expectUntouched(orphaned.incident.id);

    const closed = await setUp();
    await db.incident.update({ where: { id: closed.incident.id }, data: { resolvedAt: new Date() } });
    const closedLink = await oldMailedLink(closed.incident.id, closed.email.id);
    expect((await refusalOf(anonymous.incident.acknowledgeByLink(closedLink))).message).toContain("is over");
    await expectUntouched(closed.incident.id);
  });
});
