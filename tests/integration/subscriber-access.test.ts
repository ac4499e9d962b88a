/**
 * Subscribers of a private page get mail only while they could open it (issue 25, item
 * 7). When the page turns private or its password changes, subscriptions pause and each
 * subscriber is mailed one link (through the outbox, to the tests' SMTP server) to
 * confirm again through the page's access check — its password, or its cookie. Paused
 * subscribers get no incident, maintenance or announcement mail; the page opening to
 * anyone with the address resumes them.
 */
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { action as pageAction } from "../../app/routes/status.$slug.tsx";
import { action as reconfirmAction } from "../../app/routes/status.$slug_.reconfirm.tsx";
import { createPgPool } from "../../core/db/pg-pool.ts";
import { enqueueForSubscribers } from "../../core/outbox/enqueue.ts";
import { reconfirmToken, subscriberLinkKey } from "../../core/outbox/subscriber-links.ts";
import { sqlOfPool, sqlOfPrisma } from "../../core/db/sql.ts";
import type { Runner } from "../../workers/engine/runner.ts";
import { callerFor, testContext } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { eventually, startTestRunner, uniqueRegion } from "../support/engine.ts";
import { startMailCatcher, type MailCatcher } from "../support/fakes.ts";
import { createUser, createMonitorRow, unique } from "../support/factories.ts";

const db = testDb();
const pool = createPgPool(inject("databaseUrl"), 2);
const runners: Runner[] = [];
let mail: MailCatcher;

beforeAll(async () => {
  mail = await startMailCatcher();
});
afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.stop()));
});
afterAll(async () => {
  await mail.stop();
  await pool.end();
  await db.$disconnect();
});

const context = (): AppLoadContext => testContext(db);

/** A route's answer (returned `data(...)` or a Response) as status, body and cookie. */
async function answer(run: () => Promise<unknown>) {
  const result = await run();
  if (result instanceof Response) return { status: result.status, body: null, cookie: null };
  const { data, init } = result as { data: Record<string, unknown>; init?: ResponseInit | null };
  const headers = new Headers(init?.headers);
  return { status: init?.status ?? 200, body: data, cookie: headers.get("set-cookie") };
}

/** Posts the confirm-again form of a mailed link, with a password and/or the visitor's cookie. */
function reconfirm(link: string, slug: string, options: { password?: string; cookie?: string } = {}) {
  const form = new FormData();
  if (options.password) form.set("password", options.password);
  const request = new Request(link, {
    method: "POST",
    body: form,
    headers: options.cookie ? { cookie: options.cookie } : {},
  });
  return answer(() => reconfirmAction({ request, params: { slug }, context: context() }));
}

/** The private page's own password form: its access cookie, as a browser keeps it. */
async function unlockedCookie(slug: string, password: string): Promise<string> {
  const form = new FormData();
  form.set("intent", "unlock");
  form.set("password", password);
  const thrown = await pageAction({
    request: new Request(`http://127.0.0.1:3000/status/${slug}`, { method: "POST", body: form }),
    params: { slug },
    context: context(),
  });
  return (thrown as Response).headers.get("set-cookie")!.split(";")[0]!;
}

const mailsTo = (email: string) => mail.messages.filter((message) => message.to.includes(email));

/** The confirm-again link in the newest such mail to `email` (waits for it). */
async function reconfirmLink(email: string, count = 1): Promise<string> {
  const mails = await eventually(`confirm-again mail ${count} to ${email}`, () => {
    const found = mailsTo(email).filter((message) => message.subject.includes("Confirm your subscription again"));
    return Promise.resolve(found.length >= count ? found : null);
  });
  return mails.at(-1)!.text.match(/https?:\/\/\S+\/reconfirm\?token=\S+/)![0];
}

