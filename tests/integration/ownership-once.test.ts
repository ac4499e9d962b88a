/**
 * A page about one monitor asks whether it is the caller's once, however many procedures
 * it calls (services/ownership.server.ts): the monitor page's loader calls seven for a
 * heartbeat monitor, and each used to re-read the monitor `WHERE id AND userId` itself.
 * And what must not be shared: a change in the same request makes later reads ask again,
 * and someone else's monitor is NOT_FOUND however it is asked.
 */
import { afterAll, describe, expect, it } from "vitest";
import { loader as monitorPageLoader } from "../../app/routes/monitors.$id.tsx";
import { sessionCookie } from "../../app/server/auth/session-cookie.server.ts";
import { createSession } from "../../app/server/services/auth/sessions.server.ts";
import { newOwnershipMemo, ownershipOf, type OwnershipReader } from "../../app/server/services/ownership.server.ts";
import { createCallerFactory } from "../../app/trpc/init.server.ts";
import { appRouter } from "../../app/trpc/root.server.ts";
import type { Db } from "../../core/db/client.ts";
import { callerFor, testContext } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createMonitorRow, createStatusPage, createUser, unique } from "../support/factories.ts";

const db = testDb();
afterAll(() => db.$disconnect());

const READS = new Set(["findFirst", "findFirstOrThrow", "findUnique", "findUniqueOrThrow", "findMany", "count"]);

/** Whether a query's `where` picks the monitor `id` (alone or in a list). */
function picks(args: unknown, id: string): boolean {
  const where = (args as { where?: { id?: unknown } } | undefined)?.where;
  const wanted = where?.id;
  if (wanted === id) return true;
  const list = (wanted as { in?: unknown } | undefined)?.in;
  return Array.isArray(list) && list.includes(id);
}

/** The same client, counting the reads of the monitor table that pick `id`. */
function countingMonitorReads(inner: Db, id: string): { db: Db; reads: () => number } {
  let reads = 0;
  const monitor = new Proxy(inner.monitor, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property === "string" && READS.has(property) && typeof value === "function") {
        return (...args: unknown[]) => {
          if (picks(args[0], id)) reads += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return value;
    },
  });
  const db = new Proxy(inner, {
    get: (target, property, receiver) => (property === "monitor" ? monitor : Reflect.get(target, property, receiver)),
  });
  return { db, reads: () => reads };
}

async function signedIn() {
  const user = await createUser(db);
  const api = callerFor(db, { user: { id: user.id, email: user.email, name: null, emailVerified: true } });
  const token = (await createSession({ db }, { userId: user.id, userAgent: "test" })).token;
  const cookie = (await sessionCookie(token, testContext(db).env)).split(";")[0]!;
  return { user, api, cookie };
}

/** A caller with one memo, as a route's caller for one request. */
function oneRequestCaller(user: { id: string; email: string }) {
  return createCallerFactory(appRouter)({
    ...testContext(db),
    user: { id: user.id, email: user.email, name: null, emailVerified: true },
    sessionToken: null,
    via: "session",
    lastWriteAt: null,
    request: null,
    internal: true,
    ownership: newOwnershipMemo(),
  });
}

describe("the monitor page", () => {
  it("checks its monitor is the caller's once, though its loader calls seven procedures", async () => {
    const { api, cookie } = await signedIn();
    const monitor = await api.monitor.create({ type: "HEARTBEAT", name: "Nightly backup", periodSeconds: 3600 });
    const counting = countingMonitorReads(db, monitor.id);
    const request = new Request(`http://127.0.0.1:3000/monitors/${monitor.id}`, { headers: { cookie } });
    const page = await monitorPageLoader({ request, params: { id: monitor.id }, context: testContext(counting.db) });
    // What the page shows came through: the monitor, its stats, its (empty) lists.
    expect(page.monitor.name).toBe("Nightly backup");
    expect(page.stats.uptime.h24).toBeDefined();
    expect(page.incidents.items).toEqual([]);
    expect(Array.isArray(page.pings)).toBe(true);
    expect(counting.reads()).toBe(1);
  });

  it("answers someone else's monitor with 404, and reads it once doing so", async () => {
    const owner = await signedIn();
    const monitor = await owner.api.monitor.create({ type: "HEARTBEAT", name: "Theirs", periodSeconds: 3600 });
    const stranger = await signedIn();
    const counting = countingMonitorReads(db, monitor.id);
    const request = new Request(`http://127.0.0.1:3000/monitors/${monitor.id}`, {
      headers: { cookie: stranger.cookie },
    });
    const answer = await monitorPageLoader({
      request,
      params: { id: monitor.id },
      context: testContext(counting.db),
    }).catch((thrown: unknown) => thrown);
    expect(answer).toBeInstanceOf(Response);
    expect((answer as Response).status).toBe(404);
    expect(counting.reads()).toBe(1);
  });
});

