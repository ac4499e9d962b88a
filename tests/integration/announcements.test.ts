/**
 * Incidents and notices the owner posts on a status page (issue 18, part 4): posted,
 * updated and resolved; shown on the page (weighing on the services they name), in its
 * JSON and feed; mailed to subscribers through the outbox.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { loader as feedLoader } from "../../app/routes/status.$slug_.feed[.atom].ts";
import type { Runner } from "../../workers/engine/runner.ts";
import { callerFor, testContext } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { eventually, startTestRunner, uniqueRegion } from "../support/engine.ts";
import { createUser, createMonitorRow, unique } from "../support/factories.ts";
import { startMailCatcher, type MailCatcher } from "../support/fakes.ts";

const db = testDb();
let mail: MailCatcher;
const runners: Runner[] = [];
let owner: Awaited<ReturnType<typeof createUser>>;
let slug: string;
let pageId: string;
let emailId: string;
let webId: string;
const subscriber = `${unique("reader")}@example.test`;

beforeAll(async () => {
  mail = await startMailCatcher();
  owner = await createUser(db);
  const api = callerFor(db, { user: owner });
  const [email, web] = await Promise.all([createMonitorRow(db, owner.id), createMonitorRow(db, owner.id)]);
  // Both monitors checked and up, so the page's state comes from the owner's posts alone.
  await db.monitor.updateMany({ where: { id: { in: [email.id, web.id] } }, data: { status: "UP" } });
  [emailId, webId] = [email.id, web.id];
  slug = unique("acme");
  pageId = (await api.statusPage.create({ name: "Acme status", slug })).id;
  await api.statusPage.setMonitors({
    id: pageId,
    monitors: [
      { monitorId: email.id, displayName: "Email" },
      { monitorId: web.id, displayName: "Website" },
    ],
  });
  await api.statusPage.setPublished({ id: pageId, isPublished: true });
  await db.subscriber.create({
    data: {
      statusPageId: pageId,
      email: subscriber,
      confirmTokenHash: unique("confirmed"),
      confirmedAt: new Date(),
    },
  });
});
afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.stop()));
});
afterAll(async () => {
  await mail.stop();
  await db.$disconnect();
});

const visitorView = () => callerFor(db).statusPage.public({ slug });

describe("a posted incident", () => {
  it("shows on the page with its impact on the services it names, is updated, then resolved — and subscribers hear each step", async () => {
    const api = callerFor(db, { user: owner });
    runners.push(
      startTestRunner(inject("databaseUrl"), {
        region: uniqueRegion(),
        alerts: { smtpUrl: `smtp://127.0.0.1:${mail.smtpPort}` },
      }),
    );
    const posted = await api.statusPage.postAnnouncement({
      id: pageId,
      kind: "INCIDENT",
      title: "Delayed email delivery",
      impact: "MAJOR",
      monitorIds: [emailId],
      status: "INVESTIGATING",
      message: "Mail is reaching inboxes up to an hour late.",
    });

    let page = await visitorView();
    expect(page.overall).toBe("partial_outage");
    expect(page.sections[0]!.services.map((service) => [service.name, service.state])).toEqual([
      ["Email", "outage"],
      ["Website", "operational"],
    ]);
    expect(page.activeIncidents).toEqual([
      expect.objectContaining({
        kind: "incident",
        impact: "major",
        title: "Delayed email delivery",
        services: ["Email"],
        updates: [
          expect.objectContaining({ status: "INVESTIGATING", message: "Mail is reaching inboxes up to an hour late." }),
        ],
      }),
    ]);
    await eventually("the first mail", () =>
      Promise.resolve(mail.messages.find((m) => m.to.includes(subscriber) && m.subject.includes("investigating"))),
    );
    const first = mail.messages.find((m) => m.to.includes(subscriber))!;
    expect(first.subject).toBe("[Acme status] Delayed email delivery: investigating");
    expect(first.text).toContain("Mail is reaching inboxes up to an hour late.");

    await api.statusPage.updateAnnouncement({
      announcementId: posted.id,
      status: "MONITORING",
      message: "A fix is out; the queue is draining.",
      impact: "MINOR",
    });
    page = await visitorView();
    expect(page.sections[0]!.services[0]!.state).toBe("degraded");
    expect(page.activeIncidents[0]!.updates.map((update) => update.status)).toEqual(["MONITORING", "INVESTIGATING"]);

    await api.statusPage.updateAnnouncement({
      announcementId: posted.id,
      status: "RESOLVED",
      message: "All caught up.",
    });
    page = await visitorView();
    expect(page.activeIncidents).toEqual([]);
    expect(page.overall).toBe("operational");
    expect(page.pastIncidents[0]).toMatchObject({
      title: "Delayed email delivery",
      resolvedAt: expect.any(Date) as Date,
    });
    await eventually("the update and resolution mails", () =>
      Promise.resolve(mail.messages.filter((m) => m.to.includes(subscriber)).length >= 3 || null),
    );
    expect(mail.messages.filter((m) => m.to.includes(subscriber)).map((m) => m.subject)).toEqual([
      "[Acme status] Delayed email delivery: investigating",
      "[Acme status] Delayed email delivery: monitoring",
      "[Acme status] Delayed email delivery: resolved",
    ]);

    const feed = await (
      await feedLoader({
        request: new Request(`http://127.0.0.1:3000/status/${slug}/feed.atom`),
        params: { slug },
        context: testContext(db),
      })
    ).text();
    expect(feed).toContain("Resolved: Delayed email delivery");
    expect(feed).toContain("All caught up.");
  });
});

describe("a notice", () => {
  it("shows under notices without touching any service's state, and names only services on the page", async () => {
    const api = callerFor(db, { user: owner });
    await api.statusPage.postAnnouncement({
      id: pageId,
      kind: "NOTICE",
      title: "New sign-in page from Monday",
      monitorIds: [webId],
      message: "Nothing changes for your account.",
    });
    const page = await visitorView();
    expect(page.notices).toEqual([expect.objectContaining({ kind: "notice", title: "New sign-in page from Monday" })]);
    expect(page.activeIncidents).toEqual([]);
    expect(page.overall).toBe("operational");

    const stranger = await createMonitorRow(db, owner.id);
    await expect(
      api.statusPage.postAnnouncement({
        id: pageId,
        kind: "NOTICE",
        title: "x",
        monitorIds: [stranger.id],
        message: "x",
      }),
    ).rejects.toThrow(/A chosen service is not on this page/);
  });
});

describe("scheduled maintenance", () => {
  it("is announced to the subscribers of pages showing its monitors, and only those", async () => {
    const api = callerFor(db, { user: owner });
    const subscriberIds = (await db.subscriber.findMany({ where: { statusPageId: pageId } })).map((s) => s.id);
    const announced = () =>
      db.notificationDelivery.count({
        where: { subscriberId: { in: subscriberIds }, event: "maintenance.scheduled" },
      });
    const before = await announced();
    const elsewhere = await createMonitorRow(db, owner.id); // on no page
    const window = { startsAt: new Date(Date.now() + 86_400_000), endsAt: new Date(Date.now() + 90_000_000) };
    await api.maintenance.create({ title: "Unrelated work", monitorIds: [elsewhere.id], ...window });
    expect(await announced()).toBe(before);
    await api.maintenance.create({ title: "Mail server upgrade", monitorIds: [emailId], ...window });
    expect(await announced()).toBe(before + 1);
  });
});
