/**
 * The dashboard's reads, on data written by the engine's own writer.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPgPool } from "../../core/db/pg-pool.ts";
import { createLogger } from "../../core/logger.ts";
import type { SessionUser } from "../../app/server/services/auth/session-user.server.ts";
import { createResultWriter, type CheckResultRecord } from "../../workers/results/writer.ts";
import { callerFor } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createUser } from "../support/factories.ts";
import { insertChecks } from "../support/stored-results.ts";

const db = testDb();
const pool = createPgPool(inject("databaseUrl"), 2);
let user: SessionUser;
let api: ReturnType<typeof callerFor>;
beforeAll(async () => {
  user = await createUser(db);
  api = callerFor(db, { user });
});
afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

const timings = { dnsMs: 1, connectMs: 2, tlsMs: null, ttfbMs: 30, downloadMs: 7 };
const up = (ms: number) =>
  ({
    status: "UP",
    statusCode: 200,
    responseTimeMs: ms,
    timings,
    tlsExpiresAt: null,
    errorClass: null,
    error: null,
    snapshot: null,
  }) as const;
const down = {
  ...up(0),
  status: "DOWN",
  statusCode: 503,
  errorClass: "status",
  error: "HTTP 503, expected 200-299",
} as const;

/** A result of `monitorId` checked at `at`, as the engine hands it to the writer. */
const resultAt = (monitorId: string, at: Date, verdict: CheckResultRecord["verdict"]): CheckResultRecord => ({
  monitorId,
  region: "default",
  scheduledAt: at,
  checkedAt: at,
  leaseUntil: null,
  verdict,
});

async function write(records: CheckResultRecord[]) {
  const writer = createResultWriter({ pool, logger: createLogger("silent"), queueLimit: 10_000, flushIntervalMs: 10 });
  for (const record of records) {
    writer.push(record);
    await writer.drain(5_000);
  }
  writer.stop();
}