describe("one request's answers", () => {
  it("are asked again after a change in the same request: a read sees the change", async () => {
    const { user, api } = await signedIn();
    const monitor = await api.monitor.create({ type: "HEARTBEAT", name: "Before", periodSeconds: 3600 });
    // One caller with one memo, as a route's caller for one request.
    const request = oneRequestCaller(user);
    expect((await request.monitor.byId({ id: monitor.id })).isActive).toBe(true);
    await request.monitor.pause({ id: monitor.id });
    expect((await request.monitor.byId({ id: monitor.id })).isActive).toBe(false);
    await request.monitor.update({ id: monitor.id, name: "After" });
    expect((await request.monitor.byId({ id: monitor.id })).name).toBe("After");
  });

  it("never open someone else's monitor, from any procedure of the page", async () => {
    const owner = await signedIn();
    const monitor = await owner.api.monitor.create({ type: "HEARTBEAT", name: "Mine", periodSeconds: 3600 });
    const stranger = await signedIn();
    await expect(stranger.api.monitor.byId({ id: monitor.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(stranger.api.monitor.stats({ id: monitor.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(stranger.api.notification.deliveries({ monitorId: monitor.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("the request's memo", () => {
  /** A reader on the real database that counts the reads it makes. */
  function countingReader() {
    let reads = 0;
    const read: OwnershipReader = (run) => {
      reads += 1;
      return run(db);
    };
    return { read, reads: () => reads };
  }

  it("keeps each thing apart: two monitors, pages, channels and incidents of one request are each their own", async () => {
    const { user } = await signedIn();
    const [a, b] = [await createMonitorRow(db, user.id), await createMonitorRow(db, user.id)];
    const [pageA, pageB] = [await createStatusPage(db, user.id), await createStatusPage(db, user.id)];
    const channel = (name: string) =>
      db.notificationChannel.create({
        data: { userId: user.id, type: "EMAIL", name, target: `${unique("c")}@localhost` },
      });
    const [channelA, channelB] = [await channel("A"), await channel("B")];
    const incident = (monitorId: string) =>
      db.incident.create({ data: { monitorId, startedAt: new Date(), cause: "down" } });
    const [incidentA, incidentB] = [await incident(a.id), await incident(b.id)];
    const own = ownershipOf(user.id, (read) => read(db), newOwnershipMemo());
    expect((await own.monitor(a.id)).id).toBe(a.id);
    expect((await own.monitor(b.id)).id).toBe(b.id);
    expect((await own.page(pageA.id)).id).toBe(pageA.id);
    expect((await own.page(pageB.id)).id).toBe(pageB.id);
    expect((await own.channel(channelA.id)).id).toBe(channelA.id);
    expect((await own.channel(channelB.id)).id).toBe(channelB.id);
    expect((await own.incident(incidentA.id)).id).toBe(incidentA.id);
    expect((await own.incident(incidentB.id)).id).toBe(incidentB.id);
  });

  it("answers a repeated question from memory, forgets a refusal, and asks nothing for an empty list", async () => {
    const { user } = await signedIn();
    const counting = countingReader();
    const own = ownershipOf(user.id, counting.read, newOwnershipMemo());
    const id = unique("later");
    await expect(own.monitor(id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    // Made after the refusal (by another request): the same request asking again finds it.
    await db.monitor.create({ data: { id, userId: user.id, url: "http://127.0.0.1:9/", name: "Later" } });
    expect((await own.monitor(id)).name).toBe("Later");
    expect((await own.monitor(id)).name).toBe("Later");
    expect(counting.reads()).toBe(2);
    await own.monitors([]);
    expect(counting.reads()).toBe(2);
  });

  it("is not what a change acts on: a change reads the present, not what its request read before", async () => {
    const { user, api } = await signedIn();
    const monitor = await api.monitor.create({ url: "http://127.0.0.1:9/", name: "Original" });
    const request = oneRequestCaller(user);
    expect((await request.monitor.byId({ id: monitor.id })).name).toBe("Original");
    // Another request renames it meanwhile; this request's change must keep that name.
    await api.monitor.update({ id: monitor.id, name: "Renamed elsewhere" });
    await request.monitor.update({ id: monitor.id, intervalSeconds: 120 });
    const now = await api.monitor.byId({ id: monitor.id });
    expect(now).toMatchObject({ name: "Renamed elsewhere", intervalSeconds: 120 });
  });
});
