/**
 * Status pages on real PostgreSQL: the daily uptime visitors see agrees with incident
 * intervals; custom domains verify against a DNS server the test runs on 127.0.0.1 and
 * are then served by Host; subscribers confirm by mail and then get incident mails
 * through the engine's outbox; and nothing private reaches a public answer.
 */
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { createPgPool } from "../../core/db/pg-pool.ts";
import { loader as feedLoader } from "../../app/routes/status.$slug_.feed[.atom].ts";
import { loader as statusBadgeRoute } from "../../app/routes/status.$slug_.badge.$serviceId.status[.svg].ts";
import { loader as uptimeBadgeRoute } from "../../app/routes/status.$slug_.badge.$serviceId.uptime[.svg].ts";
import { customDomains } from "../../app/host/custom-domains.server.ts";
import { createLogger } from "../../core/logger.ts";
import { createDomainResolver } from "../../core/net/domain-resolver.ts";
import type { SessionUser } from "../../app/server/services/auth/session-user.server.ts";
import { loadPublicStatusPage } from "../../app/server/services/status-pages/public-page.server.ts";
import { createResultWriter } from "../../workers/results/writer.ts";
import type { Runner } from "../../workers/engine/runner.ts";
import type { AppLoadContext } from "@remix-run/node";
import { formatPercent } from "../../core/text/format.ts";
import { callerFor, fakeResolver, sharedCaches, testContext } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createFastMonitor, eventually, startTestRunner, uniqueRegion } from "../support/engine.ts";
import { createUser, unique } from "../support/factories.ts";
import { startFakeDns, startMailCatcher, type FakeDns, type MailCatcher } from "../support/fakes.ts";
import { memoryMailer } from "../support/mailbox.ts";
import { startTargetServer, type TargetServer } from "../support/target-server.ts";

const DAY = 86_400_000;
const db = testDb();
const pool = createPgPool(inject("databaseUrl"), 2);
let owner: SessionUser;
let dns: FakeDns;
let mail: MailCatcher;
let target: TargetServer;
const runners: Runner[] = [];

beforeAll(async () => {
  [dns, mail, target] = await Promise.all([startFakeDns(), startMailCatcher(), startTargetServer()]);
  owner = await db.user.update({
    where: { id: (await createUser(db, { name: "Owner Private Name" })).id },
    data: { emailVerified: true },
  });
});
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(runners.splice(0).map((runner) => runner.stop()));
});
afterAll(async () => {
  await Promise.all([dns.stop(), mail.stop(), target.stop(), pool.end()]);
  await db.$disconnect();
});

/** Which fields a failed call blames, as clients see them (zod's or the service's). */
async function fieldErrors(call: Promise<unknown>): Promise<Record<string, string[] | undefined>> {
  const error = (await call.then(
    () => expect.fail("expected the call to fail"),
    (e: unknown) => e,
  )) as { cause?: { fieldErrors?: Record<string, string[]>; issues?: { path: PropertyKey[]; message: string }[] } };
  if (error.cause?.fieldErrors) return error.cause.fieldErrors;
  const fields: Record<string, string[]> = {};
  for (const issue of error.cause?.issues ?? []) (fields[String(issue.path[0])] ??= []).push(issue.message);
  return fields;
}

/** The HTTP status a route answered with, or threw as a Response. */
const refusedStatus = (call: Promise<unknown>) =>
  call.then(
    (response) => (response instanceof Response ? response.status : 200),
    (response: Response) => response.status,
  );

/** The badge routes' loaders, as Remix calls them. */
function statusBadge(context: AppLoadContext, slug: string, serviceId: string): Promise<Response> {
  const request = new Request(`http://127.0.0.1:3000/status/${slug}/badge/${serviceId}/status.svg`);
  return statusBadgeRoute({ request, params: { slug, serviceId }, context });
}
function uptimeBadge(context: AppLoadContext, slug: string, serviceId: string, days: string): Promise<Response> {
  const request = new Request(`http://127.0.0.1:3000/status/${slug}/badge/${serviceId}/uptime.svg?days=${days}`);
  return uptimeBadgeRoute({ request, params: { slug, serviceId }, context });
}

const api = (options: Parameters<typeof callerFor>[1] = {}) => callerFor(db, { user: owner, ...options });

async function publishedPage(monitors: { monitorId: string; displayName: string; section?: string }[]) {
  const page = await api().statusPage.create({ name: "Acme status", slug: unique("acme") });
  await api().statusPage.setMonitors({ id: page.id, monitors });
  await api().statusPage.setPublished({ id: page.id, isPublished: true });
  return page;
}

