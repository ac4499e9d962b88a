/**
 * Tenant isolation, for every procedure that takes an id, in every router: user B
 * calling with user A's ids gets NOT_FOUND (or FORBIDDEN) and none of A's data, and A's
 * data is untouched. Procedures are found by walking the router, so a new procedure
 * that takes an id fails this test until it is given an owner's id in
 * tests/support/isolation-cases.ts (shared with tests/built/isolation.test.ts). Internal
 * procedures (a route's own steps, such as starting a session after a checked login)
 * take ids no user chooses: they are proved unreachable over /api/trpc instead.
 */
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionCookie } from "../../app/server/auth/session-cookie.server.ts";
import { createSession } from "../../app/server/services/auth/sessions.server.ts";
import { handleTrpcRequest } from "../../app/trpc/http.server.ts";
import { callerFor, testContext } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createUser, unique } from "../support/factories.ts";
import { OWNER_SEES, seedTenant, unseenByOwner } from "../support/tenant-fixture.ts";
import {
  expectOwnerDataUntouched,
  idTakingProcedures,
  INTERNAL,
  PROCEDURES,
  seedIsolation,
  type Ids,
  type IsolationWorld,
} from "../support/isolation-cases.ts";

const db = testDb();
afterAll(() => db.$disconnect());

let world: IsolationWorld;
let ids: Ids;
let secrets: string[];
let alice: IsolationWorld["alice"];
let bob: IsolationWorld["bob"];
beforeAll(async () => {
  world = await seedIsolation(db);
  ({ ids, secrets, alice, bob } = world);
});

