import { afterAll, describe, expect, inject, it } from "vitest";
import { uptimeOver } from "../../app/server/services/monitors/uptime.server.ts";
import { createPgPool } from "../../core/db/pg-pool.ts";
import { createResultWriter } from "../../workers/results/writer.ts";
import { createLogger } from "../../core/logger.ts";
import { testDb } from "../support/db.ts";
import { createFastMonitor, eventually } from "../support/engine.ts";
import { createUser, createMonitorRow } from "../support/factories.ts";
import { HISTOGRAM_SIZE } from "../../core/domain/rollups.ts";

const db = testDb();
const pool = createPgPool(inject("databaseUrl"), 2);
afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

const DAY = 86_400_000;
const up = {
  status: "UP",
  statusCode: 200,
  responseTimeMs: 40,
  timings: { dnsMs: 0, connectMs: 1, tlsMs: null, ttfbMs: 30, downloadMs: 1 },
  tlsExpiresAt: null,
  errorClass: null,
  error: null,
  snapshot: null,
} as const;
const down = {
  ...up,
  status: "DOWN",
  statusCode: 503,
  errorClass: "status",
  error: "HTTP 503, expected 200-299",
} as const;

describe("uptime from rollups", () => {
  it("a 36-minute incident on one day gives 97.5% that day; other days stay at 100%", async () => {
    const user = await createUser(db);
    const monitor = await createFastMonitor(db, user.id, { url: "http://127.0.0.1:9/", regions: ["uptime-test"] });
    const writer = createResultWriter({ pool, logger: createLogger("silent"), queueLimit: 1000, flushIntervalMs: 20 });
    const day = Math.floor(Date.now() / DAY) * DAY - 3 * DAY; // three days ago, 00:00 UTC
    const at = (ms: number) => new Date(day + ms);
    const record = (ms: number, verdict: typeof up | typeof down) => ({
      monitorId: monitor.id,
      region: "uptime-test",
      scheduledAt: at(ms),
      checkedAt: at(ms),
      leaseUntil: null,
      verdict,
    });
    // Up at 10:00, down 10:12 → 10:48 (36 min), up again: as the engine would see it.
    for (const [ms, verdict] of [
      [10 * 3_600_000, up],
      [10 * 3_600_000 + 12 * 60_000, down],
      [10 * 3_600_000 + 48 * 60_000, up],
    ] as const) {
      writer.push(record(ms, verdict));
      await writer.drain(5_000);
    }
    writer.stop();
    await eventually(
      "incident resolved",
      async () =>
        (await db.incident.findFirst({ where: { monitorId: monitor.id, resolvedAt: { not: null } } })) ?? null,
    );

    const thatDay = await uptimeOver(db, monitor.id, DAY, new Date(day + DAY));
    expect(thatDay).toMatchObject({
      uptimePercent: 97.5,
      downtimeSeconds: 36 * 60,
      checks: 3,
      failures: 1,
      averageResponseMs: 40,
    });
    const nextDay = await uptimeOver(db, monitor.id, DAY, new Date(day + 2 * DAY));
    expect(nextDay).toMatchObject({ uptimePercent: 100, downtimeSeconds: 0 });
    const ninetyDays = await uptimeOver(db, monitor.id, 90 * DAY, new Date(day + 2 * DAY + 5 * 3_600_000));
    expect(ninetyDays.downtimeSeconds).toBe(36 * 60);
    expect(ninetyDays.p95ResponseMs).toBe(50);
  });
});

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** A fixed UTC midnight: these windows are judged as of a given `now`, not the clock. */
const D = Date.UTC(2026, 2, 10);

type RollupFields = {
  downtimeSeconds?: number;
  checks?: number;
  failures?: number;
  responseTimeSumMs?: number;
  responseTimeCount?: number;
  histogram?: number[];
};

/** A monitor's stored history: hourly and daily rollups as the results writer leaves them. */
async function history(rows: ({ period: "HOUR" | "DAY"; at: number } & RollupFields)[]) {
  const user = await createUser(db);
  const monitor = await createMonitorRow(db, user.id);
  await db.checkRollup.createMany({
    data: rows.map(({ period, at, ...fields }) => ({
      monitorId: monitor.id,
      period,
      bucketStart: new Date(at),
      ...fields,
    })),
  });
  return monitor;
}