describe("a page turning private", () => {
  it("pauses its subscriptions, mails each one link, and only the page's access check resumes one", async () => {
    const owner = await createUser(db);
    const api = callerFor(db, { user: owner });
    const monitor = await createMonitorRow(db, owner.id);
    const slug = unique("closing");
    const page = await api.statusPage.create({ name: "Acme", slug });
    await api.statusPage.setMonitors({ id: page.id, monitors: [{ monitorId: monitor.id, displayName: "API" }] });
    await api.statusPage.setPublished({ id: page.id, isPublished: true });
    const [ann, bob, cat] = ["ann", "bob", "cat"].map((name) => `${unique(name)}@example.test`) as [
      string,
      string,
      string,
    ];
    for (const email of [ann, bob, cat]) {
      await db.subscriber.create({
        data: { statusPageId: page.id, email, confirmTokenHash: unique("c"), confirmedAt: new Date() },
      });
    }
    // Someone who asked a moment ago but never confirmed: their opt-in link dies with the change.
    const pending = `${unique("pending")}@example.test`;
    await db.subscriber.create({ data: { statusPageId: page.id, email: pending, confirmTokenHash: unique("p") } });

    await api.statusPage.setAccess({ id: page.id, visibility: "PRIVATE", password: "first password" });
    expect(await db.subscriber.count({ where: { statusPageId: page.id, pausedAt: { not: null } } })).toBe(3);
    expect(await db.subscriber.count({ where: { email: pending } })).toBe(0);

    // While paused: no incident, announcement or maintenance mail is queued for them.
    expect(
      await enqueueForSubscribers(sqlOfPool(pool), monitor.id, null, {
        event: "incident.opened",
        occurredAt: new Date().toISOString(),
        monitor: { id: monitor.id, name: "API", url: "" },
        incident: null,
        tls: null,
      }),
    ).toBe(0);
    await api.statusPage.postAnnouncement({
      id: page.id,
      kind: "NOTICE",
      title: "While paused",
      message: "Nobody paused should read this.",
    });
    await api.maintenance.create({
      title: "Paused maintenance",
      startsAt: new Date(Date.now() + 3_600_000),
      endsAt: new Date(Date.now() + 7_200_000),
      monitorIds: [monitor.id],
    });
    expect(
      await db.notificationDelivery.count({
        where: { subscriber: { statusPageId: page.id }, event: { not: "subscription.reconfirm" } },
      }),
    ).toBe(0);

    // Each is mailed exactly one link, by the runner's outbox, over SMTP.
    runners.push(
      startTestRunner(inject("databaseUrl"), {
        region: uniqueRegion(),
        alerts: { smtpUrl: `smtp://127.0.0.1:${mail.smtpPort}` },
      }),
    );
    const links = { ann: await reconfirmLink(ann), bob: await reconfirmLink(bob), cat: await reconfirmLink(cat) };
    const first = mailsTo(bob)[0]!;
    expect(first.subject).toBe("[Acme] Confirm your subscription again");
    expect(first.text).toContain("Acme is now a private status page");
    expect(first.text).toContain("This link works for 7 days");
    expect(first.text).toMatch(/\/unsubscribe\?token=/);
    expect(new URL(links.bob).pathname).toBe(`/status/${slug}/reconfirm`);

    // No proof: refused, the subscription stays paused. A wrong password: refused too.
    expect(await reconfirm(links.ann, slug)).toMatchObject({
      status: 400,
      body: { error: "Enter the page's password to confirm." },
    });
    expect(await reconfirm(links.ann, slug, { password: "not the password" })).toMatchObject({
      status: 400,
      body: { error: "That is not the password of this page." },
    });
    // Another subscriber's link with someone's cookie still needs the token of its own: a forged one fails.
    expect((await reconfirm(links.bob.replace(/token=[^.]+/, "token=cknotasubscriber00"), slug)).status).toBe(404);

    // The password: resumed, and the page is open in this browser from now on.
    const bobDone = await reconfirm(links.bob, slug, { password: "first password" });
    expect(bobDone).toMatchObject({ status: 200, body: { ok: true, title: "Subscription confirmed" } });
    expect(bobDone.cookie).toMatch(/HttpOnly/);
    // The page's cookie from its own password form, and no password: resumed as well.
    const catDone = await reconfirm(links.cat, slug, { cookie: await unlockedCookie(slug, "first password") });
    expect(catDone).toMatchObject({ status: 200, body: { ok: true } });
    const paused = await db.subscriber.findMany({ where: { statusPageId: page.id, pausedAt: { not: null } } });
    expect(paused.map((subscriber) => subscriber.email)).toEqual([ann]);

    // Now an announcement reaches Bob and Cat, and not Ann.
    await api.statusPage.postAnnouncement({
      id: page.id,
      kind: "NOTICE",
      title: "After confirming",
      message: "Only those who confirmed read this.",
    });
    await eventually("the notice to Bob", () =>
      Promise.resolve(mailsTo(bob).some((message) => message.subject.includes("After confirming"))),
    );
    await eventually("the notice to Cat", () =>
      Promise.resolve(mailsTo(cat).some((message) => message.subject.includes("After confirming"))),
    );
    expect(mailsTo(ann).map((message) => message.subject)).toEqual(["[Acme] Confirm your subscription again"]);
    expect(mail.messages.some((message) => message.subject.includes("While paused"))).toBe(false);
    expect(mail.messages.some((message) => message.subject.includes("Paused maintenance"))).toBe(false);

    // A new password pauses everyone again; the older link no longer works, the new one does.
    await api.statusPage.setAccess({ id: page.id, visibility: "PRIVATE", password: "second password" });
    const bobAgain = await reconfirmLink(bob, 2);
    expect(mailsTo(bob).at(-1)!.text).toContain("The password of Acme's status page has changed");
    expect(await reconfirm(links.bob, slug, { password: "second password" })).toMatchObject({
      status: 410,
      body: { title: "This link no longer works", text: expect.stringMatching(/replaced by a newer one/) as unknown },
    });
    // The cookie set before the change opens nothing any more.
    expect((await reconfirm(bobAgain, slug, { cookie: bobDone.cookie!.split(";")[0]! })).status).toBe(400);
    expect(await reconfirm(bobAgain, slug, { password: "second password" })).toMatchObject({ status: 200 });

    // Subscribing again on the page, through its access check, resumes a paused subscription too.
    const cookie = await unlockedCookie(slug, "second password");
    await callerFor(db).statusPage.subscribe({
      slug,
      email: ann,
      access: { cookie: cookie.slice(cookie.indexOf("=") + 1) },
    });
    expect((await db.subscriber.findFirstOrThrow({ where: { email: ann } })).pausedAt).toBeNull();
    await expect(callerFor(db).statusPage.subscribe({ slug, email: cat })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    expect((await db.subscriber.findFirstOrThrow({ where: { email: cat } })).pausedAt).not.toBeNull();

    // Opened to anyone with the address: every paused subscription resumes, no link needed.
    await api.statusPage.setAccess({ id: page.id, visibility: "UNLISTED" });
    expect(await db.subscriber.count({ where: { statusPageId: page.id, pausedAt: { not: null } } })).toBe(0);
  });

  it("a confirm-again link expires after 7 days, and says so", async () => {
    const owner = await createUser(db);
    const api = callerFor(db, { user: owner });
    const slug = unique("expiring");
    const page = await api.statusPage.create({ name: "Old news", slug });
    await api.statusPage.setPublished({ id: page.id, isPublished: true });
    await api.statusPage.setAccess({ id: page.id, visibility: "PRIVATE", password: "the password" });
    const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000);
    const subscriber = await db.subscriber.create({
      data: {
        statusPageId: page.id,
        email: `${unique("late")}@example.test`,
        confirmTokenHash: unique("c"),
        confirmedAt: new Date(Date.now() - 30 * 86_400_000),
        pausedAt: eightDaysAgo,
      },
    });
    const key = await subscriberLinkKey(sqlOfPrisma(db));
    const link = `http://127.0.0.1:3000/status/${slug}/reconfirm?token=${reconfirmToken(key, subscriber.id, eightDaysAgo)}`;
    expect(await reconfirm(link, slug, { password: "the password" })).toMatchObject({
      status: 410,
      body: { title: "This link no longer works", text: expect.stringMatching(/has expired/) as unknown },
    });
    expect((await db.subscriber.findUniqueOrThrow({ where: { id: subscriber.id } })).pausedAt).not.toBeNull();
  });
});
