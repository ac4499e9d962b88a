/**
 * Heartbeat (push) monitors: the push URL in the API, pings without a session, the
 * judgement at period + grace, an incident and an alert for the silence, UP again on the
 * next ping, a replaced token, the per-token rate limit — and the pure rules.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { heartbeatVerdict, nextHeartbeatCheckMs } from "../../core/domain/heartbeat.ts";
import type { Runner } from "../../workers/engine/runner.ts";
import { callerFor } from "../support/caller.ts";
import { createCaches } from "../../app/server/services/process/caches.server.ts";
import { PUSH_LIMITS } from "../../app/server/services/process/push-limits.server.ts";
import { testDb } from "../support/db.ts";
import { eventually, startTestRunner, uniqueRegion } from "../support/engine.ts";
import { createUser } from "../support/factories.ts";
import { startReceiver, type Receiver } from "../support/receiver.ts";
import type { SessionUser } from "../../app/server/services/auth/session-user.server.ts";

const db = testDb();
const runners: Runner[] = [];
let user: SessionUser;
let receiver: Receiver;

const tokenOf = (pushUrl: string | null) => pushUrl!.split("/api/push/")[1]!;
const anonymous = () => callerFor(db);
const statusOf = async (id: string) => (await db.monitor.findUniqueOrThrow({ where: { id } })).status;

beforeAll(async () => {
  user = await createUser(db);
  receiver = await startReceiver();
});
afterAll(async () => {
  await Promise.all(runners.map((runner) => runner.stop()));
  await receiver.stop();
  await db.$disconnect();
});

describe("heartbeat rules", () => {
  const rule = { periodSeconds: 300, graceSeconds: 60 };
  const t0 = Date.parse("2026-12-01T10:00:00Z");

  it("is UP while the last ping is within period + grace, DOWN after, naming the silence", () => {
    const ping = { atMs: t0, failed: false, message: null };
    expect(heartbeatVerdict(rule, ping, t0 - 3_600_000, t0 + 360_000)).toEqual({ status: "UP", error: null });
    expect(heartbeatVerdict(rule, ping, t0 - 3_600_000, t0 + 361_000)).toEqual({
      status: "DOWN",
      error: "no ping for 6 min (expected every 5 min)",
    });
    expect(heartbeatVerdict(rule, null, t0, t0 + 400_000)).toEqual({
      status: "DOWN",
      error: "no ping received in 7 min since monitoring began",
    });
  });

  it("is DOWN on a ping that reports a failure, with its message", () => {
    const failed = { atMs: t0, failed: true, message: "backup: disk full" };
    expect(heartbeatVerdict(rule, failed, t0, t0 + 1_000)).toEqual({
      status: "DOWN",
      error: "the job reported a failure: backup: disk full",
    });
  });

  it("is judged next at the last ping's deadline, then every period while it is overdue", () => {
    expect(nextHeartbeatCheckMs(rule, t0, t0 + 1_000)).toBe(t0 + 360_000);
    expect(nextHeartbeatCheckMs(rule, t0, t0 + 400_000)).toBe(t0 + 700_000);
    expect(nextHeartbeatCheckMs(rule, null, t0)).toBe(t0 + 300_000);
  });
});

describe("heartbeat monitors through the API", () => {
  it("carry their push URL in create and byId, and name the field at fault", async () => {
    const api = callerFor(db, { user });
    const monitor = await api.monitor.create({
      type: "HEARTBEAT",
      periodSeconds: 3600,
      graceSeconds: 300,
      name: "Backup",
    });
    expect(monitor).toMatchObject({
      type: "HEARTBEAT",
      status: "PENDING",
      heartbeat: { periodSeconds: 3600, graceSeconds: 300 },
      intervalSeconds: 3600,
    });
    expect(monitor.pushUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/push\/[A-Za-z0-9_-]{32}$/);
    expect((await api.monitor.byId({ id: monitor.id })).pushUrl).toBe(monitor.pushUrl);
    await expect(api.monitor.create({ type: "HEARTBEAT", periodSeconds: 5 })).rejects.toThrow(
      /Period \(seconds\) must be between 10 and 2678400/,
    );
    await expect(api.monitor.update({ id: monitor.id, url: "https://example.test" })).rejects.toMatchObject({
      cause: { fieldErrors: { url: ["Only HTTP monitors have this setting (this one is heartbeat)"] } },
    });
    // One region on an update too: several would judge the same pings twice.
    await expect(api.monitor.update({ id: monitor.id, regions: ["eu", "us"] })).rejects.toMatchObject({
      cause: { fieldErrors: { regions: ["A heartbeat is judged in one region"] } },
    });
    const updated = await api.monitor.update({ id: monitor.id, periodSeconds: 86_400, graceSeconds: 3600 });
    expect(updated.heartbeat).toEqual({ periodSeconds: 86_400, graceSeconds: 3600 });
    // Resumed, it is judged a period and grace later, not at once on a ping from before the pause.
    await api.monitor.pause({ id: monitor.id });
    const resumedAt = Date.now();
    await api.monitor.resume({ id: monitor.id });
    const schedule = await db.monitorSchedule.findFirstOrThrow({ where: { monitorId: monitor.id } });
    expect(schedule.nextCheckAt.getTime()).toBeGreaterThanOrEqual(resumedAt + (86_400 + 3600) * 1000 - 5_000);
    // A copy is a heartbeat with the same rule and a push URL of its own.
    const copy = await api.monitor.duplicate({ id: monitor.id });
    expect(copy).toMatchObject({ type: "HEARTBEAT", name: "Backup (copy)", heartbeat: updated.heartbeat });
    expect(copy.pushUrl).not.toBe(monitor.pushUrl);
  });

  it("take pings without a session; an unknown token is NOT_FOUND; a replaced token stops working", async () => {
    const api = callerFor(db, { user });
    const monitor = await api.monitor.create({ type: "HEARTBEAT", periodSeconds: 60 });
    const token = tokenOf(monitor.pushUrl);
    await expect(anonymous().heartbeat.ping({ token })).resolves.toEqual({ ok: true });
    await anonymous().heartbeat.ping({ token, status: "down", msg: "exit code 2" });
    // The API says why (the push URL answers its own plain-text line, push-endpoint.server.ts).
    await expect(anonymous().heartbeat.ping({ token: "x".repeat(32) })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "No heartbeat monitor has this push URL",
    });
    expect(await api.monitor.pings({ id: monitor.id })).toMatchObject([
      { failed: true, message: "exit code 2" },
      { failed: false, message: null },
    ]);

    const replaced = await api.monitor.regeneratePushToken({ id: monitor.id });
    expect(replaced.pushUrl).not.toBe(monitor.pushUrl);
    await expect(anonymous().heartbeat.ping({ token })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(anonymous().heartbeat.ping({ token: tokenOf(replaced.pushUrl) })).resolves.toEqual({ ok: true });

    // Another user cannot read the pings or replace the token.
    const other = callerFor(db, { user: await createUser(db) });
    await expect(other.monitor.pings({ id: monitor.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(other.monitor.regeneratePushToken({ id: monitor.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("rate-limits pings per token, not per monitor owner", async () => {
    const api = callerFor(db, { user });
    const noisy = await api.monitor.create({ type: "HEARTBEAT", periodSeconds: 60 });
    const quiet = await api.monitor.create({ type: "HEARTBEAT", periodSeconds: 60 });
    const results = await Promise.allSettled(
      Array.from({ length: 70 }, () => anonymous().heartbeat.ping({ token: tokenOf(noisy.pushUrl) })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(60);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "TOO_MANY_REQUESTS" } });
    await expect(anonymous().heartbeat.ping({ token: tokenOf(quiet.pushUrl) })).resolves.toEqual({ ok: true });
  });

  it("limits unknown tokens per client address (issue 25, item 12): NOT_FOUND, then TOO_MANY_REQUESTS for guesses only", async () => {
    const api = callerFor(db, { user });
    const real = tokenOf((await api.monitor.create({ type: "HEARTBEAT", periodSeconds: 60 })).pushUrl);
    // One process's counters, as the app has; a guesser's address and another client's.
    const caches = createCaches();
    const guesser = () => callerFor(db, { caches, clientIp: "203.0.113.200" });
    const neighbour = () => callerFor(db, { caches, clientIp: "203.0.113.201" });
    const guesses = PUSH_LIMITS.unknownTokensPerAddress.points;
    for (let n = 0; n < guesses; n++) {
      const guess = `guess${String(n).padStart(12, "0")}`;
      await expect(guesser().heartbeat.ping({ token: guess })).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    const refused = await guesser()
      .heartbeat.ping({ token: "guess-one-more-time" })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect((refused as { cause: { retryAfterSeconds: number } }).cause.retryAfterSeconds).toBeGreaterThan(0);
    // A real token is looked up first: from that same address (a NAT, an office, a /64
    // shared with the guesser) it is recorded, never held back by the guesses.
    const before = await db.heartbeatPing.count();
    await expect(guesser().heartbeat.ping({ token: real })).resolves.toEqual({ ok: true });
    expect(await db.heartbeatPing.count()).toBe(before + 1);
    // Other addresses are not held back, and real tokens never count against an address.
    await expect(neighbour().heartbeat.ping({ token: real })).resolves.toEqual({ ok: true });
    await expect(neighbour().heartbeat.ping({ token: "guess-from-the-neighbour" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("heartbeat monitors in the engine", () => {
  it("go UP on a ping, DOWN after period + grace of silence (an incident, an alert), UP on the next ping", async () => {
    const region = uniqueRegion();
    const api = callerFor(db, { user });
    const channel = await api.notification.create({
      type: "WEBHOOK",
      name: "Hook",
      target: receiver.url(`/hb/${region}`),
    });
    const monitor = await api.monitor.create({
      type: "HEARTBEAT",
      name: "Nightly backup",
      periodSeconds: 10,
      graceSeconds: 2,
      regions: [region],
      channelIds: [channel.id],
    });
    runners.push(startTestRunner(inject("databaseUrl"), { region }));
    const token = tokenOf(monitor.pushUrl);

    const firstPingAt = Date.now();
    await anonymous().heartbeat.ping({ token });
    // Judged on the ping, not at the end of its first 12-second window.
    await eventually(
      "UP after the first ping",
      async () => ((await statusOf(monitor.id)) === "UP" ? true : null),
      8_000,
    );

    await eventually(
      "DOWN after 12 s of silence",
      async () => ((await statusOf(monitor.id)) === "DOWN" ? true : null),
      30_000,
    );
    // Never before period + grace of silence.
    expect(Date.now() - firstPingAt).toBeGreaterThanOrEqual(12_000);
    const incident = await db.incident.findFirstOrThrow({ where: { monitorId: monitor.id } });
    expect(incident).toMatchObject({ cause: "heartbeat", resolvedAt: null });
    expect(incident.causeDetail).toMatch(/^no ping for 1\d s \(expected every 10 s\)$/);
    const alert = await eventually("the DOWN alert", () =>
      Promise.resolve(receiver.received.find((r) => r.path === `/hb/${region}`) ?? null),
    );
    expect(JSON.parse(alert.body)).toMatchObject({
      event: "incident.opened",
      monitor: { name: "Nightly backup" },
      incident: { cause: "heartbeat" },
    });
    expect(alert.body).toMatch(/no ping for 1\d s/);

    await anonymous().heartbeat.ping({ token, msg: "done in 3 s" });
    await eventually("UP on the next ping", async () => ((await statusOf(monitor.id)) === "UP" ? true : null));
    const resolved = await db.incident.findUniqueOrThrow({ where: { id: incident.id } });
    expect(resolved.resolvedAt).not.toBeNull();

    await anonymous().heartbeat.ping({ token, status: "down", msg: "pg_dump failed" });
    await eventually("DOWN on a reported failure", async () => ((await statusOf(monitor.id)) === "DOWN" ? true : null));
    const reported = await db.incident.findFirstOrThrow({ where: { monitorId: monitor.id, resolvedAt: null } });
    expect(reported.causeDetail).toBe("the job reported a failure: pg_dump failed");
  }, 60_000);
});
