/**
 * The results store (workers/results/store.ts) on batches as runners hand them over:
 * what gets stored for each check, the monitor's status and thresholds across batches,
 * out-of-order and repeated results, deleted monitors, leases, maintenance windows and
 * the notice open dashboards get. Each test reads back what a user would see.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { MONITOR_CHANGES_CHANNEL } from "../../core/db/channels.ts";
import { decodeMonitorChanges } from "../../core/db/monitor-changes.ts";
import { createPgPool } from "../../core/db/pg-pool.ts";
import { writeBatch } from "../../workers/results/store.ts";
import type { CheckResultRecord } from "../../workers/results/record.ts";
import type { CheckOutcome } from "../../workers/engine/probes/outcome.ts";
import { testDb } from "../support/db.ts";
import { createFastMonitor, uniqueRegion } from "../support/engine.ts";
import { createUser } from "../support/factories.ts";
import { checksOf } from "../support/stored-results.ts";

const db = testDb();
const pool = createPgPool(inject("databaseUrl"), 2);
let userId: string;
beforeAll(async () => {
  userId = (await createUser(db)).id;
});
afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

const TLS_DAYS = 14;
/** A minute boundary ten minutes ago: every check of a test falls in today's partitions. */
const T0 = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
const at = (seconds: number) => new Date(T0 + seconds * 1000);

function result(
  monitorId: string,
  region: string,
  seconds: number,
  status: "UP" | "DOWN",
  extra: Partial<CheckResultRecord> = {},
  outcome: Partial<CheckOutcome> = {},
): CheckResultRecord {
  return {
    monitorId,
    region,
    scheduledAt: at(seconds),
    checkedAt: at(seconds),
    leaseUntil: null,
    verdict: {
      status,
      statusCode: status === "UP" ? 200 : 503,
      responseTimeMs: status === "UP" ? 40 : 25,
      timings: { dnsMs: 1, connectMs: 2, tlsMs: null, ttfbMs: 30, downloadMs: 7 },
      tlsExpiresAt: null,
      errorClass: status === "UP" ? null : "status",
      error: status === "UP" ? null : "HTTP 503, expected 200-299",
      snapshot: null,
      ...outcome,
    },
    ...extra,
  };
}

async function newMonitor(options: { regions?: string[]; failureThreshold?: number } = {}) {
  const regions = options.regions ?? [uniqueRegion()];
  const created = await createFastMonitor(db, userId, { url: "http://127.0.0.1:9/", regions, ...options });
  return { id: created.id, regions };
}

const storedMonitor = (id: string) => db.monitor.findUniqueOrThrow({ where: { id } });
const incidents = (id: string) => db.incident.findMany({ where: { monitorId: id }, orderBy: { startedAt: "asc" } });
const hourlyChecks = async (id: string) =>
  (await db.checkRollup.findMany({ where: { monitorId: id, period: "HOUR" } })).reduce((n, r) => n + r.checks, 0);

