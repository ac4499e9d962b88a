/**
 * Issue 25, items 8, 9, 10 and 12 (push tokens), against the built server
 * (`build/server/main.js`, where the Express host and the Remix routes are separate
 * bundles): each test makes the attack over HTTP as the issue describes it, then checks
 * the database for what changed. The app runs on a database of this file's own, with the
 * production settings (NODE_ENV=production, no runner), on 127.0.0.1.
 */
import { expect, test } from "@playwright/test";
import { createDb, type Db } from "../../core/db/client.ts";
import { applyMigrations } from "../../core/ops/migrate.ts";
import { acknowledgeKey, acknowledgeUrl } from "../../core/outbox/acknowledge-link.ts";
import { sqlOfPrisma } from "../../core/db/sql.ts";
import { startApp, type AppProcess } from "../support/app-process.ts";
import { createUser, createMonitorRow } from "../support/factories.ts";
import { closedPort } from "../support/ports.ts";
import { startTestServer, uniqueSuffix, type TestDatabase, type TestServer } from "../support/test-database.ts";

test.setTimeout(120_000);
test.describe.configure({ mode: "serial" });

let server: TestServer;
let database: TestDatabase;
let app: AppProcess;
let db: Db;

test.beforeAll(async () => {
  server = await startTestServer();
  database = await server.createDatabase("bu_edge");
  await applyMigrations(database.url);
  db = createDb(database.url);
  app = await startApp(
    {
      DATABASE_URL: database.url,
      LOG_LEVEL: "warn",
      RUNNER_ENABLED: "false",
      // Each visitor below is its own client address (a header only: nothing is sent to it).
      TRUST_PROXY: "loopback",
      // Production settings, but the monitors made here point at this machine.
      ALLOWED_TARGET_NETWORKS: "127.0.0.0/8,::1/128",
    },
    await closedPort(),
  );
});

test.afterAll(async () => {
  await app?.stop();
  await db?.$disconnect();
  await database?.drop();
  await server?.stop();
});

const PASSWORD = "correct horse battery staple";
let visitors = 0;

/** A documentation address (TEST-NET-3) as X-Forwarded-For: one per visitor, never contacted. */
function visitorAddress(): string {
  visitors += 1;
  return `203.0.113.${visitors}`;
}

interface Account {
  id: string;
  email: string;
  /** `__session=…`, as the browser sends it. */
  cookie: string;
  address: string;
}

/** Signs up (verified in the database: the mail is not what is tested), logs in, returns the session cookie. */
async function account(name: string): Promise<Account> {
  const address = visitorAddress();
  const email = `edge-${uniqueSuffix()}@example.test`;
  const headers = { origin: app.baseUrl, "x-forwarded-for": address };
  const signup = await fetch(`${app.baseUrl}/signup`, {
    method: "POST",
    headers,
    body: new URLSearchParams({ name, email, password: PASSWORD }),
  });
  expect(signup.status).toBe(200);
  const user = await db.user.update({ where: { email }, data: { emailVerified: true } });
  const login = await fetch(`${app.baseUrl}/login`, {
    method: "POST",
    headers,
    body: new URLSearchParams({ email, password: PASSWORD }),
    redirect: "manual",
  });
  const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
  expect(cookie, `login: ${login.status}`).toMatch(/^__session=/);
  return { id: user.id, email, cookie, address };
}

/** A tRPC call as our own pages make it (same origin, session cookie). */
async function ownCall<T>(who: Account, path: string, input: unknown): Promise<T> {
  const response = await fetch(`${app.baseUrl}/api/trpc/${path}`, {
    method: "POST",
    headers: { origin: app.baseUrl, cookie: who.cookie, "content-type": "application/json" },
    body: JSON.stringify(input),
  });
  expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
  return ((await response.json()) as { result: { data: T } }).result.data;
}

/** Whether the session cookie still signs its user in. */
async function signedIn(who: Account): Promise<boolean> {
  const response = await fetch(`${app.baseUrl}/api/trpc/monitor.list`, { headers: { cookie: who.cookie } });
  return response.status === 200;
}

async function apiToken(who: Account): Promise<string> {
  return (await ownCall<{ token: string }>(who, "account.apiTokens.create", { name: "script" })).token;
}

const EVIL = "http://evil.example.test";