const verdict = (status: "UP" | "DOWN") =>
  ({
    status,
    statusCode: status === "UP" ? 200 : 503,
    responseTimeMs: 40,
    timings: { dnsMs: 1, connectMs: 2, tlsMs: null, ttfbMs: 30, downloadMs: 7 },
    tlsExpiresAt: null,
    errorClass: status === "UP" ? null : "status",
    error: status === "UP" ? null : "HTTP 503 from the secret backend",
    snapshot: null,
  }) as const;

/** Check results through the engine's own writer, as runners store them. */
async function writeChecks(monitorId: string, checks: [Date, "UP" | "DOWN"][]) {
  const writer = createResultWriter({ pool, logger: createLogger("silent"), queueLimit: 1_000, flushIntervalMs: 10 });
  for (const [at, status] of checks) {
    writer.push({
      monitorId,
      region: "default",
      scheduledAt: at,
      checkedAt: at,
      leaseUntil: null,
      verdict: verdict(status),
    });
    await writer.drain(5_000);
  }
  writer.stop();
}

describe("managing status pages", () => {
  it("refuses reserved and taken slugs with the field named", async () => {
    expect(await fieldErrors(api().statusPage.create({ name: "x", slug: "login" }))).toEqual({
      slug: ["This address is reserved: choose another"],
    });
    const taken = await api().statusPage.create({ name: "First", slug: unique("taken") });
    const other = await createUser(db);
    const second = callerFor(db, { user: other }).statusPage.create({ name: "Second", slug: taken.slug });
    expect((await fieldErrors(second)).slug?.join(" ")).toMatch(/taken/i);
  });

  it("lets only owners with a verified email publish; unpublished pages are not public", async () => {
    const unverified = await createUser(db, { emailVerified: false });
    const caller = callerFor(db, { user: unverified });
    const page = await caller.statusPage.create({ name: "Draft", slug: unique("draft") });
    await expect(caller.statusPage.setPublished({ id: page.id, isPublished: true })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "Verify your email address before publishing a status page.",
    });
    await expect(callerFor(db).statusPage.public({ slug: page.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses a page listing one monitor twice, naming the field, and keeps its services as they were", async () => {
    const page = await api().statusPage.create({ name: "Twice", slug: unique("twice") });
    const monitor = await api().monitor.create({ url: "http://127.0.0.1:9/", name: "Once" });
    await api().statusPage.setMonitors({ id: page.id, monitors: [{ monitorId: monitor.id, displayName: "Once" }] });
    const twice = api().statusPage.setMonitors({
      id: page.id,
      monitors: [
        { monitorId: monitor.id, displayName: "Once" },
        { monitorId: monitor.id, displayName: "Again" },
      ],
    });
    expect(await fieldErrors(twice)).toEqual({ monitors: ["A monitor is listed twice"] });
    expect((await api().statusPage.byId({ id: page.id })).monitors.map((m) => m.monitorId)).toEqual([monitor.id]);
  });
});

describe("public status page", () => {
  it("gives a day with a 36-minute incident 97.5 % uptime, and the period uptime to match", async () => {
    const monitor = await api().monitor.create({ url: "http://127.0.0.1:9/bars", name: "Private name" });
    await db.monitor.update({ where: { id: monitor.id }, data: { createdAt: new Date(Date.now() - 10 * DAY) } });
    const outageDay = Math.floor(Date.now() / DAY) * DAY - 3 * DAY;
    const at = (minutes: number) => new Date(outageDay + 10 * 3_600_000 + minutes * 60_000);
    await writeChecks(monitor.id, [
      [new Date(outageDay - DAY + 3_600_000), "UP"],
      [at(0), "UP"],
      [at(5), "DOWN"],
      [at(41), "UP"],
      [new Date(outageDay + DAY + 3_600_000), "UP"],
    ]);
    const page = await publishedPage([{ monitorId: monitor.id, displayName: "API" }]);

    const view = (await loadPublicStatusPage(db, page.slug))!;
    const service = view.sections[0]!.services[0]!;
    expect(service.bars).toHaveLength(90);
    const bar = service.bars.find((b) => b.day.getTime() === outageDay)!;
    expect(bar).toMatchObject({ uptimePercent: 97.5, downtimeSeconds: 36 * 60, incidents: 1 });
    expect(service.bars.filter((b) => b.uptimePercent === 100)).toHaveLength(2);
    // The period: 36 minutes down in the three days with checks (three decimals, rounded down).
    expect(service.uptimePercent).toBe(99.166);
    expect(view.overall).toBe("operational");
    expect(view.pastIncidents).toEqual([
      expect.objectContaining({ title: "API outage", service: "API", durationSeconds: 36 * 60 }),
    ]);
  });

  it("serves cacheable SVG badges of a service's state and uptime, and 404s for anything not public", async () => {
    const monitor = await api().monitor.create({ url: "http://127.0.0.1:9/badge", name: "Private badge name" });
    await db.monitor.update({ where: { id: monitor.id }, data: { createdAt: new Date(Date.now() - 10 * DAY) } });
    const outageDay = Math.floor(Date.now() / DAY) * DAY - 2 * DAY;
    const at = (minutes: number) => new Date(outageDay + 10 * 3_600_000 + minutes * 60_000);
    await writeChecks(monitor.id, [
      [at(0), "UP"],
      [at(5), "DOWN"],
      [at(41), "UP"],
      [new Date(Math.max(Date.now() - 60_000, Math.floor(Date.now() / DAY) * DAY)), "UP"], // today, even at 00:00
    ]);
    const page = await publishedPage([{ monitorId: monitor.id, displayName: "Checkout" }]);
    const context = testContext(db);
    // Badges name a service by its public id (from the page's JSON), never the monitor's own id.
    const serviceId = (await api().statusPage.public({ slug: page.slug })).sections[0]!.services[0]!.id;
    expect(serviceId).not.toBe(monitor.id);
    expect(await refusedStatus(statusBadge(context, page.slug, monitor.id))).toBe(404);

    const status = await statusBadge(context, page.slug, serviceId);
    expect(status.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(status.headers.get("cache-control")).toMatch(/^public, max-age=\d+/);
    const statusSvg = await status.text();
    expect(statusSvg).toMatch(/^<svg/);
    expect(statusSvg).toContain("Checkout");
    expect(statusSvg).toContain("operational");
    expect(statusSvg).not.toContain("Private badge name");

    // The week's days with data: the outage day (97.5 %) and today so far (100 %). One
    // frozen instant for the badge and the figure it must show: "today so far" grows
    // with the clock, and uptime is rounded down (never up), so a figure computed a few
    // milliseconds apart, or rounded to nearest, once read 98.33 % against 98.32 %.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    const todaySeconds = (Date.now() - Math.floor(Date.now() / DAY) * DAY) / 1000;
    const weekly = 100 * (1 - 2160 / (86_400 + todaySeconds));
    let week: string;
    try {
      week = await (await uptimeBadge(context, page.slug, serviceId, "7")).text();
    } finally {
      vi.useRealTimers();
    }
    expect(week).toContain("uptime 7d");
    // Shown with at most two decimals, rounded down (core/text/format.ts).
    expect(week).toContain(formatPercent(weekly));
    expect(await (await uptimeBadge(context, page.slug, serviceId, "1")).text()).toContain("100%");

    const refused = refusedStatus;
    expect(await refused(uptimeBadge(context, page.slug, serviceId, "2"))).toBe(400);
    expect(await refused(statusBadge(context, page.slug, "not-on-this-page"))).toBe(404);
    await api().statusPage.setPublished({ id: page.id, isPublished: false });
    expect(await refused(statusBadge(context, page.slug, serviceId))).toBe(404);
  });

  it("turns to partial outage while one of two services is down, with the incident and the owner's updates", async () => {
    const healthy = await api().monitor.create({ url: "http://127.0.0.1:9/web", name: "Web" });
    const broken = await api().monitor.create({ url: "http://127.0.0.1:9/db", name: "Database" });
    await writeChecks(healthy.id, [[new Date(Date.now() - 60_000), "UP"]]);
    await writeChecks(broken.id, [[new Date(Date.now() - 60_000), "DOWN"]]);
    const page = await publishedPage([
      { monitorId: healthy.id, displayName: "Website", section: "Frontend" },
      { monitorId: broken.id, displayName: "Storage", section: "Backend" },
    ]);
    const incident = (await api().statusPage.incidents({ id: page.id }))[0]!;
    await api().statusPage.postIncidentUpdate({
      incidentId: incident.id,
      status: "IDENTIFIED",
      message: "A disk filled up; we are freeing space.",
    });

    const view = await callerFor(db).statusPage.public({ slug: page.slug });
    expect(view.overall).toBe("partial_outage");
    expect(view.sections.map((s) => [s.name, s.services.map((x) => [x.name, x.state])])).toEqual([
      ["Frontend", [["Website", "operational"]]],
      ["Backend", [["Storage", "outage"]]],
    ]);
    expect(view.activeIncidents).toEqual([
      expect.objectContaining({
        title: "Storage outage",
        updates: [
          expect.objectContaining({ status: "IDENTIFIED", message: "A disk filled up; we are freeing space." }),
        ],
      }),
    ]);

    // The Atom feed carries the same incident and update.
    const feed = await (
      await feedLoader({
        request: new Request(`http://127.0.0.1:3000/status/${page.slug}/feed.atom`),
        params: { slug: page.slug },
        context: testContext(db),
      })
    ).text();
    expect(feed).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect(feed).toContain("Storage outage");
    expect(feed).toContain("A disk filled up; we are freeing space.");
    expect(feed).not.toContain("127.0.0.1:9");
  });

  it("never reveals a monitor's URL, headers, error, internal name or the owner", async () => {
    const monitor = await api().monitor.create({
      url: "http://127.0.0.1:9/internal-admin-path?key=url-secret",
      name: "internal-db-primary",
      headers: [{ name: "Authorization", value: "Bearer header-secret" }],
    });
    await writeChecks(monitor.id, [[new Date(Date.now() - 30_000), "DOWN"]]);
    const page = await publishedPage([{ monitorId: monitor.id, displayName: "Database" }]);
    const incident = (await api().statusPage.incidents({ id: page.id }))[0]!;
    await api().statusPage.postIncidentUpdate({ incidentId: incident.id, status: "INVESTIGATING", message: "Looking" });

    const json = JSON.stringify(await callerFor(db).statusPage.public({ slug: page.slug }));
    expect(json).toContain("Database");
    for (const secret of [
      "internal-admin-path",
      "url-secret",
      "127.0.0.1",
      "header-secret",
      "Authorization",
      "secret backend",
      "HTTP 503",
      "internal-db-primary",
      owner.email,
      "Owner Private Name",
      owner.id,
    ])
      expect(json, secret).not.toContain(secret);
  });
});

describe("maintenance windows", () => {
  it("open no incident for failures inside the window and show the service as in maintenance", async () => {
    const monitor = await api().monitor.create({ url: "http://127.0.0.1:9/maint", name: "Maint" });
    await api().maintenance.create({
      title: "Database upgrade",
      startsAt: new Date(Date.now() - 10 * 60_000),
      endsAt: new Date(Date.now() + 10 * 60_000),
      monitorIds: [monitor.id],
    });
    await writeChecks(monitor.id, [
      [new Date(Date.now() - 5 * 60_000), "DOWN"],
      [new Date(Date.now() - 4 * 60_000), "DOWN"],
    ]);
    expect(await db.incident.count({ where: { monitorId: monitor.id } })).toBe(0);
    expect(await db.notificationDelivery.count({ where: { monitorId: monitor.id } })).toBe(0);

    const page = await publishedPage([{ monitorId: monitor.id, displayName: "Primary DB" }]);
    const view = (await loadPublicStatusPage(db, page.slug))!;
    expect(view.overall).toBe("maintenance");
    expect(view.maintenance).toEqual([
      expect.objectContaining({ title: "Database upgrade", services: ["Primary DB"], active: true }),
    ]);
    expect(view.sections[0]!.services[0]!.bars.at(-1)!.downtimeSeconds).toBe(0);
  });
});

describe("custom domains", () => {
  const domainApi = () => api({ dns: createDomainResolver([dns.server]) });

  it("verify against the configured DNS server, then that Host is served the page", async () => {
    const page = await publishedPage([]);
    const domain = `${unique("status")}.acme.test`;
    const added = await domainApi().statusPage.setDomain({ id: page.id, domain });
    expect(added.status).toBe("PENDING");
    const txt = added.records.find((record) => record.type === "TXT")!;
    expect(txt.name).toBe(`_better-uptime.${domain}`);

    dns.setTxt(txt.name, ["v=spf1 -all", txt.value]);
    const verified = await domainApi().statusPage.verifyDomain({ id: page.id });
    expect(verified).toMatchObject({ status: "VERIFIED", failureReason: null });

    // The app's Host routing in front of a handler that shows where a request landed.
    const app = express();
    app.use(customDomains(db, sharedCaches.hosts, "127.0.0.1"));
    app.use((req, res) => res.type("text/plain").send(req.url));
    const server = app.listen(0, "127.0.0.1");
    await once(server, "listening");
    const get = (host: string, path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        http
          .get({ host: "127.0.0.1", port: (server.address() as AddressInfo).port, path, headers: { host } }, (res) => {
            let body = "";
            res.on("data", (chunk: Buffer) => (body += chunk.toString()));
            res.on("end", () => resolve({ status: res.statusCode!, body }));
          })
          .on("error", reject);
      });
    try {
      expect(await get(domain, "/")).toEqual({ status: 200, body: `/status/${page.slug}` });
      expect(await get(domain, "/feed.atom?x=1")).toEqual({ status: 200, body: `/status/${page.slug}/feed.atom?x=1` });
      expect((await get(domain, "/status/another-page")).status).toBe(404);
      expect(await get("127.0.0.1", "/monitors")).toEqual({ status: 200, body: "/monitors" });

      const pending = `${unique("pending")}.acme.test`;
      const otherPage = await publishedPage([]);
      await domainApi().statusPage.setDomain({ id: otherPage.id, domain: pending });
      // A claim changes no routing until it is proven: that host is still the app's.
      expect(await get(pending, "/monitors")).toEqual({ status: 200, body: "/monitors" });
    } finally {
      server.close();
    }
  });

  it("fail with the reason when the TXT record is wrong or missing, and verify once corrected", async () => {
    const page = await publishedPage([]);
    const domain = `${unique("wrong")}.acme.test`;
    const added = await domainApi().statusPage.setDomain({ id: page.id, domain });
    const txt = added.records.find((record) => record.type === "TXT")!;

    const missing = await domainApi().statusPage.verifyDomain({ id: page.id });
    expect(missing.status).toBe("FAILED");
    expect(missing.failureReason).toBe(
      `No TXT record found at ${txt.name}. Create it, wait for DNS to update, then verify again.`,
    );

    dns.setTxt(txt.name, ["better-uptime-verification=not-the-token"]);
    const wrong = await domainApi().statusPage.verifyDomain({ id: page.id });
    expect(wrong.status).toBe("FAILED");
    expect(wrong.failureReason).toBe(
      `The TXT record at ${txt.name} is "better-uptime-verification=not-the-token", not "${txt.value}". Correct it, then verify again.`,
    );

    dns.setTxt(txt.name, [txt.value]);
    expect((await domainApi().statusPage.verifyDomain({ id: page.id })).status).toBe("VERIFIED");
    await domainApi().statusPage.removeDomain({ id: page.id });
    expect(await db.statusPageDomain.count({ where: { domain } })).toBe(0);
  });
});

describe("subscribers", () => {
  it("get a double opt-in mail, then incident mails through the outbox, and can leave in one click", async () => {
    const region = uniqueRegion();
    const monitor = await createFastMonitor(db, owner.id, {
      url: target.url(`/status/503?${region}`),
      regions: [region],
    });
    const page = await publishedPage([{ monitorId: monitor.id, displayName: "Checkout" }]);
    const mailer = memoryMailer();
    const visitor = callerFor(db, { mailer, resolve: fakeResolver() });
    const email = `${unique("reader")}@example.test`;

    await visitor.statusPage.subscribe({ slug: page.slug, email });
    expect(mailer.sent).toEqual([
      expect.objectContaining({ to: email, subject: "Confirm your subscription to Acme status" }),
    ]);
    const confirmLink = new URL(mailer.linkTo(email, "/confirm"));
    expect(confirmLink.pathname).toBe(`/status/${page.slug}/confirm`);
    // Before confirming, nothing is sent to the address.
    expect(await db.subscriber.findFirstOrThrow({ where: { email } })).toMatchObject({ confirmedAt: null });
    await visitor.statusPage.confirmSubscription({ token: confirmLink.searchParams.get("token")! });

    runners.push(
      startTestRunner(inject("databaseUrl"), { region, alerts: { smtpUrl: `smtp://127.0.0.1:${mail.smtpPort}` } }),
    );
    const incidentMail = await eventually("the incident mail", () =>
      Promise.resolve(mail.messages.find((m) => m.to.includes(email))),
    );
    expect(incidentMail.subject).toBe("[Acme status] Checkout is experiencing an outage");
    expect(incidentMail.text).toContain(`/status/${page.slug}`);
    expect(incidentMail.text).not.toContain(target.url("/"));
    // Nor the cause (the status code), though the mail's times may hold the digits (".503Z").
    expect(incidentMail.text).not.toMatch(/(?<![\d.])503(?!\d)/);

    const unsubscribeLink = incidentMail.text.match(/https?:\/\/\S+\/unsubscribe\?token=(\S+)/);
    expect(unsubscribeLink).not.toBeNull();
    await visitor.statusPage.unsubscribe({ token: decodeURIComponent(unsubscribeLink![1]!) });
    expect(await db.subscriber.count({ where: { email } })).toBe(0);
  });
});