describe("what the store keeps of each check", () => {
  it("stores each result as the runner saw it, and a runner failure without judging the monitor by it", async () => {
    const { id, regions } = await newMonitor();
    const [region] = regions as [string];
    const up = result(
      id,
      region,
      0,
      "UP",
      { checkedAt: new Date(at(0).getTime() + 7) },
      { responseTimeMs: 13, timings: { dnsMs: 1, connectMs: 2, tlsMs: 3, ttfbMs: 4, downloadMs: 5 } },
    );
    const failure: CheckResultRecord = {
      ...result(id, region, 120, "UP"),
      verdict: { status: null, errorClass: "runner", error: "the check's thread stopped" },
    };
    await writeBatch(pool, [up, result(id, region, 60, "DOWN"), failure], TLS_DAYS);

    const stored = await checksOf(db, id);
    expect(stored).toMatchObject([
      {
        region,
        scheduledAt: at(0),
        checkedAt: new Date(at(0).getTime() + 7),
        status: "UP",
        statusCode: 200,
        responseTimeMs: 13,
        dnsMs: 1,
        connectMs: 2,
        tlsMs: 3,
        ttfbMs: 4,
        downloadMs: 5,
        errorClass: null,
        error: null,
      },
      {
        region,
        checkedAt: at(60),
        status: "DOWN",
        statusCode: 503,
        responseTimeMs: 25,
        errorClass: "status",
        error: "HTTP 503, expected 200-299",
      },
      {
        region,
        checkedAt: at(120),
        status: null,
        statusCode: null,
        responseTimeMs: 0,
        errorClass: "runner",
        error: "the check's thread stopped",
      },
    ]);
    // The runner's failure says nothing about the target: the monitor is as its last verdict left it.
    expect(await storedMonitor(id)).toMatchObject({
      status: "DOWN",
      statusChangedAt: at(60),
      lastCheckedAt: at(60),
      lastResponseTimeMs: 25,
    });
    expect(await hourlyChecks(id)).toBe(2);
    expect(await incidents(id)).toMatchObject([{ startedAt: at(60), resolvedAt: null }]);
  });

  it("never stores a check as run before it was due, when the runner's clock is behind", async () => {
    const { id, regions } = await newMonitor();
    await writeBatch(
      pool,
      [result(id, regions[0]!, 0, "UP", { checkedAt: new Date(at(0).getTime() - 500) })],
      TLS_DAYS,
    );
    expect((await checksOf(db, id)).map((check) => check.checkedAt)).toEqual([at(0)]);
  });

  it("applies a batch in the order the checks ran, whatever order it arrived in", async () => {
    const { id, regions } = await newMonitor();
    const [region] = regions as [string];
    await writeBatch(pool, [result(id, region, 10, "DOWN"), result(id, region, 0, "UP")], TLS_DAYS);
    expect(await storedMonitor(id)).toMatchObject({ status: "DOWN", lastCheckedAt: at(10), statusChangedAt: at(10) });
    expect(await incidents(id)).toMatchObject([{ startedAt: at(10), resolvedAt: null }]);
  });

  it("counts a result handed over twice in one batch once", async () => {
    const { id, regions } = await newMonitor();
    const once = result(id, regions[0]!, 0, "UP");
    await writeBatch(pool, [once, { ...once }], TLS_DAYS);
    expect(await checksOf(db, id)).toHaveLength(1);
    expect(await hourlyChecks(id)).toBe(1);
  });

  it("stores the other monitors' results of a batch that holds one of a monitor deleted meanwhile", async () => {
    const kept = await newMonitor();
    const deleted = await newMonitor({ regions: kept.regions });
    await db.monitor.delete({ where: { id: deleted.id } });
    const region = kept.regions[0]!;
    await writeBatch(pool, [result(deleted.id, region, 0, "DOWN"), result(kept.id, region, 0, "DOWN")], TLS_DAYS);
    expect(await checksOf(db, kept.id)).toHaveLength(1);
    expect(await storedMonitor(kept.id)).toMatchObject({ status: "DOWN", lastCheckedAt: at(0) });
    expect(await incidents(kept.id)).toHaveLength(1);
  });

  it("keeps a certificate's expiry from the check that saw it until another check sees a new one", async () => {
    const { id, regions } = await newMonitor();
    const [region] = regions as [string];
    const expiry = new Date(T0 + 90 * 86_400_000);
    const withCertificate = result(id, region, 0, "UP", {}, { tlsExpiresAt: expiry.toISOString() });
    await writeBatch(pool, [withCertificate, result(id, region, 60, "UP")], TLS_DAYS);
    expect((await storedMonitor(id)).tlsExpiresAt).toEqual(expiry);
    await writeBatch(pool, [result(id, region, 120, "UP")], TLS_DAYS);
    expect((await storedMonitor(id)).tlsExpiresAt).toEqual(expiry);
  });
});

