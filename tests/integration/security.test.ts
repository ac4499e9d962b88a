/**
 * Attacks on the app, one test each, named after the attack (issue 12). Each failed
 * against the code before its fix.
 */
import { once } from "node:events";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import type { TRPCError } from "@trpc/server";
import express from "express";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadEnv } from "../../core/env.ts";
import { bodySizeLimit } from "../../app/host/request-limits.server.ts";
import { handleTrpcRequest } from "../../app/trpc/http.server.ts";
import { parseAllowedNetworks } from "../../core/net/target-policy.ts";
import { createTargetResolver } from "../../core/net/target-resolver.ts";
import { runCheck } from "../../workers/engine/probes/http.ts";
import { httpCheckRequest } from "../support/check-request.ts";
import { loader as feedLoader } from "../../app/routes/status.$slug_.feed[.atom].ts";
import { loader as pageJsonLoader } from "../../app/routes/status.$slug[.json].ts";
import { loader as logoLoader } from "../../app/routes/status.$slug_.logo.ts";
import * as confirmRoute from "../../app/routes/status.$slug_.confirm.tsx";
import * as unsubscribeRoute from "../../app/routes/status.$slug_.unsubscribe.tsx";
import { deliverToSubscriber } from "../../workers/notifications/send.ts";
import { subscriberLinkKey, unsubscribeToken } from "../../core/outbox/subscriber-links.ts";
import { sqlOfClient, sqlOfPrisma } from "../../core/db/sql.ts";
import { lockQuota } from "../../core/db/queries/quotas.ts";
import { createDomainResolver } from "../../core/net/domain-resolver.ts";
import { recheckVerifiedDomains } from "../../app/server/services/status-pages/domains.server.ts";
import { HostCache } from "../../app/server/services/process/host-cache.server.ts";
import { startFakeDns } from "../support/fakes.ts";
import { callerFor, ownerScope, sharedCaches, testContext } from "../support/caller.ts";

/** Which page a Host is served, from the database (a fresh cache every time). */
const pageForHost = (host: string) => new HostCache().match(db, host);
import { memoryMailer } from "../support/mailbox.ts";
import { Writable } from "node:stream";
import { createLogger } from "../../core/logger.ts";
import { createMailer } from "../../app/server/mail/mailer.server.ts";
import { createPgPool } from "../../core/db/pg-pool.ts";
import { createRateLimits, LIMITS } from "../../app/server/services/process/rate-limits.server.ts";
import { enqueueForMonitor } from "../../core/outbox/enqueue.ts";
import { connectGitHub } from "../../app/server/services/auth/github-login.server.ts";
import { testDb } from "../support/db.ts";
import { createUser, createMonitorRow, unique } from "../support/factories.ts";

const db = testDb();
let ownerId: string;

beforeAll(async () => {
  ownerId = (await createUser(db)).id;
});
afterAll(async () => {
  await db.$disconnect();
});

/** A published page showing one monitor, as the owner would set it up. */
async function publishedPage() {
  const monitor = await createMonitorRow(db, ownerId);
  const page = await db.statusPage.create({
    data: {
      userId: ownerId,
      name: "Acme",
      slug: unique("acme"),
      isPublished: true,
      monitors: { create: [{ monitorId: monitor.id, displayName: "API" }] },
    },
  });
  return { page, monitor };
}

async function fetchFeed(slug: string): Promise<Response> {
  return feedLoader({
    request: new Request(`http://127.0.0.1:3000/status/${slug}/feed.atom`),
    params: { slug },
    context: testContext(db),
  });
}

export const FEED_PAYLOAD =
  'Upgrade ]]> ]]><script xmlns="http://www.w3.org/1999/xhtml">alert(document.domain)</script>';

describe("Atom feed injection", () => {
  it("a maintenance title closing CDATA twice stays text: no markup from owners reaches the feed", async () => {
    const { page, monitor } = await publishedPage();
    await db.maintenanceWindow.create({
      data: {
        userId: ownerId,
        title: FEED_PAYLOAD,
        description: "<img src=x onerror=alert(1)>",
        startsAt: new Date(Date.now() + 3_600_000),
        endsAt: new Date(Date.now() + 7_200_000),
        monitors: { create: [{ monitorId: monitor.id }] },
      },
    });
    const response = await fetchFeed(page.slug);
    const xml = await response.text();
    expect(response.headers.get("content-type")).toMatch(/^application\/atom\+xml/);
    expect(xml).not.toContain("<script");
    expect(xml).not.toContain("<img");
    expect(xml).not.toContain("CDATA");
    expect(xml).not.toContain('type="html"');
    expect(xml).toContain(
      '<title type="text">Maintenance: Upgrade ]]&gt; ]]&gt;&lt;script xmlns=&quot;http://www.w3.org/1999/xhtml&quot;&gt;',
    );
  });
});