describe("dashboard reads", () => {
  it("summarises every monitor in one list: status, uptime, sparkline", async () => {
    const healthy = await api.monitor.create({ url: "http://127.0.0.1:9/healthy", name: "Healthy" });
    const broken = await api.monitor.create({ url: "http://127.0.0.1:9/broken", name: "Broken" });
    const paused = await api.monitor.create({ url: "http://127.0.0.1:9/paused", name: "Paused" });
    await api.monitor.pause({ id: paused.id });
    // Pretend they were created a day ago, so the 24 h window is a full day.
    await db.monitor.updateMany({
      where: { userId: user.id },
      data: { createdAt: new Date(Date.now() - 86_400_000 - 60_000) },
    });
    const now = Date.now();
    const at = (ago: number) => new Date(now - ago);
    const record = (monitorId: string, ago: number, verdict: CheckResultRecord["verdict"]) =>
      resultAt(monitorId, at(ago), verdict);
    await write([
      record(healthy.id, 3 * 3_600_000, up(100)),
      record(healthy.id, 60_000, up(50)),
      record(broken.id, 2 * 3_600_000, up(80)),
      record(broken.id, 36 * 60_000, down), // down for the last 36 minutes, still open
    ]);

    const list = (await api.monitor.overview({})).monitors;
    const byName: Record<string, (typeof list)[number]> = Object.fromEntries(list.map((m) => [m.name ?? m.url, m]));
    expect(byName.Healthy).toMatchObject({ status: "UP", uptime24h: 100, uptime30d: 100, lastResponseTimeMs: 50 });
    expect(byName.Healthy!.sparkline).toHaveLength(24);
    expect(byName.Healthy!.sparkline.filter((v) => v !== null)).toEqual([100, 50]);
    expect(byName.Broken!.status).toBe("DOWN");
    expect(byName.Broken!.uptime24h).toBeCloseTo(97.5, 1);
    expect(byName.Paused!.status).toBe("PAUSED");
  });

  it("keeps each monitor's summary equal to what its rollups say, through up, down and up again", async () => {
    const monitor = await api.monitor.create({ url: "http://127.0.0.1:9/flapping", name: "Flapping" });
    await db.monitor.update({ where: { id: monitor.id }, data: { createdAt: new Date(Date.now() - 30 * 3_600_000) } });
    const now = Date.now();
    const at = (ago: number) => new Date(now - ago);
    const record = (ago: number, verdict: CheckResultRecord["verdict"]) => resultAt(monitor.id, at(ago), verdict);
    // Up for hours, down for 50 minutes (an incident that resolves), up again.
    await write([
      record(5 * 3_600_000, up(120)),
      record(4 * 3_600_000, up(140)),
      record(3 * 3_600_000, down),
      record(2 * 3_600_000 + 10 * 60_000, up(90)),
      record(60_000, up(60)),
    ]);
    const [row] = (await api.monitor.overview({ q: "Flapping" })).monitors;
    const stats = await api.monitor.stats({ id: monitor.id });
    expect(row!.status).toBe("UP");
    expect(row!.uptime24h).toBe(stats.uptime.h24.uptimePercent);
    expect(row!.uptime30d).toBe(stats.uptime.d30.uptimePercent);
    expect(row!.uptime24h).toBeLessThan(100);
    // The sparkline is the hourly rollups' averages.
    const hourly = await db.checkRollup.findMany({
      where: { monitorId: monitor.id, period: "HOUR", responseTimeCount: { gt: 0 } },
      orderBy: { bucketStart: "asc" },
    });
    expect(row!.sparklineOf).toBe("hours");
    expect(row!.sparkline.filter((value) => value !== null)).toEqual(
      hourly.map((rollup) => Math.round(Number(rollup.responseTimeSumMs) / rollup.responseTimeCount)),
    );
    expect(new Date(row!.statusChangedAt).getTime()).toBe(at(2 * 3_600_000 + 10 * 60_000).getTime());
  });

  it("sorts by 24-hour uptime, worst first, counting an outage still going on", async () => {
    const owner = await createUser(db);
    const ownerApi = callerFor(db, { user: owner });
    const names = ["A steady", "B resolved outage", "C down now"];
    const [steady, resolved, downNow] = await Promise.all(
      names.map((name) => ownerApi.monitor.create({ url: "http://127.0.0.1:9/sorted", name })),
    );
    await db.monitor.updateMany({
      where: { userId: owner.id },
      data: { createdAt: new Date(Date.now() - 30 * 3_600_000) },
    });
    const now = Date.now();
    const record = (monitorId: string, minutesAgo: number, verdict: CheckResultRecord["verdict"]) =>
      resultAt(monitorId, new Date(now - minutesAgo * 60_000), verdict);
    await write([
      record(steady!.id, 180, up(40)),
      record(steady!.id, 1, up(40)),
      // Down 36 minutes, resolved: 97.5 %.
      record(resolved!.id, 300, up(40)),
      record(resolved!.id, 180, down),
      record(resolved!.id, 144, up(40)),
      // Down for the last 72 minutes and still down: 95 %.
      record(downNow!.id, 180, up(40)),
      record(downNow!.id, 72, down),
    ]);
    const { monitors } = await ownerApi.monitor.overview({ sort: "uptime" });
    expect(monitors.map((m) => m.name)).toEqual(["C down now", "B resolved outage", "A steady"]);
  });

  it("shows a young monitor's latest checks one by one in its sparkline", async () => {
    const monitor = await api.monitor.create({ url: "http://127.0.0.1:9/young", name: "Young" });
    const now = Date.now();
    await write(
      [3, 2, 1].map((ago, index) =>
        resultAt(monitor.id, new Date(now - ago * 10_000), index === 1 ? down : up(100 + index)),
      ),
    );
    const [row] = (await api.monitor.overview({ q: "Young" })).monitors;
    expect(row!.sparklineOf).toBe("checks");
    expect(row!.sparkline).toEqual([100, null, 102]);
  });

  it("pages, searches, filters by status and tag, and sorts in SQL", async () => {
    const owner = await createUser(db);
    const ownerApi = callerFor(db, { user: owner });
    for (let i = 1; i <= 120; i++) {
      await db.monitor.create({
        data: {
          userId: owner.id,
          url: `http://127.0.0.1:9/m/${i}`,
          name: `Service ${String(i).padStart(3, "0")}`,
          status: i % 10 === 0 ? "DOWN" : "UP",
          isActive: i % 25 !== 0,
          tags: i % 3 === 0 ? ["eu", "api"] : ["us"],
        },
      });
    }
    const first = await ownerApi.monitor.overview({ sort: "name" });
    expect(first).toMatchObject({ page: 1, pages: 3, total: 120, all: 120, pageSize: 50 });
    expect(first.monitors).toHaveLength(50);
    expect(first.monitors[0]!.name).toBe("Service 001");
    expect(first.tags).toEqual(["api", "eu", "us"]);
    const third = await ownerApi.monitor.overview({ sort: "name", page: 3 });
    expect(third.monitors.map((m) => m.name)).toEqual(
      Array.from({ length: 20 }, (_, i) => `Service ${String(101 + i).padStart(3, "0")}`),
    );
    // Past the last page: the last page.
    expect((await ownerApi.monitor.overview({ page: 99 })).page).toBe(3);
    // Down first by default; paused (every 25th) counted apart.
    const byStatus = await ownerApi.monitor.overview({ pageSize: 200 });
    expect(byStatus.counts).toEqual({ UP: 106, DOWN: 10, PENDING: 0, PAUSED: 4 });
    expect(byStatus.monitors.slice(0, 10).every((m) => m.status === "DOWN")).toBe(true);
    expect(byStatus.monitors.at(-1)!.status).toBe("PAUSED");
    const down = await ownerApi.monitor.overview({ status: "down" });
    expect(down.total).toBe(10);
    expect(down.monitors.every((m) => m.status === "DOWN")).toBe(true);
    const eu = await ownerApi.monitor.overview({ tag: "eu", pageSize: 200 });
    expect(eu.total).toBe(40);
    expect(eu.monitors.every((m) => m.tags.includes("eu"))).toBe(true);
    const search = await ownerApi.monitor.overview({ q: "service 11" });
    expect(search.monitors.map((m) => m.name).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `Service ${110 + i}`),
    );
    // A search for SQL's own wildcards finds them literally.
    expect((await ownerApi.monitor.overview({ q: "%" })).total).toBe(0);
    // Someone else's list never shows these.
    expect((await api.monitor.overview({ q: "Service 0" })).total).toBe(0);
    await expect(ownerApi.monitor.overview({ pageSize: 500 })).rejects.toThrow(/At most 200 monitors a page/);
  });

  it("gives 90 daily bars with uptime and incidents, and uptime over 24 h to 90 d", async () => {
    const monitor = await api.monitor.create({ url: "http://127.0.0.1:9/bars" });
    await db.monitor.update({ where: { id: monitor.id }, data: { createdAt: new Date(Date.now() - 5 * 86_400_000) } });
    const dayStart = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 2 * 86_400_000;
    const at = (ms: number) => new Date(dayStart + ms);
    await write(
      [
        [3_600_000, up(40)],
        [3_600_000 + 12 * 60_000, down],
        [3_600_000 + 48 * 60_000, up(40)],
      ].map(([ms, verdict]) => resultAt(monitor.id, at(ms as number), verdict as CheckResultRecord["verdict"])),
    );
    const stats = await api.monitor.stats({ id: monitor.id });
    expect(stats.dailyBars).toHaveLength(90);
    const outageDay = stats.dailyBars.find((bar) => bar.day.getTime() === dayStart)!;
    expect(outageDay).toMatchObject({ uptimePercent: 97.5, downtimeSeconds: 36 * 60, incidents: 1, checks: 3 });
    expect(stats.dailyBars[0]!.uptimePercent).toBeNull(); // before the monitor existed
    expect(stats.uptime.d7.downtimeSeconds).toBe(36 * 60);
  });

  it("serves response times with phases for each range", async () => {
    const monitor = await api.monitor.create({ url: "http://127.0.0.1:9/times" });
    const now = Date.now();
    await write(
      [10 * 60_000, 5 * 60_000, 60_000].map((ago, i) => resultAt(monitor.id, new Date(now - ago), up(40 + i * 10))),
    );
    const hour = await api.monitor.responseTimes({ id: monitor.id, range: "1h" });
    expect(hour.map((p) => p.total)).toEqual([40, 50, 60]);
    // A phase that did not happen (no TLS on http) is 0 ms of it.
    expect(hour[0]).toMatchObject({ dns: 1, connect: 2, tls: 0, ttfb: 30, download: 7 });
    // A day of checks every minute: each check, as in the last hour.
    const day = await api.monitor.responseTimes({ id: monitor.id, range: "24h" });
    expect(day.map((p) => p.total)).toEqual([40, 50, 60]);
    // Checked every 10 s: by the minute, with exact percentiles.
    await api.monitor.update({ id: monitor.id, intervalSeconds: 10 });
    const fastDay = await api.monitor.responseTimes({ id: monitor.id, range: "24h" });
    expect(fastDay.map((p) => p.total)).toEqual([40, 50, 60]);
    expect(fastDay.every((p) => p.p95 !== null && p.p50 !== null && p.t % 60_000 === 0)).toBe(true);
    const week = await api.monitor.responseTimes({ id: monitor.id, range: "7d" });
    expect(week.at(-1)).toMatchObject({ ttfb: 30, p95: expect.any(Number) });
  });

  it("pages through recent checks", async () => {
    const monitor = await api.monitor.create({ url: "http://127.0.0.1:9/pages" });
    const now = Date.now();
    await insertChecks(
      db,
      monitor.id,
      Array.from({ length: 30 }, (_, i) => ({ status: "UP" as const, checkedAt: new Date(now - i * 1000) })),
    );
    const first = await api.monitor.checks({ id: monitor.id });
    expect(first.items).toHaveLength(25);
    const second = await api.monitor.checks({ id: monitor.id, cursor: first.nextCursor! });
    expect(second.items).toHaveLength(5);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.items, ...second.items].map((c) => c.id)).size).toBe(30);
  });

  it("duplicates a monitor with its header values, and pauses/resumes several at once", async () => {
    const original = await api.monitor.create({
      url: "http://127.0.0.1:9/dup",
      name: "Original",
      headers: [{ name: "X-Key", value: "secret-value" }],
    });
    const copy = await api.monitor.duplicate({ id: original.id });
    expect(copy).toMatchObject({ name: "Original (copy)", url: original.url });
    expect((await db.monitor.findUniqueOrThrow({ where: { id: copy.id } })).requestHeaders).toEqual([
      { name: "X-Key", value: "secret-value" },
    ]);

    const paused = await api.monitor.pauseMany({ ids: [original.id, copy.id] });
    expect(paused.map((m) => m.status)).toEqual(["PAUSED", "PAUSED"]);
    const resumed = await api.monitor.resumeMany({ ids: [original.id, copy.id] });
    expect(resumed.every((m) => m.status !== "PAUSED")).toBe(true);
  });
});
