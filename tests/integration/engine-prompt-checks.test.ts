/**
 * A new, edited, resumed or "check now" monitor is checked at once, not at its next
 * slot (here, an hour away), and a paused one is not checked at all.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createLogger } from "../../core/logger.ts";
import { startRunner, type Runner } from "../../workers/engine/runner.ts";
import { callerFor, fakeResolver } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { eventually, sleep, TEST_ALERTS, uniqueRegion } from "../support/engine.ts";
import { createUser } from "../support/factories.ts";
import { startTargetServer, type TargetServer } from "../support/target-server.ts";
import type { SessionUser } from "../../app/server/services/auth/session-user.server.ts";

const db = testDb();
const region = uniqueRegion();
let target: TargetServer;
let runner: Runner;
let user: SessionUser;

beforeAll(async () => {
  target = await startTargetServer();
  user = await createUser(db);
  // Production settings: a one-second poll, woken early by NOTIFY.
  runner = startRunner({
    databaseUrl: inject("databaseUrl"),
    region,
    logger: createLogger("silent"),
    concurrency: 10,
    threads: 1,
    allowedNetworks: "127.0.0.0/8",
    maxBodyBytes: 1024 * 1024,
    retentionDays: 30,
    queueLimit: 1000,
    alerts: TEST_ALERTS,
  });
});
afterAll(async () => {
  await runner.stop();
  await target.stop();
  await db.$disconnect();
});

describe("prompt checks", () => {
  it("checks a new monitor, then again after an edit, a resume and 'check now'; never while paused", async () => {
    const api = callerFor(db, { user, resolve: fakeResolver() });
    const path = `/ok/${region}`;
    const monitor = await api.monitor.create({ url: target.url(path), regions: [region], intervalSeconds: 3600 });
    await eventually("first check", () => Promise.resolve(target.hits(path) === 1 || null), 5_000);

    await api.monitor.update({ id: monitor.id, keyword: "hello" });
    await eventually("check after edit", () => Promise.resolve(target.hits(path) === 2 || null), 5_000);

    await api.monitor.pause({ id: monitor.id });
    await api.monitor.update({ id: monitor.id, keyword: "world" });
    await sleep(2_500);
    expect(target.hits(path)).toBe(2); // paused: edits do not trigger checks

    await api.monitor.resume({ id: monitor.id });
    await eventually("check after resume", () => Promise.resolve(target.hits(path) === 3 || null), 5_000);

    await api.monitor.checkNow({ id: monitor.id });
    await eventually("check now", () => Promise.resolve(target.hits(path) === 4 || null), 5_000);
    await sleep(1_500);
    expect(target.hits(path)).toBe(4); // and nothing more until the next slot, an hour away
  }, 40_000);
});