describe("a monitor's state across batches", () => {
  it("counts failures in a row per region across batches before the monitor is DOWN", async () => {
    const regions = [uniqueRegion(), uniqueRegion()];
    const { id } = await newMonitor({ regions, failureThreshold: 2 });
    const [a, b] = regions as [string, string];
    await writeBatch(pool, [result(id, a, 0, "UP"), result(id, b, 0, "UP")], TLS_DAYS);
    await writeBatch(pool, [result(id, a, 60, "DOWN")], TLS_DAYS);
    await writeBatch(pool, [result(id, b, 60, "DOWN")], TLS_DAYS);
    // Each region has seen one failure: being confirmed, no incident yet.
    expect((await storedMonitor(id)).status).toBe("PENDING");
    expect(await incidents(id)).toEqual([]);
    await writeBatch(pool, [result(id, a, 120, "DOWN")], TLS_DAYS);
    expect(await storedMonitor(id)).toMatchObject({ status: "DOWN", statusChangedAt: at(120) });
    expect(await incidents(id)).toMatchObject([{ startedAt: at(120), regions: [a] }]);
    const schedules = await db.monitorSchedule.findMany({ where: { monitorId: id }, orderBy: { region: "asc" } });
    expect(
      Object.fromEntries(schedules.map((s) => [s.region, [s.status, s.consecutiveFailures, s.lastCheckedAt]])),
    ).toEqual({ [a]: ["DOWN", 2, at(120)], [b]: ["PENDING", 1, at(60)] });
  });

  it("hands a leased slot back when its check is stored, and leaves a newer lease alone", async () => {
    const { id, regions } = await newMonitor();
    const [region] = regions as [string];
    const lease = new Date(T0 + 30_000);
    const slot = new Date(T0 + 60_000);
    const where = { monitorId_region: { monitorId: id, region } };
    await db.monitorSchedule.update({ where, data: { leaseUntil: lease, leasedSlot: slot } });
    await writeBatch(pool, [result(id, region, 0, "UP", { leaseUntil: lease })], TLS_DAYS);
    expect(await db.monitorSchedule.findUniqueOrThrow({ where })).toMatchObject({
      nextCheckAt: slot,
      leaseUntil: null,
      leasedSlot: null,
    });

    // A late result of an older lease: the runner now holding the check keeps it.
    const newer = new Date(T0 + 90_000);
    await db.monitorSchedule.update({ where, data: { leaseUntil: newer, leasedSlot: new Date(T0 + 120_000) } });
    await writeBatch(pool, [result(id, region, 30, "UP", { leaseUntil: lease })], TLS_DAYS);
    expect(await db.monitorSchedule.findUniqueOrThrow({ where })).toMatchObject({
      nextCheckAt: slot,
      leaseUntil: newer,
      leasedSlot: new Date(T0 + 120_000),
    });
  });

  it("opens no incident for failures inside a maintenance window, and one when the monitor is still down after it", async () => {
    const { id, regions } = await newMonitor();
    const [region] = regions as [string];
    await db.maintenanceWindow.create({
      data: {
        userId,
        title: "Database upgrade",
        startsAt: at(-60),
        endsAt: at(30),
        monitors: { create: { monitorId: id } },
      },
    });
    await writeBatch(pool, [result(id, region, 0, "DOWN"), result(id, region, 60, "DOWN")], TLS_DAYS);
    expect(await incidents(id)).toMatchObject([{ startedAt: at(60), resolvedAt: null }]);
  });

  it("finds a window that starts after the batch's first check: its later failures open nothing", async () => {
    const { id, regions } = await newMonitor();
    const [region] = regions as [string];
    await db.maintenanceWindow.create({
      data: { userId, title: "Failover", startsAt: at(90), endsAt: at(240), monitors: { create: { monitorId: id } } },
    });
    await writeBatch(
      pool,
      [result(id, region, 0, "UP"), result(id, region, 120, "DOWN"), result(id, region, 180, "DOWN")],
      TLS_DAYS,
    );
    expect(await incidents(id)).toEqual([]);
    expect(await checksOf(db, id)).toHaveLength(3);
  });
});

describe("the notice to open dashboards", () => {
  it("names each stored result's monitor under its owner, once the batch is stored", async () => {
    const other = await createUser(db);
    const region = uniqueRegion();
    const first = await newMonitor({ regions: [region] });
    const second = await newMonitor({ regions: [region] });
    const theirs = await createFastMonitor(db, other.id, { url: "http://127.0.0.1:9/", regions: [region] });

    const listener = new pg.Client({ connectionString: inject("databaseUrl") });
    await listener.connect();
    const heard = new Map<string, Set<string>>();
    listener.on("notification", (message) => {
      for (const [owner, ids] of decodeMonitorChanges(message.payload ?? "")) {
        if (owner !== userId && owner !== other.id) continue;
        for (const id of ids) heard.set(owner, (heard.get(owner) ?? new Set()).add(id));
      }
    });
    try {
      await listener.query(`LISTEN ${MONITOR_CHANGES_CHANNEL}`);
      await writeBatch(
        pool,
        [
          result(first.id, region, 0, "UP"),
          result(second.id, region, 0, "DOWN"),
          result(theirs.id, region, 0, "UP"),
          result(first.id, region, 60, "UP"),
        ],
        TLS_DAYS,
      );
      // A round trip on the listening connection: notifications sent before it have arrived.
      await listener.query("SELECT 1");
      await expect.poll(() => heard.get(other.id)?.size ?? 0).toBe(1);
      expect(heard).toEqual(
        new Map([
          [userId, new Set([first.id, second.id])],
          [other.id, new Set([theirs.id])],
        ]),
      );
    } finally {
      await listener.end();
    }
  });
});