async function openIncident(monitorId: string, startedAt: number) {
  await db.incident.create({
    data: { monitorId, openKey: monitorId, cause: "status", regions: [], startedAt: new Date(startedAt) },
  });
}

/** A response-time histogram with `count` checks in bucket `index` (≤ 50 ms is 3, ≤ 1000 ms is 11). */
function histogramOf(...entries: [index: number, count: number][]) {
  const histogram = new Array<number>(HISTOGRAM_SIZE).fill(0);
  for (const [index, count] of entries) histogram[index] = count;
  return histogram;
}

describe("the window an uptime figure is judged over", () => {
  it("the last 24 hours at 12:30 count every hour they touch, from 12:00 yesterday, and nothing before or after", async () => {
    const monitor = await history([
      { period: "HOUR", at: D + 11 * HOUR, downtimeSeconds: 600, checks: 60, failures: 10 },
      { period: "HOUR", at: D + 12 * HOUR, downtimeSeconds: 300, checks: 60, failures: 5 },
      { period: "HOUR", at: D + 23 * HOUR, downtimeSeconds: 60, checks: 60, failures: 1 },
      { period: "HOUR", at: D + DAY, downtimeSeconds: 30, checks: 60, failures: 1 },
      { period: "HOUR", at: D + DAY + 12 * HOUR, downtimeSeconds: 6, checks: 30, failures: 1 },
      { period: "HOUR", at: D + DAY + 13 * HOUR, downtimeSeconds: 1000, checks: 60, failures: 20 },
      { period: "DAY", at: D, downtimeSeconds: 960, checks: 180, failures: 16 },
      { period: "DAY", at: D + DAY, downtimeSeconds: 1036, checks: 150, failures: 22 },
    ]);
    const lastDay = await uptimeOver(db, monitor.id, DAY, new Date(D + DAY + 12 * HOUR + 30 * MINUTE));
    // 300 + 60 + 30 + 6 s down in 86,400 s.
    expect(lastDay).toMatchObject({
      windowSeconds: 86_400,
      downtimeSeconds: 396,
      uptimePercent: 99.541,
      checks: 210,
      failures: 8,
    });
  });

  it("seven days take whole days from daily rollups and the partial days at either end from hourly ones", async () => {
    const monitor = await history([
      { period: "DAY", at: D - DAY, downtimeSeconds: 5000 },
      { period: "HOUR", at: D + 11 * HOUR, downtimeSeconds: 600 },
      { period: "HOUR", at: D + 12 * HOUR, downtimeSeconds: 300 },
      { period: "DAY", at: D, downtimeSeconds: 900 },
      { period: "HOUR", at: D + 3 * DAY + 5 * HOUR, downtimeSeconds: 100 },
      { period: "DAY", at: D + 3 * DAY, downtimeSeconds: 100 },
      { period: "HOUR", at: D + 7 * DAY + 12 * HOUR, downtimeSeconds: 7 },
      { period: "HOUR", at: D + 7 * DAY + 13 * HOUR, downtimeSeconds: 50 },
      { period: "DAY", at: D + 7 * DAY, downtimeSeconds: 57 },
      { period: "DAY", at: D + 8 * DAY, downtimeSeconds: 4000 },
    ]);
    const week = await uptimeOver(db, monitor.id, 7 * DAY, new Date(D + 7 * DAY + 12 * HOUR + 30 * MINUTE));
    // 300 s (from 12:00 on the first day) + 100 s (a whole day) + 7 s (this morning), each once.
    expect(week).toMatchObject({ windowSeconds: 7 * 86_400, downtimeSeconds: 407, uptimePercent: 99.932 });
  });

  it("a monitor younger than the window is judged over its own life, from the hour it was created in", async () => {
    const created = D + DAY + 6 * HOUR + 20 * MINUTE;
    const monitor = await history([
      { period: "HOUR", at: D + DAY + 6 * HOUR, downtimeSeconds: 222, checks: 40, failures: 4 },
      { period: "HOUR", at: D + DAY + 12 * HOUR, checks: 30 },
      { period: "HOUR", at: D + DAY + 13 * HOUR, downtimeSeconds: 900, checks: 60, failures: 15 },
      { period: "DAY", at: D + DAY, downtimeSeconds: 1122, checks: 130, failures: 19 },
    ]);
    const now = new Date(D + DAY + 12 * HOUR + 30 * MINUTE);
    const lastDay = await uptimeOver(db, monitor.id, DAY, now, new Date(created));
    // 222 s down in its 6 h 10 min (22,200 s): 99 %.
    expect(lastDay).toMatchObject({
      windowSeconds: 22_200,
      downtimeSeconds: 222,
      uptimePercent: 99,
      checks: 70,
      failures: 4,
    });
    // Created this very moment: nothing to judge yet, shown as 100 %.
    expect(await uptimeOver(db, monitor.id, DAY, now, now)).toMatchObject({
      windowSeconds: 0,
      uptimePercent: 100,
    });
  });

  it("an incident still open counts up to now, within the window, and only for its own monitor", async () => {
    const now = D + DAY + 12 * HOUR + 30 * MINUTE;
    const monitor = await history([{ period: "HOUR", at: D + DAY + 10 * HOUR, downtimeSeconds: 120 }]);
    await openIncident(monitor.id, now - 30 * MINUTE);
    // Another monitor, down for two days and still down.
    const other = await history([{ period: "HOUR", at: D + 12 * HOUR, downtimeSeconds: 300 }]);
    await openIncident(other.id, D - DAY);

    // 120 s resolved + 1,800 s open: 1,920 s of the day.
    expect(await uptimeOver(db, monitor.id, DAY, new Date(now))).toMatchObject({
      downtimeSeconds: 1920,
      uptimePercent: 97.777,
    });
    // Down since before the window: the whole window, never more, whatever the first hour held.
    expect(await uptimeOver(db, other.id, DAY, new Date(now))).toMatchObject({
      downtimeSeconds: 86_400,
      uptimePercent: 0,
    });
  });
});