/** What a cross-site form (or fetch) from EVIL sends along with the victim's cookie. */
function crossSitePost(path: string, headers: Record<string, string>, body: unknown) {
  return fetch(`${app.baseUrl}${path}`, {
    method: "POST",
    headers: { origin: EVIL, "sec-fetch-site": "cross-site", "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
    redirect: "manual",
  });
}

const monitorsOf = (userId: string) => db.monitor.findMany({ where: { userId }, select: { url: true } });

test.describe("item 8: the cross-site check", () => {
  test("a cross-site POST with Authorization: Basic and a valid session cookie is refused, and changes nothing", async () => {
    const alice = await account("Alice");
    const basic = `Basic ${Buffer.from("proxy-user:proxy-password").toString("base64")}`;
    const response = await crossSitePost(
      "/api/trpc/monitor.create",
      { authorization: basic, cookie: alice.cookie },
      { url: "http://127.0.0.1:9/basic" },
    );
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("posted from another site");
    // Through a Remix form route too (the dashboard's own forms).
    const form = await fetch(`${app.baseUrl}/logout`, {
      method: "POST",
      headers: { origin: EVIL, authorization: basic, cookie: alice.cookie },
      redirect: "manual",
    });
    expect(form.status).toBe(403);
    expect(await monitorsOf(alice.id)).toEqual([]);
    // Alice is still signed in: the cross-site logout did not end her session.
    expect(await signedIn(alice)).toBe(true);
  });

  test("an invalid bearer token with a valid session cookie is refused like any cross-site post", async () => {
    const alice = await account("Alice");
    for (const authorization of ["Bearer bu_not-a-real-token", "Bearer", "Bearer a b"]) {
      const response = await crossSitePost(
        "/api/trpc/monitor.create",
        { authorization, cookie: alice.cookie },
        { url: "http://127.0.0.1:9/invalid-bearer" },
      );
      expect(response.status, authorization).toBe(403);
    }
    expect(await monitorsOf(alice.id)).toEqual([]);
  });

  test("a valid bearer token from another user plus a cookie acts as the token's user only", async () => {
    const alice = await account("Alice");
    const bob = await account("Bob");
    const bobsToken = await apiToken(bob);
    const response = await crossSitePost(
      "/api/trpc/monitor.create",
      { authorization: `Bearer ${bobsToken}`, cookie: alice.cookie },
      { url: "http://127.0.0.1:9/bearer" },
    );
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await monitorsOf(bob.id)).toEqual([{ url: "http://127.0.0.1:9/bearer" }]);
    expect(await monitorsOf(alice.id)).toEqual([]);
    // A route that would end the cookie's session ends nothing: the cookie was not read.
    const sessionsBefore = await db.session.count({ where: { userId: alice.id } });
    const logout = await fetch(`${app.baseUrl}/logout`, {
      method: "POST",
      headers: { origin: EVIL, authorization: `Bearer ${bobsToken}`, cookie: alice.cookie },
      body: new URLSearchParams(), // the log-out button's (empty) form
      redirect: "manual",
    });
    expect(logout.status).toBe(302);
    expect(await db.session.count({ where: { userId: alice.id } })).toBe(sessionsBefore);
    expect(sessionsBefore).toBeGreaterThan(0);
    expect(await signedIn(alice)).toBe(true);
  });
});

test.describe("item 9: live streams", () => {
  const PER_USER = 20; // LIVE_STREAMS_PER_USER's default

  function openStream(token: string) {
    const controller = new AbortController();
    const response = fetch(`${app.baseUrl}/monitors/events`, {
      headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" },
      signal: controller.signal,
    });
    return { response, close: () => controller.abort() };
  }

  test("one token opens its cap of streams; the next answers 429 with Retry-After, and a closed one frees a slot", async () => {
    const alice = await account("Alice");
    const bob = await account("Bob");
    const token = await apiToken(alice);
    const streams = Array.from({ length: PER_USER }, () => openStream(token));
    try {
      for (const stream of streams) {
        const response = await stream.response;
        expect(response.status).toBe(200);
        expect(response.headers.get("content-type")).toContain("text/event-stream");
      }
      const refused = await openStream(token).response;
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await refused.text()).toContain("Too many live streams");
      // Another user is not held back by Alice's streams.
      const bobs = openStream(await apiToken(bob));
      expect((await bobs.response).status).toBe(200);
      bobs.close();
      // Closing one of Alice's lets her open one more (once the server has seen it close).
      streams.shift()!.close();
      let reopened = 0;
      for (let attempt = 0; attempt < 100 && reopened !== 200; attempt++) {
        const again = openStream(token);
        reopened = (await again.response).status;
        if (reopened === 200) streams.push(again);
        else await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(reopened).toBe(200);
    } finally {
      for (const stream of streams) stream.close();
    }
  });
});

