/**
 * The chat, push and on-call channels (issue 18, part 1): made through the API with
 * field errors per type, secrets never read back, the target policy on their servers,
 * and a real outage through the outbox reaching a local receiver in the shape each
 * service documents — PagerDuty's trigger and resolve sharing one dedup key.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Runner } from "../../workers/engine/runner.ts";
import type { SessionUser } from "../../app/server/services/auth/session-user.server.ts";
import { callerFor, fakeResolver } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createFastMonitor, eventually, startTestRunner, uniqueRegion } from "../support/engine.ts";
import { createUser } from "../support/factories.ts";
import { startReceiver, type Receiver, type Received } from "../support/receiver.ts";
import { startTargetServer, type TargetServer } from "../support/target-server.ts";

const db = testDb();
let receiver: Receiver;
let target: TargetServer;
let user: SessionUser;
let runner: Runner | undefined;

const TOKENS = {
  telegram: "123456789:AAHtelegram-secret-token-0123456789",
  matrix: "syt_matrix_secret_token",
  ntfy: "tk_ntfysecrettoken",
  pushoverApp: "azGDORePK8gMaC0QOYAMyEEuzJnyUi",
  pushoverUser: "uQiRzpo4DXghDmr9QzzfQu27cmVRsG",
  gotify: "AGotifySecretToken",
  pagerduty: "R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY12",
  opsgenie: "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
};

const api = () =>
  callerFor(db, {
    user,
    resolve: fakeResolver({ "ntfy.internal.test": ["10.0.0.7"], "chat.local.test": ["127.0.0.1"] }),
  });

beforeAll(async () => {
  [receiver, target] = await Promise.all([startReceiver(), startTargetServer()]);
  user = await createUser(db);
});
afterAll(async () => {
  await runner?.stop();
  await Promise.all([receiver.stop(), target.stop()]);
  await db.$disconnect();
});

describe("making channels", () => {
  it("names the field at fault for each type", async () => {
    const error = await api()
      .notification.create({ type: "TELEGRAM", name: "TG", botToken: "not a token", chatId: "nobody" })
      .catch((caught: { cause?: { issues?: { path: PropertyKey[] }[] } }) => caught);
    const fields = (error as { cause: { issues: { path: PropertyKey[] }[] } }).cause.issues.map(
      (issue) => issue.path[0],
    );
    expect([...new Set(fields)].sort()).toEqual(["botToken", "chatId"]);
    await expect(api().notification.create({ type: "PAGERDUTY", name: "PD", routingKey: "short" })).rejects.toThrow(
      /32-character integration key/,
    );
  });

  it("never reads a credential back, keeps it when an update leaves it out, and refuses another type's field", async () => {
    const channel = await api().notification.create({
      type: "NTFY",
      name: "Phone",
      serverUrl: "http://chat.local.test:9",
      topic: "acme-alerts",
      token: TOKENS.ntfy,
    });
    expect(channel).toMatchObject({ target: "http://chat.local.test:9", settings: { topic: "acme-alerts" } });
    expect(JSON.stringify(await api().notification.list())).not.toContain(TOKENS.ntfy);
    await api().notification.update({ id: channel.id, topic: "acme-oncall" });
    const stored = await db.notificationChannel.findUniqueOrThrow({ where: { id: channel.id } });
    expect(stored).toMatchObject({ secret: TOKENS.ntfy, settings: { topic: "acme-oncall" } });
    await expect(api().notification.update({ id: channel.id, chatId: "-100" })).rejects.toThrow(
      /NTFY channels have no chatId/,
    );
  });

  it("checks a self-hosted server against the target policy, before anything is sent", async () => {
    await expect(
      api().notification.create({ type: "NTFY", name: "Internal", serverUrl: "http://ntfy.internal.test", topic: "x" }),
    ).rejects.toThrow(/10\.0\.0\.7 is a private address/);
  });
});

describe("an outage through the outbox", () => {
  it("reaches every service in its documented shape: down, then up", async () => {
    const region = uniqueRegion();
    const at = (name: string) => receiver.url(`/${region}/${name}`);
    const channels = await Promise.all([
      api().notification.create({
        type: "TELEGRAM",
        name: "Telegram",
        botToken: TOKENS.telegram,
        chatId: "-1001234567890",
        apiUrl: at("tg"),
      }),
      api().notification.create({ type: "TEAMS", name: "Teams", target: at("teams") }),
      api().notification.create({ type: "GOOGLE_CHAT", name: "Google Chat", target: `${at("gchat")}?key=k&token=t` }),
      api().notification.create({
        type: "MATRIX",
        name: "Matrix",
        homeserverUrl: at("matrix"),
        roomId: "!room:example.test",
        accessToken: TOKENS.matrix,
      }),
      api().notification.create({
        type: "NTFY",
        name: "ntfy",
        serverUrl: at("ntfy"),
        topic: "acme",
        token: TOKENS.ntfy,
      }),
      api().notification.create({
        type: "PUSHOVER",
        name: "Pushover",
        appToken: TOKENS.pushoverApp,
        userKey: TOKENS.pushoverUser,
        apiUrl: at("pushover"),
      }),
      api().notification.create({ type: "GOTIFY", name: "Gotify", serverUrl: at("gotify"), appToken: TOKENS.gotify }),
      api().notification.create({
        type: "PAGERDUTY",
        name: "PagerDuty",
        routingKey: TOKENS.pagerduty,
        apiUrl: at("pd"),
      }),
      api().notification.create({ type: "OPSGENIE", name: "Opsgenie", apiKey: TOKENS.opsgenie, apiUrl: at("og") }),
    ]);
    const monitor = await createFastMonitor(db, user.id, { url: target.url(`/flappy?${region}`), regions: [region] });
    await db.monitor.update({ where: { id: monitor.id }, data: { name: "Checkout <API> @room" } });
    await db.monitorChannel.createMany({
      data: channels.map((channel) => ({ monitorId: monitor.id, channelId: channel.id })),
    });
    target.setHealthy(false);
    runner = startTestRunner(inject("databaseUrl"), { region });

    const to = (name: string): Received[] => receiver.received.filter((r) => r.path.startsWith(`/${region}/${name}`));
    const json = (request: Received) => JSON.parse(request.body) as Record<string, unknown>;
    await eventually("every service told of the outage", () =>
      Promise.resolve(
        ["tg", "teams", "gchat", "matrix", "ntfy", "pushover", "gotify", "pd", "og"].every((n) => to(n).length > 0) ||
          null,
      ),
    );
    target.setHealthy(true);
    await eventually("PagerDuty and Opsgenie told of the recovery", () =>
      Promise.resolve((to("pd").length >= 2 && to("og").length >= 2) || null),
    );

    const [telegram] = to("tg");
    expect(telegram!.path).toBe(`/${region}/tg/bot${TOKENS.telegram}/sendMessage`);
    expect(json(telegram!)).toMatchObject({ chat_id: "-1001234567890", parse_mode: "HTML" });
    // HTML from a monitor's name is text, not markup.
    expect(json(telegram!).text).toMatch(/^<b>🔴 Checkout &lt;API&gt; @room is DOWN: HTTP 503/);

    const teams = json(to("teams")[0]!) as {
      type: string;
      attachments: { contentType: string; content: { type: string; body: { text?: string }[] } }[];
    };
    expect(teams.type).toBe("message");
    expect(teams.attachments[0]).toMatchObject({
      contentType: "application/vnd.microsoft.card.adaptive",
      content: { type: "AdaptiveCard" },
    });
    expect(teams.attachments[0]!.content.body[0]!.text).toContain("is DOWN");

    const chat = to("gchat")[0]!;
    expect(chat.path).toBe(`/${region}/gchat?key=k&token=t`);
    expect(json(chat).text).toMatch(/^\*🔴 Checkout ‹API› @room is DOWN/);

    const matrix = to("matrix")[0]!;
    expect(matrix.method).toBe("PUT");
    expect(matrix.path).toMatch(
      new RegExp(`^/${region}/matrix/_matrix/client/v3/rooms/!room%3Aexample.test/send/m\\.room\\.message/[\\w-]+$`),
    );
    expect(matrix.headers.authorization).toBe(`Bearer ${TOKENS.matrix}`);
    expect(json(matrix)).toMatchObject({ msgtype: "m.text", format: "org.matrix.custom.html", "m.mentions": {} });

    const ntfy = to("ntfy")[0]!;
    expect(ntfy.headers.authorization).toBe(`Bearer ${TOKENS.ntfy}`);
    expect(json(ntfy)).toMatchObject({ topic: "acme", priority: 4, tags: ["rotating_light"] });

    const pushover = to("pushover")[0]!;
    expect(pushover.path).toBe(`/${region}/pushover/1/messages.json`);
    expect(json(pushover)).toMatchObject({ token: TOKENS.pushoverApp, user: TOKENS.pushoverUser, priority: 1 });

    const gotify = to("gotify")[0]!;
    expect(gotify.path).toBe(`/${region}/gotify/message`);
    expect(gotify.headers["x-gotify-key"]).toBe(TOKENS.gotify);
    expect(json(gotify)).toMatchObject({ priority: 8 });

    const [trigger, resolve] = to("pd").map(json);
    expect(to("pd")[0]!.path).toBe(`/${region}/pd/v2/enqueue`);
    expect(trigger).toMatchObject({
      routing_key: TOKENS.pagerduty,
      event_action: "trigger",
      payload: { severity: "critical", source: monitor.url },
    });
    expect(resolve).toEqual({ routing_key: TOKENS.pagerduty, event_action: "resolve", dedup_key: trigger!.dedup_key });

    const [created, closed] = to("og");
    expect(created!.path).toBe(`/${region}/og/v2/alerts`);
    expect(created!.headers.authorization).toBe(`GenieKey ${TOKENS.opsgenie}`);
    const alias = json(created!).alias as string;
    expect(json(created!)).toMatchObject({ priority: "P1", source: "Better Uptime" });
    expect(closed!.path).toBe(`/${region}/og/v2/alerts/${encodeURIComponent(alias)}/close?identifierType=alias`);

    await eventually("every delivery logged as sent", async () =>
      (await api().notification.deliveries({ monitorId: monitor.id })).every((d) => d.status === "SENT") ? true : null,
    );
  });
});