describe("tenant isolation", () => {
  it("the owner sees every seeded thing, so each check below has something to miss", async () => {
    expect(await unseenByOwner(callerFor(db, { user: alice }), world.tenant)).toEqual([]);
  });

  it("knows every procedure that takes an id", () => {
    const covered = [...new Set(Object.keys(PROCEDURES).map((name) => name.split(" ")[0]!))].sort();
    expect(idTakingProcedures()).toEqual(covered);
  });

  it.each(Object.entries(INTERNAL))(
    "%s does not exist over /api/trpc, even for a signed-in user",
    async (name, input) => {
      const context = testContext(db);
      const { token } = await createSession({ db }, { userId: bob.id, userAgent: "test" });
      const cookie = (await sessionCookie(token, context.env)).split(";")[0]!;
      const sessionsBefore = await db.session.count({ where: { userId: alice.id } });
      const response = await handleTrpcRequest(
        new Request(`http://127.0.0.1:3000/api/trpc/${name}`, {
          method: "POST",
          headers: { cookie, "content-type": "application/json" },
          body: JSON.stringify(input({ ...ids, alice: alice.id })),
        }),
        context,
      );
      expect(response.status).toBe(404);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).not.toHaveProperty("result");
      expect(body).toMatchObject({ error: { message: "No such procedure." } });
      expect(await db.session.count({ where: { userId: alice.id } })).toBe(sessionsBefore);
    },
  );

  it.each(Object.entries(PROCEDURES))(
    "%s: another user gets NOT_FOUND and none of the owner's data",
    async (name, input) => {
      const caller = callerFor(db, { user: bob }) as unknown as Record<string, unknown>;
      const procedure = name
        .split(" ")[0]!
        .split(".")
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (
        input: unknown,
      ) => Promise<unknown>;
      let outcome: unknown;
      try {
        outcome = await procedure(input(ids));
      } catch (error) {
        outcome = error;
      }
      expect(outcome).toBeInstanceOf(TRPCError);
      expect(["NOT_FOUND", "FORBIDDEN"]).toContain((outcome as TRPCError).code);
      // The refusal says in words what is missing (never whose it is): the page shows it.
      if ((outcome as TRPCError).code === "NOT_FOUND") expect((outcome as Error).message).toMatch(/^[A-Z][\w ]* not /);
      const visible = JSON.stringify({ message: (outcome as Error).message, cause: String((outcome as Error).cause) });
      for (const secret of secrets) expect(visible).not.toContain(secret);
    },
  );

  it("left the owner's data untouched", () => expectOwnerDataUntouched(db, world));

  // After the check above: these change the owner's things.
  it("lets the owner through the same checks: stats, pausing and acknowledging their own", async () => {
    const api = callerFor(db, { user: alice });
    expect((await api.monitor.stats({ id: ids.monitor })).uptime.h24).toEqual(expect.any(Object));
    const paused = await api.monitor.pauseMany({ ids: [ids.monitor, ids.monitor] });
    expect(paused.map((monitor) => [monitor.id, monitor.isActive])).toEqual([[ids.monitor, false]]);
    expect((await api.monitor.resume({ id: ids.monitor })).isActive).toBe(true);
    // Of two channels of theirs, one (named twice) is theirs: not "as many as they own".
    const second = await api.notification.create({ type: "EMAIL", name: "second", target: alice.email });
    const updated = await api.monitor.update({ id: ids.monitor, channelIds: [second.id, second.id] });
    expect(updated.channelIds).toEqual([second.id]);
    expect((await api.monitor.byId({ id: ids.monitor })).channelIds).toEqual([second.id]);
    const acknowledged = await api.incident.acknowledge({ id: ids.incident });
    expect(acknowledged).toMatchObject({ incidentId: ids.incident, monitor: { id: ids.monitor } });
    expect(acknowledged.acknowledgedAt).not.toBeNull();
  });

  it("the precondition fails as soon as one seeded thing is missing", async () => {
    const carol = await createUser(db);
    const tenant = await seedTenant(db, carol, "carol");
    const carolApi = callerFor(db, { user: carol });
    expect(await unseenByOwner(carolApi, tenant)).toEqual([]);
    await db.notificationDelivery.delete({ where: { id: tenant.ids.delivery } });
    expect(await unseenByOwner(carolApi, tenant)).toEqual([
      "notification.deliveries",
      "notification.deliveries (by channel)",
      "notification.deliveries (by monitor)",
    ]);
    await db.subscriber.delete({ where: { id: tenant.ids.subscriber } });
    expect(await unseenByOwner(carolApi, tenant)).toContain("statusPage.byId (subscribers)");
    await db.recurringMaintenance.delete({ where: { id: tenant.ids.recurring } });
    expect(await unseenByOwner(carolApi, tenant)).toContain("maintenance.recurring");
  });

  it.each(OWNER_SEES.filter((check) => check.list).map((check) => [check.name, check] as const))(
    "%s, asked by another user, holds none of the owner's things",
    async (_name, check) => {
      const answer = JSON.stringify(
        await check.ask(callerFor(db, { user: bob }), world.tenant),
        (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value),
      );
      for (const id of Object.values(ids).filter((id) => id !== ids.bobMonitor && id !== ids.bobPage)) {
        expect(answer).not.toContain(id);
      }
      for (const secret of secrets) expect(answer).not.toContain(secret);
    },
  );

  it("account.import keyed by another user's ids makes the importer's own things and touches none of theirs", async () => {
    const report = await callerFor(db, { user: bob }).account.import({
      format: "better-uptime/setup",
      version: 1,
      channels: [{ key: ids.channel, type: "EMAIL", name: "taken over", target: bob.email }],
      monitors: [
        { key: ids.monitor, type: "HTTP", url: "http://127.0.0.1:9/", name: "taken over", channels: [ids.channel] },
      ],
      statusPages: [{ key: ids.statusPage, name: "taken over", slug: unique("bobs") }],
      maintenance: [
        {
          key: ids.maintenance,
          title: "taken over",
          startsAt: new Date().toISOString(),
          endsAt: new Date(Date.now() + 3_600_000).toISOString(),
          monitors: [ids.monitor],
        },
      ],
    });
    expect(report.created).toHaveLength(4);
    const bobsMonitor = await db.monitor.findFirstOrThrow({ where: { userId: bob.id, importKey: ids.monitor } });
    expect(bobsMonitor.id).not.toBe(ids.monitor);
    const bobsChannel = await db.notificationChannel.findFirstOrThrow({
      where: { userId: bob.id, importKey: ids.channel },
    });
    expect(await db.monitorChannel.findMany({ where: { monitorId: bobsMonitor.id } })).toEqual([
      { monitorId: bobsMonitor.id, channelId: bobsChannel.id },
    ]);
    expect(await db.monitor.findUnique({ where: { id: ids.monitor } })).toMatchObject({
      userId: alice.id,
      name: "alice-secret-monitor",
    });
    expect(await db.notificationChannel.findUnique({ where: { id: ids.channel } })).toMatchObject({
      name: "alice-secret-channel",
    });
  });
});