test.describe("item 10: acknowledge links", () => {
  const DAY_MS = 86_400_000;

  /** An open incident on a monitor alerting one confirmed email channel, as the engine leaves it. */
  async function incidentWithChannel() {
    const user = await createUser(db);
    const monitor = await createMonitorRow(db, user.id);
    const channel = await db.notificationChannel.create({
      data: { userId: user.id, type: "EMAIL", name: "On call", target: user.email, confirmedAt: new Date() },
    });
    await db.monitorChannel.create({ data: { monitorId: monitor.id, channelId: channel.id } });
    const incident = await db.incident.create({
      data: {
        monitorId: monitor.id,
        openKey: monitor.id,
        cause: "status",
        causeDetail: "HTTP 503",
        regions: ["default"],
        startedAt: new Date(Date.now() - 60_000),
      },
    });
    return { monitor, channel, incident };
  }

  /** The link the runner mails (the instance's key, read as the runner reads it). */
  async function mailedLink(incidentId: string, channelId: string, signedAt = new Date()) {
    const key = await acknowledgeKey(sqlOfPrisma(db));
    return acknowledgeUrl(app.baseUrl, key, incidentId, channelId, signedAt);
  }

  /** Opens the link, then presses its button (a form post from the page itself). */
  async function openAndPress(link: string) {
    const opened = await fetch(link);
    const pressed = await fetch(link, {
      method: "POST",
      headers: { origin: app.baseUrl },
      body: new URLSearchParams(),
    });
    return {
      opened: { status: opened.status, html: await opened.text() },
      pressed: { status: pressed.status, html: await pressed.text() },
    };
  }

  async function expectRefused(link: string, reason: string, monitorName: string) {
    const { opened, pressed } = await openAndPress(link);
    for (const answer of [opened, pressed]) {
      expect(answer.status).toBe(410);
      expect(answer.html).toContain("This link no longer works");
      expect(answer.html).toContain(reason);
      expect(answer.html).not.toContain(monitorName); // nothing of the incident is shown
    }
  }

  test("an expired link is refused with a page saying so, and acknowledges nothing", async () => {
    const { monitor, channel, incident } = await incidentWithChannel();
    const link = await mailedLink(incident.id, channel.id, new Date(Date.now() - 7 * DAY_MS - 60_000));
    await expectRefused(link, "This acknowledge link has expired", monitor.name!);
    expect(await db.incident.findUniqueOrThrow({ where: { id: incident.id } })).toMatchObject({ acknowledgedAt: null });
  });

  test("a link for a deleted channel is refused with a page saying so, and acknowledges nothing", async () => {
    const { monitor, channel, incident } = await incidentWithChannel();
    const link = await mailedLink(incident.id, channel.id);
    await db.notificationChannel.delete({ where: { id: channel.id } });
    await expectRefused(link, "alert channel this link was sent to has been removed", monitor.name!);
    expect(await db.incident.findUniqueOrThrow({ where: { id: incident.id } })).toMatchObject({ acknowledgedAt: null });
  });

  test("a link replayed after its incident resolved is refused with a page saying so, and changes nothing", async () => {
    const { monitor, channel, incident } = await incidentWithChannel();
    const link = await mailedLink(incident.id, channel.id);
    const { opened, pressed } = await openAndPress(link);
    expect(opened.status).toBe(200);
    expect(opened.html).toContain(`Acknowledge: ${monitor.name!} is down`);
    expect(pressed.status).toBe(200);
    expect(pressed.html).toContain(`Acknowledged: ${monitor.name!}`);
    const acknowledged = await db.incident.update({
      where: { id: incident.id },
      data: { resolvedAt: new Date(), openKey: null },
    });
    await expectRefused(link, "This incident is over, so there is nothing left to acknowledge.", monitor.name!);
    const after = await db.incident.findUniqueOrThrow({ where: { id: incident.id } });
    expect(after.acknowledgedAt).toEqual(acknowledged.acknowledgedAt);
    expect(after.acknowledgedBy).toBe(acknowledged.acknowledgedBy);
  });
});

test.describe("item 12: unknown push tokens", () => {
  const GUESSES = 30; // unknown tokens per client address in 10 minutes (push-limits.server.ts)

  const push = (token: string, address: string) =>
    fetch(`${app.baseUrl}/api/push/${token}`, { headers: { "x-forwarded-for": address } });

  test("one address's unknown tokens answer 404, then 429 with Retry-After; real tokens are not held back", async () => {
    const owner = await account("Heartbeat owner");
    const monitor = await ownCall<{ pushUrl: string }>(owner, "monitor.create", {
      type: "HEARTBEAT",
      periodSeconds: 60,
    });
    const real = monitor.pushUrl.split("/api/push/")[1]!;
    const guesser = visitorAddress();
    for (let n = 0; n < GUESSES; n++) {
      const response = await push(`guess${String(n).padStart(12, "0")}`, guesser);
      expect(response.status, `guess ${n + 1}`).toBe(404);
      expect(await response.text()).toBe("No heartbeat monitor has this push URL.\n");
    }
    const refused = await push("guess-one-more-time", guesser);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.text()).toContain("Too many attempts");
    // From that address a real token is still looked up and recorded: a neighbour's
    // guesses never hold back a real cron job behind the same address.
    expect((await push(real, guesser)).status).toBe(200);
    // The typed API counts with the push URL (one set of counters per process).
    const viaApi = await fetch(`${app.baseUrl}/api/trpc/heartbeat.ping`, {
      method: "POST",
      headers: { "x-forwarded-for": guesser, "content-type": "application/json" },
      body: JSON.stringify({ token: "guess-through-the-api" }),
    });
    expect(viaApi.status, await viaApi.clone().text()).toBe(429);
    expect(await db.heartbeatPing.count({ where: { monitor: { pushToken: real } } })).toBe(1);
    // Another address pings the real token, and its own mistakes are still a 404.
    const cron = visitorAddress();
    expect((await push(real, cron)).status).toBe(200);
    expect(await db.heartbeatPing.count({ where: { monitor: { pushToken: real } } })).toBe(2);
    expect((await push("not-my-token-at-all", cron)).status).toBe(404);
  });
});