/** A server on 127.0.0.1 recording the headers of each request; `respond` answers it. */
async function headerRecorder(respond: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const seen: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    respond(req, res);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { port, seen, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("credential leak through a monitored redirect", () => {
  it("the user's headers go to the monitored origin only, never to the origin a redirect names", async () => {
    const elsewhere = await headerRecorder((_req, res) => res.end("ok"));
    const monitored = await headerRecorder((_req, res) =>
      res.writeHead(302, { location: `http://localhost:${elsewhere.port}/landing` }).end(),
    );
    try {
      const request = httpCheckRequest(`http://127.0.0.1:${monitored.port}/start`, {
        headers: [
          { name: "Authorization", value: "Bearer secret-token" },
          { name: "Cookie", value: "session=secret-cookie" },
          { name: "X-Api-Key", value: "secret-key" },
        ],
        maxRedirects: 3,
        maxBodyBytes: 1024,
      });
      const outcome = await runCheck(request, {
        policy: { allowedNetworks: parseAllowedNetworks("127.0.0.0/8") },
        resolve: createTargetResolver(),
      });
      expect(outcome.status).toBe("UP");
      expect(monitored.seen[0]).toMatchObject({ authorization: "Bearer secret-token", "x-api-key": "secret-key" });
      expect(elsewhere.seen).toHaveLength(1);
      expect(JSON.stringify(elsewhere.seen[0])).not.toMatch(/secret/);
    } finally {
      await Promise.all([monitored.stop(), elsewhere.stop()]);
    }
  });
});

describe("rate-limit evasion by a spoofed X-Forwarded-For", () => {
  async function clientIpSeen(trustProxy: string, forwardedFor: string): Promise<string> {
    const app = express();
    app.set("trust proxy", loadEnv({ TRUST_PROXY: trustProxy }).TRUST_PROXY);
    app.get("/", (req, res) => res.send(req.ip));
    const server = app.listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const { port } = server.address() as AddressInfo;
      return await (await fetch(`http://127.0.0.1:${port}/`, { headers: { "x-forwarded-for": forwardedFor } })).text();
    } finally {
      server.close();
    }
  }

  it("behind one proxy, the address the proxy saw counts, not one the client wrote", async () => {
    // The client wrote 203.0.113.66; our proxy appended the address it really saw.
    expect(await clientIpSeen("1", "203.0.113.66, 203.0.113.9")).toBe("203.0.113.9");
    expect(await clientIpSeen("true", "203.0.113.66, 203.0.113.9")).toBe("203.0.113.9");
    expect(await clientIpSeen("127.0.0.1/32", "203.0.113.66, 203.0.113.9")).toBe("203.0.113.9");
    expect(await clientIpSeen("false", "203.0.113.66")).toBe("127.0.0.1");
  });

  it("refuses a TRUST_PROXY it cannot read", () => {
    expect(() => loadEnv({ TRUST_PROXY: "everyone" })).toThrow(/TRUST_PROXY must be false, a number of proxies/);
  });
});

describe("resource exhaustion by oversized requests", () => {
  it("a tRPC batch of more than 20 calls is refused with 400", async () => {
    const call = (n: number) =>
      handleTrpcRequest(
        new Request(`http://127.0.0.1:3000/api/trpc/${Array(n).fill("health").join(",")}?batch=1`),
        testContext(db),
      );
    expect((await call(20)).status).toBe(200);
    expect((await call(21)).status).toBe(400);
  });

  /** The body limit in front of a route that counts the requests it is handed, on a free port. */
  async function limitedServer() {
    const app = express();
    const reached = { count: 0 };
    app.use(bodySizeLimit());
    app.all("/api/trpc/monitor.create", (_req, res) => {
      reached.count += 1;
      res.send("read");
    });
    const server = app.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    // A request the limit forgot to answer or pass on must fail here, not hang the run.
    const post = (body: BodyInit, init: RequestInit = {}) =>
      fetch(`http://127.0.0.1:${port}/api/trpc/monitor.create`, {
        method: "POST",
        body,
        signal: AbortSignal.timeout(10_000),
        ...init,
      });
    return { port, reached, post, close: () => server.close() };
  }

  /** A request of unknown length: a body sent in chunks, without Content-Length. */
  const chunked = () =>
    new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("{}"));
        controller.close();
      },
    });

  /** The status line and body of what `request` (raw HTTP/1.1, its own connection) is answered. */
  async function rawAnswer(port: number, request: string): Promise<string> {
    const socket = net.connect(port, "127.0.0.1");
    socket.setTimeout(10_000, () => socket.destroy(new Error("no answer within 10 s")));
    socket.end(request);
    let answer = "";
    for await (const chunk of socket) answer += String(chunk);
    return `${answer.split("\r\n")[0]} ${answer.split("\r\n\r\n")[1]}`;
  }

  it("a body over 1 MiB is refused with 413, and one of unknown length with 411, before anything reads it", async () => {
    const { reached, post, close } = await limitedServer();
    try {
      expect((await post("x".repeat(1024 * 1024 + 1))).status).toBe(413);
      expect((await post(chunked(), { duplex: "half" })).status).toBe(411);
      expect(reached.count).toBe(0);
      expect((await post("{}")).status).toBe(200);
    } finally {
      close();
    }
  });

  it("the refusals say in plain text what to change: the limit in KiB, or a Content-Length", async () => {
    const { post, close } = await limitedServer();
    try {
      const tooLarge = await post("x".repeat(1024 * 1024 + 1));
      expect(tooLarge.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(await tooLarge.text()).toBe("Request bodies are limited to 1024 KiB.");
      const unknownLength = await post(chunked(), { duplex: "half" });
      expect(unknownLength.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(await unknownLength.text()).toBe("Send the request body with a Content-Length.");
    } finally {
      close();
    }
  });

  it("a body of exactly 1 MiB is read, and so is a POST without any body (curl -X POST sends no length)", async () => {
    const { port, reached, post, close } = await limitedServer();
    try {
      expect((await post("x".repeat(1024 * 1024))).status).toBe(200);
      expect(reached.count).toBe(1);
      expect(
        await rawAnswer(port, "POST /api/trpc/monitor.create HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
      ).toBe("HTTP/1.1 200 OK read");
    } finally {
      close();
    }
  });

  it("a GET, HEAD or OPTIONS is answered whatever body it announces: nothing reads their bodies", async () => {
    const { port, close } = await limitedServer();
    const send = (method: string, headers: string, body: string) =>
      rawAnswer(
        port,
        `${method} /api/trpc/monitor.create HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headers}\r\n\r\n${body}`,
      );
    try {
      for (const method of ["GET", "OPTIONS"]) {
        expect(await send(method, "Transfer-Encoding: chunked", "2\r\n{}\r\n0\r\n\r\n")).toBe("HTTP/1.1 200 OK read");
      }
      // A HEAD answer has no body.
      expect(await send("HEAD", "Transfer-Encoding: chunked", "2\r\n{}\r\n0\r\n\r\n")).toBe("HTTP/1.1 200 OK ");
      expect(await send("GET", `Content-Length: ${1024 * 1024 + 1}`, "x".repeat(1024 * 1024 + 1))).toBe(
        "HTTP/1.1 200 OK read",
      );
    } finally {
      close();
    }
  });
});

const PASSWORD = "correct horse battery";
const tokenIn = (link: string) => new URL(link).searchParams.get("token")!;

describe("account pre-hijacking", () => {
  it("an account whose address is not verified can create no API token, alert channel or GitHub connection", async () => {
    const unverified = await createUser(db, { emailVerified: false });
    const api = callerFor(db, { user: unverified });
    await expect(api.account.apiTokens.create({ name: "keep" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      api.notification.create({ type: "EMAIL", name: "me", target: "someone@example.test" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      connectGitHub(ownerScope(db, unverified.id), {
        id: "424242",
        login: "attacker",
        name: null,
        avatarUrl: null,
        verifiedEmails: [],
      }),
    ).rejects.toThrow(/Verify your email address/);
    expect(await db.apiToken.count({ where: { userId: unverified.id } })).toBe(0);
  });

  it("the real owner's password reset ends every session, token and connection the squatter made", async () => {
    const mailer = memoryMailer();
    const victim = `${unique("victim")}@example.test`;
    // The attacker signs up first with the victim's address, and (as older versions let
    // them) keeps a session, an API token and a GitHub connection.
    await callerFor(db, { mailer }).auth.signUp({ email: victim, password: "attacker's password" });
    const squatted = await db.user.findUniqueOrThrow({ where: { email: victim } });
    await db.session.create({
      data: { id: unique("s"), userId: squatted.id, expiresAt: new Date(Date.now() + 86_400_000) },
    });
    await db.apiToken.create({
      data: { userId: squatted.id, name: "backdoor", tokenHash: unique("t"), prefix: "bu_x" },
    });
    await db.account.create({ data: { userId: squatted.id, provider: "github", providerAccountId: unique("gh") } });

    // The real owner asks for a reset and follows the link.
    await callerFor(db, { mailer }).auth.requestPasswordReset({ email: victim });
    await callerFor(db).auth.resetPassword({
      token: tokenIn(mailer.linkTo(victim, "/reset-password")),
      password: PASSWORD,
    });

    expect(await db.session.count({ where: { userId: squatted.id } })).toBe(0);
    expect(await db.apiToken.count({ where: { userId: squatted.id } })).toBe(0);
    expect(await db.account.count({ where: { userId: squatted.id } })).toBe(0);
  });

  it("the real owner's first verification ends what the squatter made, too", async () => {
    const mailer = memoryMailer();
    const victim = `${unique("victim")}@example.test`;
    await callerFor(db, { mailer }).auth.signUp({ email: victim, password: "attacker's password" });
    const squatted = await db.user.findUniqueOrThrow({ where: { email: victim } });
    await db.apiToken.create({
      data: { userId: squatted.id, name: "backdoor", tokenHash: unique("t"), prefix: "bu_x" },
    });
    const verified = await callerFor(db).auth.verifyEmail({ token: tokenIn(mailer.linkTo(victim, "/verify-email")) });
    expect(verified.signIn).toBe(true);
    expect(await db.apiToken.count({ where: { userId: squatted.id } })).toBe(0);
  });
});

describe("account takeover with a stolen session", () => {
  it("changing the email address asks for the current password", async () => {
    const mailer = memoryMailer();
    const email = `${unique("owner")}@example.test`;
    await callerFor(db, { mailer }).auth.signUp({ email, password: PASSWORD });
    const user = await callerFor(db).auth.verifyEmail({ token: tokenIn(mailer.linkTo(email, "/verify-email")) });
    const thief = callerFor(db, { user, mailer });
    await expect(thief.account.changeEmail({ email: `${unique("thief")}@example.test` })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      thief.account.changePassword({ currentPassword: "a guess at it", newPassword: "thief's new password" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("an email-change link never signs its clicker in", async () => {
    const mailer = memoryMailer();
    const email = `${unique("owner")}@example.test`;
    await callerFor(db, { mailer }).auth.signUp({ email, password: PASSWORD });
    const user = await callerFor(db).auth.verifyEmail({ token: tokenIn(mailer.linkTo(email, "/verify-email")) });
    const moved = `${unique("moved")}@example.test`;
    await callerFor(db, { user, mailer }).account.changeEmail({ email: moved, currentPassword: PASSWORD });
    const changed = await callerFor(db).auth.verifyEmail({ token: tokenIn(mailer.linkTo(moved, "/verify-email")) });
    expect(changed).toMatchObject({ email: moved, signIn: false });
  });
});

describe("the instance as a weapon", () => {
  it("mail bombing through an email channel: a stranger's address gets one confirmation mail and nothing else until it agrees", async () => {
    const mailer = memoryMailer();
    const user = await createUser(db);
    const api = callerFor(db, { user, mailer });
    const channel = await api.notification.create({ type: "EMAIL", name: "victim", target: "victim@example.test" });
    expect(channel.awaitingConfirmation).toBe(true);
    expect(mailer.sent.map((m) => [m.to, m.subject])).toEqual([
      ["victim@example.test", "Do you want monitoring alerts from Better Uptime?"],
    ]);
    await expect(api.notification.test({ id: channel.id })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const monitor = await createMonitorRow(db, user.id);
    await db.monitorChannel.create({ data: { monitorId: monitor.id, channelId: channel.id } });
    const queued = await enqueueForMonitor(sqlOfPrisma(db), monitor.id, null, {
      event: "incident.opened",
      occurredAt: new Date().toISOString(),
      monitor: { id: monitor.id, name: null, url: monitor.url },
      incident: null,
      tls: null,
    });
    expect(queued).toBe(0);
    // The owner's own verified address needs no confirmation.
    const own = await api.notification.create({ type: "EMAIL", name: "me", target: user.email });
    expect(own.awaitingConfirmation).toBe(false);
  });

  it("a comma list (or anything but one address) as an updated email target is refused", async () => {
    const user = await createUser(db);
    const api = callerFor(db, { user });
    const channel = await api.notification.create({ type: "EMAIL", name: "me", target: user.email });
    await expect(
      api.notification.update({ id: channel.id, target: "a@example.test, b@example.test" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const hook = await api.notification.create({ type: "WEBHOOK", name: "hook", target: "http://127.0.0.1:9/hook" });
    await expect(api.notification.update({ id: hook.id, target: "file:///etc/passwd" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("test alerts, check-now and bulk actions are rate limited per user", async () => {
    const pool = createPgPool(inject("databaseUrl"), 2);
    try {
      const user = await createUser(db);
      const api = callerFor(db, { user, rateLimits: createRateLimits(pool) });
      const hook = await api.notification.create({ type: "WEBHOOK", name: "hook", target: "http://127.0.0.1:9/hook" });
      for (let i = 0; i < 10; i++) await api.notification.test({ id: hook.id });
      await expect(api.notification.test({ id: hook.id })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
      await db.notificationDelivery.deleteMany({ where: { channelId: hook.id } });

      const monitor = await api.monitor.create({ url: "http://127.0.0.1:9/" });
      for (let i = 0; i < 120; i++) await api.monitor.checkNow({ id: monitor.id });
      await expect(api.monitor.checkNow({ id: monitor.id })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
      for (let i = 0; i < 60; i++) await api.monitor.pauseMany({ ids: [monitor.id] });
      await expect(api.monitor.pauseMany({ ids: [monitor.id] })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    } finally {
      await pool.end();
    }
  });

  it("logo uploads, mails to subscribers and page passwords are rate limited per user; subscriptions per address", async () => {
    const pool = createPgPool(inject("databaseUrl"), 2);
    try {
      const rateLimits = createRateLimits(pool);
      // A user of its own: counters outlive a run, and the bench re-runs the file in one database.
      const user = await createUser(db);
      const api = callerFor(db, { user, rateLimits, clientIp: unique("ip") });
      const monitor = await createMonitorRow(db, user.id);
      const page = await api.statusPage.create({ name: "Acme", slug: unique("acme") });
      /** The codes of `calls` in a row, then of one more. */
      const codes = async (calls: number, call: () => Promise<unknown>) => {
        const seen: string[] = [];
        for (let i = 0; i <= calls; i++) {
          seen.push(
            await call().then(
              () => "OK",
              (error: TRPCError) => error.code,
            ),
          );
        }
        return seen;
      };
      const spent = (calls: number) => [...(Array(calls).fill("OK") as string[]), "TOO_MANY_REQUESTS"];

      const logo = () => api.statusPage.setLogo({ id: page.id, image: PNG.toString("base64") });
      expect(await codes(LIMITS.logoUpload.user!.points, logo)).toEqual(spent(LIMITS.logoUpload.user!.points));
      const inAnHour = Date.now() + 3_600_000;
      const maintenance = () =>
        api.maintenance.create({
          title: "Upgrade",
          startsAt: new Date(inAnHour),
          endsAt: new Date(inAnHour + 600_000),
          monitorIds: [monitor.id],
        });
      expect(await codes(LIMITS.subscriberMail.user!.points, maintenance)).toEqual(
        spent(LIMITS.subscriberMail.user!.points),
      );
      const password = () =>
        api.statusPage.setAccess({ id: page.id, visibility: "PRIVATE", password: "open sesame 1" });
      expect(await codes(LIMITS.ownerPassword.user!.points, password)).toEqual(
        spent(LIMITS.ownerPassword.user!.points),
      );

      const email = `${unique("reader")}@example.test`;
      const visitor = callerFor(db, { rateLimits, clientIp: unique("ip") });
      const other = await publishedPage();
      const subscribe = () => visitor.statusPage.subscribe({ slug: other.page.slug, email });
      expect(await codes(LIMITS.subscribe.emailOnIp!.points, subscribe)).toEqual(
        spent(LIMITS.subscribe.emailOnIp!.points),
      );
    } finally {
      await pool.end();
    }
  });

  it("quotas: one account cannot create monitors without bound, and is told which limit it reached", async () => {
    const user = await createUser(db);
    const api = callerFor(db, { user, env: { MAX_MONITORS_PER_USER: "2", MAX_STATUS_PAGES_PER_USER: "1" } });
    await api.monitor.create({ url: "http://127.0.0.1:9/a" });
    await api.monitor.create({ url: "http://127.0.0.1:9/b" });
    await expect(api.monitor.create({ url: "http://127.0.0.1:9/c" })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message:
        "You have 2 monitors; this instance allows at most 2 per account (MAX_MONITORS_PER_USER). Delete some first, or ask the operator to raise the limit.",
    });
    await api.statusPage.create({ name: "One", slug: unique("one") });
    await expect(api.statusPage.create({ name: "Two", slug: unique("two") })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("quotas: adding several at once (a daily maintenance's windows), the refusal says how many it needs", async () => {
    const user = await createUser(db);
    const monitor = await createMonitorRow(db, user.id);
    const api = callerFor(db, { user, env: { MAX_MAINTENANCE_WINDOWS_PER_USER: "10" } });
    // A daily maintenance keeps 8 windows made at once (7 days ahead and the one under way).
    const daily = (title: string) =>
      api.maintenance.createRecurring({
        title,
        schedule: "0 4 * * *",
        timeZone: "UTC",
        durationMinutes: 1,
        monitorIds: [monitor.id],
      });
    await daily("Backups");
    await expect(daily("Reindex")).rejects.toMatchObject({
      code: "FORBIDDEN",
      message:
        "You have 8 maintenance windows not yet over (a recurring maintenance counts the most it has ahead at once); this needs 8 more, and this instance allows at most 10 per account (MAX_MAINTENANCE_WINDOWS_PER_USER). Delete some first, or ask the operator to raise the limit.",
    });
  });

  it("quotas: a create queued behind another of the same owner (an import) past the 15 s a transaction may last by default is made", async () => {
    const user = await createUser(db);
    const api = callerFor(db, { user });
    const pool = createPgPool(inject("databaseUrl"), 1);
    const client = await pool.connect();
    try {
      // The owner's other transaction holds the monitors' quota lock for longer than a
      // transaction may last by default (15 s, core/db/client.ts).
      await client.query("BEGIN");
      await lockQuota(sqlOfClient(client), user.id, "monitors");
      const creating = api.monitor.create({ url: "http://127.0.0.1:9/queued" });
      await new Promise((resolve) => setTimeout(resolve, 16_000));
      await client.query("COMMIT");
      await expect(creating).resolves.toMatchObject({ url: "http://127.0.0.1:9/queued" });
    } finally {
      client.release();
      await pool.end();
    }
  });
});

describe("password guessing on private status pages", () => {
  it("each address has its own guesses on each page: one spent takes none from another page or another visitor", async () => {
    const owner = callerFor(db, { user: await createUser(db) });
    const privatePage = async () => {
      const slug = unique("private");
      const { id } = await owner.statusPage.create({ name: "Internal", slug });
      await owner.statusPage.setPublished({ id, isPublished: true });
      await owner.statusPage.setAccess({ id, visibility: "PRIVATE", password: "open sesame 1" });
      return slug;
    };
    const [first, second] = [await privatePage(), await privatePage()];
    const pool = createPgPool(inject("databaseUrl"), 2);
    try {
      const rateLimits = createRateLimits(pool);
      const guess = (clientIp: string, slug: string) =>
        callerFor(db, { rateLimits, clientIp })
          .statusPage.unlock({ slug, password: "not the password" })
          .then(
            () => "opened",
            (error: TRPCError) => error.code,
          );
      const guesser = unique("ip");
      const perPage = LIMITS.pageUnlock.ipOnPage!.points;
      const codes: string[] = [];
      for (let i = 0; i <= perPage; i++) codes.push(await guess(guesser, first));
      expect(codes.slice(0, perPage)).toEqual(Array(perPage).fill("BAD_REQUEST"));
      expect(codes[perPage]).toBe("TOO_MANY_REQUESTS");
      expect(await guess(guesser, second)).toBe("BAD_REQUEST");
      expect(await guess(unique("ip"), first)).toBe("BAD_REQUEST");
    } finally {
      await pool.end();
    }
  });
});

describe("links that mail scanners click", () => {
  it("opening a confirm or unsubscribe link changes nothing; the button on its page (POST) does", async () => {
    const { page } = await publishedPage();
    const subscriber = await db.subscriber.create({
      data: {
        statusPageId: page.id,
        email: `${unique("reader")}@example.test`,
        confirmTokenHash: "x",
      },
    });
    const mailer = memoryMailer();
    await callerFor(db, { mailer }).statusPage.subscribe({ slug: page.slug, email: subscriber.email });
    const confirmUrl = mailer.linkTo(subscriber.email, "/confirm");
    const args = (method: string, url: string) => ({
      // The button's form: an empty one (every action refuses a body that is not a form).
      request: new Request(url, { method, headers: { origin: "http://127.0.0.1:3000" }, body: new URLSearchParams() }),
      params: { slug: page.slug },
      context: testContext(db),
    });

    confirmRoute.loader();
    expect((await db.subscriber.findUniqueOrThrow({ where: { id: subscriber.id } })).confirmedAt).toBeNull();
    await confirmRoute.action(args("POST", confirmUrl));
    expect((await db.subscriber.findUniqueOrThrow({ where: { id: subscriber.id } })).confirmedAt).not.toBeNull();

    const key = await subscriberLinkKey(sqlOfPrisma(db));
    const unsubscribeUrl = `http://127.0.0.1:3000/status/${page.slug}/unsubscribe?token=${unsubscribeToken(key, subscriber.id)}`;
    unsubscribeRoute.loader();
    expect(await db.subscriber.count({ where: { id: subscriber.id } })).toBe(1);
    await unsubscribeRoute.action(args("POST", unsubscribeUrl));
    expect(await db.subscriber.count({ where: { id: subscriber.id } })).toBe(0);
  });

  it("subscriber mails offer RFC 8058 one-click unsubscribe in their headers", async () => {
    const sent: { headers?: Record<string, string> }[] = [];
    const key = Buffer.alloc(32, 7);
    await deliverToSubscriber(
      { id: "cksubscriber0001", email: "reader@example.test", slug: "acme", pausedAt: null },
      {
        id: "d1",
        payload: {
          event: "incident.opened",
          occurredAt: new Date().toISOString(),
          monitor: { id: "m", name: "API", url: "" },
          incident: null,
          tls: null,
        },
      },
      {
        appUrl: "http://127.0.0.1:3000",
        guarded: { policy: { allowedNetworks: [] }, resolve: () => Promise.resolve([]) },
        sendMail: (message) => {
          sent.push(message);
          return Promise.resolve();
        },
        subscriberLinkKey: () => Promise.resolve(key),
      },
    );
    expect(sent[0]?.headers).toEqual({
      "List-Unsubscribe": `<http://127.0.0.1:3000/status/acme/unsubscribe?token=${unsubscribeToken(key, "cksubscriber0001")}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
  });
});

describe("custom domain squatting and takeover", () => {
  async function ownerWithPage() {
    const user = await createUser(db);
    const page = await db.statusPage.create({
      data: { userId: user.id, name: "Page", slug: unique("page"), isPublished: true },
    });
    return { user, page };
  }

  it("a pending claim changes no routing, and another page's proof waits while the holder's record is published", async () => {
    const dns = await startFakeDns();
    try {
      const domain = `${unique("status")}.acme.test`;
      const holder = await ownerWithPage();
      const holderApi = callerFor(db, { user: holder.user, dns: createDomainResolver([dns.server]) });
      const held = (await holderApi.statusPage.setDomain({ id: holder.page.id, domain })).records[0]!;
      dns.setTxt(held.name, [held.value]);
      expect((await holderApi.statusPage.verifyDomain({ id: holder.page.id })).status).toBe("VERIFIED");

      const squatter = await ownerWithPage();
      const api = callerFor(db, { user: squatter.user, dns: createDomainResolver([dns.server]) });
      const claim = await api.statusPage.setDomain({ id: squatter.page.id, domain });
      expect(claim.status).toBe("PENDING");
      expect(await pageForHost(domain)).toEqual({ slug: holder.page.slug });

      // Without its own TXT value the claim fails, and the holder keeps the domain.
      expect((await api.statusPage.verifyDomain({ id: squatter.page.id })).status).toBe("FAILED");
      expect(await pageForHost(domain)).toEqual({ slug: holder.page.slug });

      // With its own value published too, it waits: the holder's record is still there.
      const txt = claim.records.find((record) => record.type === "TXT")!;
      dns.setTxt(txt.name, [held.value, txt.value]);
      expect(await api.statusPage.verifyDomain({ id: squatter.page.id })).toMatchObject({
        status: "PENDING",
        waiting: true,
        failureReason: expect.stringMatching(/is verified for another status page/) as unknown,
      });
      expect(await pageForHost(domain)).toEqual({ slug: holder.page.slug });

      // A claim nobody proved serves nothing at all.
      const unproven = `${unique("nobody")}.acme.test`;
      await api.statusPage.setDomain({ id: squatter.page.id, domain: unproven });
      expect(await pageForHost(unproven)).toBeNull();
    } finally {
      await dns.stop();
    }
  });

  it("this instance's own host names are refused as custom domains", async () => {
    const { user, page } = await ownerWithPage();
    const api = callerFor(db, { user, env: { RESERVED_HOSTNAMES: "uptime.example.test,status.example.test" } });
    for (const domain of ["uptime.example.test", "status.example.test", "localhost"]) {
      await expect(api.statusPage.setDomain({ id: page.id, domain })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
  });

  it("a verified domain whose TXT record is gone turns FAILED at the daily re-check; a DNS timeout changes nothing", async () => {
    const dns = await startFakeDns();
    try {
      const { page } = await ownerWithPage();
      const gone = `${unique("gone")}.acme.test`;
      const longAgo = new Date(Date.now() - 2 * 86_400_000);
      await db.statusPageDomain.create({
        data: {
          statusPageId: page.id,
          domain: gone,
          verificationToken: unique("t"),
          status: "VERIFIED",
          verifiedDomain: gone,
          verifiedAt: longAgo,
          lastCheckedAt: longAgo,
        },
      });
      const timingOut = {
        resolveTxt: () => Promise.reject(Object.assign(new Error("timeout"), { code: "ETIMEOUT" })),
      };
      await recheckVerifiedDomains({ db, dns: timingOut, caches: sharedCaches });
      expect((await db.statusPageDomain.findFirstOrThrow({ where: { domain: gone } })).status).toBe("VERIFIED");

      const { failed } = await recheckVerifiedDomains({
        db,
        dns: createDomainResolver([dns.server]),
        caches: sharedCaches,
      });
      expect(failed).toContain(gone);
      const row = await db.statusPageDomain.findFirstOrThrow({ where: { domain: gone } });
      expect(row.status).toBe("FAILED");
      expect(row.failureReason).toMatch(/No TXT record found at _better-uptime\./);
      expect(await pageForHost(gone)).toBeNull();
    } finally {
      await dns.stop();
    }
  });
});

describe("status page address hijacking after a rename", () => {
  it("a renamed page's old address redirects for 30 days and only its owner may take it again", async () => {
    const owner = await createUser(db);
    const api = callerFor(db, { user: owner });
    const oldSlug = unique("old");
    const page = await api.statusPage.create({ name: "Acme", slug: oldSlug });
    await api.statusPage.setPublished({ id: page.id, isPublished: true });
    const newSlug = unique("new");
    await api.statusPage.update({ id: page.id, name: "Acme", slug: newSlug });

    const answer = await pageJsonLoader({
      request: new Request(`http://127.0.0.1:3000/status/${oldSlug}.json?x=1`),
      params: { slug: oldSlug },
      context: testContext(db),
    }).catch((thrown: unknown) => thrown as Response);
    expect(answer).toBeInstanceOf(Response);
    expect(answer.status).toBe(301);
    expect(answer.headers.get("location")).toBe(`/status/${newSlug}.json?x=1`);

    const someoneElse = callerFor(db, { user: await createUser(db) });
    await expect(someoneElse.statusPage.create({ name: "Phish", slug: oldSlug })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    // The owner may take it back (for this page or another of theirs).
    await expect(api.statusPage.create({ name: "Acme again", slug: oldSlug })).resolves.toMatchObject({
      slug: oldSlug,
    });

    // Past 30 days the address is free for anyone.
    const stale = unique("stale");
    await db.statusPageFormerSlug.create({
      data: { slug: stale, statusPageId: page.id, renamedAt: new Date(Date.now() - 31 * 86_400_000) },
    });
    await expect(someoneElse.statusPage.create({ name: "Fine", slug: stale })).resolves.toMatchObject({ slug: stale });
  });
});

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);

describe("status page logos and public data", () => {
  it("visitor tracking through a hot-linked logo: the logo is uploaded, checked by content and served by us", async () => {
    const owner = await createUser(db);
    const api = callerFor(db, { user: owner });
    const page = await api.statusPage.create({ name: "Logo", slug: unique("logo") });
    await api.statusPage.setPublished({ id: page.id, isPublished: true });

    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    for (const image of [svg, Buffer.from("<html><script>alert(1)</script>"), Buffer.alloc(300 * 1024, 0x89)]) {
      await expect(api.statusPage.setLogo({ id: page.id, image: image.toString("base64") })).rejects.toMatchObject({
        code: "BAD_REQUEST",
      });
    }
    const { logoUrl } = await api.statusPage.setLogo({ id: page.id, image: PNG.toString("base64") });
    expect(logoUrl).toMatch(new RegExp(`^/status/${page.slug}/logo\\?v=[0-9a-f]{12}$`));
    expect((await api.statusPage.public({ slug: page.slug })).logoUrl).toBe(logoUrl);

    const served = await logoLoader({
      request: new Request(`http://127.0.0.1:3000${logoUrl}`),
      params: { slug: page.slug },
      context: testContext(db),
    });
    expect(served.headers.get("content-type")).toBe("image/png");
    // Decoded and encoded again by us (logo-images.test.ts): the same 1×1 image.
    expect(await sharp(Buffer.from(await served.arrayBuffer())).metadata()).toMatchObject({
      format: "png",
      width: 1,
      height: 1,
    });
  });

  it("the public JSON carries no internal ids and no check counts", async () => {
    const { page, monitor } = await publishedPage();
    const incident = await db.incident.create({
      data: { monitorId: monitor.id, cause: "status", startedAt: new Date(Date.now() - 60_000), openKey: monitor.id },
    });
    const json = JSON.stringify(await callerFor(db).statusPage.public({ slug: page.slug }));
    expect(json).not.toContain(monitor.id);
    expect(json).not.toContain(incident.id);
    expect(json).not.toContain(page.id);
    expect(json).not.toContain('"checks"');
    await db.incident.delete({ where: { id: incident.id } });
  });
});

describe("account enumeration through the server log", () => {
  it("a password reset for an address without an account writes no link anywhere", async () => {
    const lines: string[] = [];
    const logger = createLogger(
      "debug",
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    // No SMTP server: mails go to the log, as on a fresh install.
    const mailer = createMailer({ smtpUrl: undefined, from: "Better Uptime <no-reply@localhost>", logger });
    await callerFor(db, { mailer }).auth.requestPasswordReset({ email: `${unique("nobody")}@example.test` });
    expect(lines.join("")).not.toMatch(/reset-password|token=/);
    // An existing account's link does go to the log (documented: no SMTP_URL).
    const user = await createUser(db);
    await callerFor(db, { mailer }).auth.requestPasswordReset({ email: user.email });
    expect(lines.join("")).toMatch(/reset-password\?token=/);
  });
});