describe("response times over a window", () => {
  it("average and p95 over every hour and day in the window; none when nothing answered", async () => {
    const monitor = await history([
      // Day D, whole: 95 checks at ≤ 50 ms.
      {
        period: "DAY",
        at: D,
        checks: 95,
        responseTimeSumMs: 3800,
        responseTimeCount: 95,
        histogram: histogramOf([3, 95]),
      },
      // This morning: 5 checks at ≤ 1000 ms.
      {
        period: "HOUR",
        at: D + DAY + HOUR,
        checks: 5,
        responseTimeSumMs: 4450,
        responseTimeCount: 5,
        histogram: histogramOf([11, 5]),
      },
      // After now: not part of the window.
      {
        period: "HOUR",
        at: D + DAY + 3 * HOUR,
        checks: 5,
        responseTimeSumMs: 50_000,
        responseTimeCount: 5,
        histogram: histogramOf([20, 5]),
      },
    ]);
    const window = await uptimeOver(db, monitor.id, 2 * DAY, new Date(D + DAY + 2 * HOUR));
    // (3,800 + 4,450) ms over 100 checks; 95 of 100 at ≤ 50 ms.
    expect(window).toMatchObject({ checks: 100, averageResponseMs: 83, p95ResponseMs: 50 });
    // Judged from this morning only (a monitor created at midnight): just the slow checks.
    const later = await uptimeOver(db, monitor.id, 2 * DAY, new Date(D + DAY + 2 * HOUR), new Date(D + DAY));
    expect(later).toMatchObject({ checks: 5, averageResponseMs: 890, p95ResponseMs: 1000 });

    const quiet = await uptimeOver(db, monitor.id, DAY, new Date(D));
    expect(quiet).toMatchObject({ checks: 0, failures: 0, averageResponseMs: null, p95ResponseMs: null });
  });
});
