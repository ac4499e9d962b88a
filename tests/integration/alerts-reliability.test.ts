/**
 * Alerts are never lost and never doubled: a receiver that refuses for two minutes gets
 * every alert exactly once, in order, when it comes back; a runner killed between an
 * incident and its delivery leaves the alert to the next runner, which sends it once.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { SessionUser } from "../../app/server/services/auth/session-user.server.ts";
import { testDb } from "../support/db.ts";
import {
  createFastMonitor,
  eventually,
  exited,
  sleep,
  spawnRunner,
  startTestRunner,
  uniqueRegion,
} from "../support/engine.ts";
import { createUser } from "../support/factories.ts";
import { startReceiver, type Receiver } from "../support/receiver.ts";
import { startTargetServer, type TargetServer } from "../support/target-server.ts";

const db = testDb();
let target: TargetServer;
let user: SessionUser;

beforeAll(async () => {
  target = await startTargetServer();
  user = await createUser(db);
});
afterAll(async () => {
  await target.stop();
  await db.$disconnect();
});

async function webhookMonitor(receiver: Receiver, region: string, path: string) {
  const channel = await db.notificationChannel.create({
    data: {
      userId: user.id,
      type: "WEBHOOK",
      name: region,
      target: receiver.url(`/${region}`),
      signingSecret: "whsec_test",
      confirmedAt: new Date(),
    },
  });
  const monitor = await createFastMonitor(db, user.id, { url: target.url(path), regions: [region] });
  await db.monitorChannel.create({ data: { monitorId: monitor.id, channelId: channel.id } });
  return monitor;
}

const statusOf = async (id: string) => (await db.monitor.findUniqueOrThrow({ where: { id } })).status;

describe("alert delivery through failures", () => {
  it("a receiver refusing for two minutes then gets every alert exactly once, in order", async () => {
    const receiver = await startReceiver();
    const region = uniqueRegion();
    receiver.refuseUntil(Date.now() + 120_000);
    const refusingSince = Date.now();
    const monitor = await webhookMonitor(receiver, region, "/flappy");
    const runner = startTestRunner(inject("databaseUrl"), { region });
    try {
      // Two outages while the receiver refuses: opened, resolved, opened, resolved.
      for (const healthy of [true, false, true, false, true]) {
        target.setHealthy(healthy);
        await eventually(
          healthy ? "UP" : "DOWN",
          async () => (await statusOf(monitor.id)) === (healthy ? "UP" : "DOWN"),
        );
      }
      expect(receiver.received).toEqual([]);
      await eventually("refusals", () => Promise.resolve(receiver.refused >= 4 || null));

      await eventually("all four alerts", () => Promise.resolve(receiver.received.length >= 4 || null), 150_000);
      await sleep(3_000); // time for any duplicate to show up
      const bodies = receiver.received.map(
        (r) => JSON.parse(r.body) as { id: string; event: string; incident: { id: string } },
      );
      expect(receiver.received.every((r) => r.at >= refusingSince + 120_000)).toBe(true);
      expect(bodies.map((b) => b.event)).toEqual([
        "incident.opened",
        "incident.resolved",
        "incident.opened",
        "incident.resolved",
      ]);
      expect(new Set(bodies.map((b) => b.id)).size).toBe(4); // each delivery once
      expect(bodies[0]!.incident.id).toBe(bodies[1]!.incident.id);
      expect(bodies[2]!.incident.id).toBe(bodies[3]!.incident.id);
      expect(receiver.received.map((r) => r.headers["idempotency-key"])).toEqual(bodies.map((b) => b.id));
      const deliveries = await db.notificationDelivery.findMany({
        where: { monitorId: monitor.id },
        orderBy: { seq: "asc" },
      });
      expect(deliveries.map((d) => d.status)).toEqual(["SENT", "SENT", "SENT", "SENT"]);
      // The first was retried through the refusal; the later ones waited their turn behind it.
      expect(deliveries[0]!.attempts).toBeGreaterThan(3);
    } finally {
      await runner.stop();
      await receiver.stop();
    }
  }, 200_000);

  it("a runner killed between the incident and its delivery leaves it to the next, which sends it once", async () => {
    const receiver = await startReceiver();
    const region = uniqueRegion();
    receiver.refuseUntil(Number.MAX_SAFE_INTEGER);
    const monitor = await webhookMonitor(receiver, region, `/status/500?${region}`);
    const first = spawnRunner({
      DATABASE_URL: inject("databaseUrl"),
      REGION: region,
      ALLOWED_TARGET_NETWORKS: "127.0.0.0/8",
      ALERT_RETRY_MAX_SECONDS: "1",
    });
    try {
      // A fresh process compiles the runner first: on a busy machine (or in Stryker's sandbox) that takes a while.
      const delivery = await eventually(
        "a failed delivery attempt",
        () =>
          db.notificationDelivery.findFirst({
            where: { monitorId: monitor.id, attempts: { gte: 1 }, status: "PENDING" },
          }),
        90_000,
      );
      first.kill("SIGKILL");
      await exited(first);
      expect(receiver.received).toEqual([]);

      receiver.refuseUntil(0);
      const second = startTestRunner(inject("databaseUrl"), { region });
      try {
        await eventually("the alert delivered", () => Promise.resolve(receiver.received.length > 0 || null), 90_000);
        await sleep(3_000);
        const ids = receiver.received.map((r) => (JSON.parse(r.body) as { id: string }).id);
        expect(ids.filter((id) => id === delivery.id)).toHaveLength(1);
        expect((await db.notificationDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).status).toBe("SENT");
      } finally {
        await second.stop();
      }
    } finally {
      first.kill("SIGKILL");
      await receiver.stop();
    }
  }, 210_000);
});
