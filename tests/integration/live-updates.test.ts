/**
 * Live monitor updates (app/host/live/monitor-events.server.ts): a result written for
 * a monitor reaches its owner's open pages as that monitor's row — and never another
 * user's; a page back from a dropped connection is told to reload.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPgPool } from "../../core/db/pg-pool.ts";
import { createLogger } from "../../core/logger.ts";
import { createMonitorEvents, type MonitorEvent } from "../../app/host/live/monitor-events.server.ts";
import { createResultWriter } from "../../workers/results/writer.ts";
import { loader as eventsLoader } from "../../app/routes/monitors.events.ts";
import { sessionCookie } from "../../app/server/auth/session-cookie.server.ts";
import { createSession } from "../../app/server/services/auth/sessions.server.ts";
import { callerFor, testContext } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { eventually } from "../support/engine.ts";
import { checkRecord } from "../support/check-records.ts";
import { createUser } from "../support/factories.ts";

const db = testDb();
const pool = createPgPool(inject("databaseUrl"), 2);
const events = createMonitorEvents({
  db,
  databaseUrl: inject("databaseUrl"),
  logger: createLogger("silent"),
  gatherMs: 20,
  limits: { perUser: 20, perProcess: 2_000 },
});
afterAll(async () => {
  await events.stop();
  await pool.end();
  await db.$disconnect();
});

async function writeCheck(monitorId: string, status: "UP" | "DOWN") {
  const writer = createResultWriter({ pool, logger: createLogger("silent"), queueLimit: 100, flushIntervalMs: 10 });
  writer.push(checkRecord(monitorId, status));
  await writer.drain(5_000);
  writer.stop();
}

describe("live monitor updates", () => {
  let aliceMonitor: string;
  let bobMonitor: string;
  let aliceId: string;
  let bobId: string;
  beforeAll(async () => {
    const alice = await createUser(db);
    const bob = await createUser(db);
    aliceId = alice.id;
    bobId = bob.id;
    aliceMonitor = (await callerFor(db, { user: alice }).monitor.create({ url: "http://127.0.0.1:9/alice" })).id;
    bobMonitor = (await callerFor(db, { user: bob }).monitor.create({ url: "http://127.0.0.1:9/bob" })).id;
  });

  it("delivers a change to its owner's open pages, and never another user's monitor", async () => {
    const toAlice: MonitorEvent[] = [];
    const toBob: MonitorEvent[] = [];
    const stopAlice = events.subscribe(aliceId, (event) => toAlice.push(event));
    const stopBob = events.subscribe(bobId, (event) => toBob.push(event));
    await new Promise((resolve) => setTimeout(resolve, 300)); // the listener is connected

    await writeCheck(aliceMonitor, "DOWN");
    const delivered = await eventually("alice's change delivered", () =>
      Promise.resolve(toAlice.find((event) => event.type === "monitors") ?? null),
    );
    expect(delivered.type === "monitors" && delivered.data.monitors.map((m) => m.id)).toEqual([aliceMonitor]);
    expect(delivered.type === "monitors" && delivered.data.monitors[0]).toMatchObject({
      status: "DOWN",
      lastResponseTimeMs: 42,
    });
    expect(delivered.type === "monitors" && delivered.data.counts.DOWN).toBe(1);

    await writeCheck(bobMonitor, "UP");
    await eventually("bob's change delivered", () =>
      Promise.resolve(toBob.some((event) => event.type === "monitors") || null),
    );
    const seenByAlice = toAlice.flatMap((event) => (event.type === "monitors" ? event.data.monitors : []));
    expect(seenByAlice.map((m) => m.id)).not.toContain(bobMonitor);
    const seenByBob = toBob.flatMap((event) => (event.type === "monitors" ? event.data.monitors : []));
    expect(seenByBob.map((m) => m.id)).toEqual([bobMonitor]);
    stopAlice();
    stopBob();
    expect(events.subscribers()).toBe(0);
  });

  it("tells a page back from a dropped connection to reload what it shows", () => {
    const received: MonitorEvent[] = [];
    const stop = events.subscribe(aliceId, (event) => received.push(event), { lastEventId: "7" });
    expect(received.map((event) => event.type)).toEqual(["resync"]);
    stop();
  });

  it("a page left while its stream was still opening holds no stream and no slot", async () => {
    // A quick click away from the dashboard closes the connection while the stream's
    // loader still waits on the database; that stream must not stay counted, or each such
    // click would use up one of the user's capped slots for good.
    const token = (await createSession({ db }, { userId: aliceId, userAgent: "test" })).token;
    const context = testContext(db);
    const cookie = (await sessionCookie(token, context.env)).split(";")[0]!;
    const before = { subscribers: events.subscribers(), slots: events.slots.open() };
    const leaving = new AbortController();
    const request = new Request("http://127.0.0.1:3000/monitors/events", {
      headers: { cookie },
      signal: leaving.signal,
    });
    const response = eventsLoader({ request, params: {}, context: { ...context, monitorEvents: events } });
    leaving.abort(); // while the loader looks the session up
    await response;
    expect(events.subscribers()).toBe(before.subscribers);
    expect(events.slots.open()).toBe(before.slots);
  });
});
