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
    await db.website.updateMany({
      where: { userId: user.id },
      data: { createdAt: new Date(Date.now() - 86_400_000 - 60_000) },
    });
    const now = Date.now();
    const at = (ago: number) => new Date(now - ago);
    const record = (websiteId: string, ago: number, verdict: CheckResultRecord["verdict"]) => ({
      websiteId,
      region: "default",
      scheduledAt: at(ago),
      checkedAt: at(ago),
      leaseUntil: null,
      verdict,
    });
    await write([
      record(healthy.id, 3 * 3_600_000, up(100)),
      record(healthy.id, 60_000, up(50)),
      record(broken.id, 2 * 3_600_000, up(80)),
      record(broken.id, 36 * 60_000, down), // down for the last 36 minutes, still open
    ]);

    const list = await api.monitor.overview();
    const byName: Record<string, (typeof list)[number]> = Object.fromEntries(list.map((m) => [m.name ?? m.url, m]));
    expect(byName.Healthy).toMatchObject({ status: "UP", uptime24h: 100, uptime30d: 100, lastResponseTimeMs: 50 });
    expect(byName.Healthy!.sparkline).toHaveLength(24);
    expect(byName.Healthy!.sparkline.filter((v) => v !== null)).toEqual([100, 50]);
    expect(byName.Broken!.status).toBe("DOWN");
    expect(byName.Broken!.uptime24h).toBeCloseTo(97.5, 1);
    expect(byName.Paused!.status).toBe("PAUSED");
  });

  it("gives 90 daily bars with uptime and incidents, and uptime over 24 h to 90 d", async () => {
    const monitor = await api.monitor.create({ url: "http://127.0.0.1:9/bars" });
    await db.website.update({ where: { id: monitor.id }, data: { createdAt: new Date(Date.now() - 5 * 86_400_000) } });
    const dayStart = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 2 * 86_400_000;
    const at = (ms: number) => new Date(dayStart + ms);
    await write(
      [
        [3_600_000, up(40)],
        [3_600_000 + 12 * 60_000, down],
        [3_600_000 + 48 * 60_000, up(40)],
      ].map(([ms, verdict]) => ({
        websiteId: monitor.id,
        region: "default",
        scheduledAt: at(ms as number),
        checkedAt: at(ms as number),
        leaseUntil: null,
        verdict: verdict as CheckResultRecord["verdict"],
      })),
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
      [10 * 60_000, 5 * 60_000, 60_000].map((ago, i) => ({
        websiteId: monitor.id,
        region: "default",
        scheduledAt: new Date(now - ago),
        checkedAt: new Date(now - ago),
        leaseUntil: null,
        verdict: up(40 + i * 10),
      })),
    );
    const hour = await api.monitor.responseTimes({ id: monitor.id, range: "1h" });
    expect(hour.map((p) => p.total)).toEqual([40, 50, 60]);
    // A phase that did not happen (no TLS on http) is 0 ms of it.
    expect(hour[0]).toMatchObject({ dns: 1, connect: 2, tls: 0, ttfb: 30, download: 7 });
    const day = await api.monitor.responseTimes({ id: monitor.id, range: "24h" });
    expect(day.length).toBeGreaterThanOrEqual(1);
    expect(day.every((p) => p.p95 !== null && p.p50 !== null)).toBe(true);
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
    expect((await db.website.findUniqueOrThrow({ where: { id: copy.id } })).requestHeaders).toEqual([
      { name: "X-Key", value: "secret-value" },
    ]);

    const paused = await api.monitor.pauseMany({ ids: [original.id, copy.id] });
    expect(paused.map((m) => m.status)).toEqual(["PAUSED", "PAUSED"]);
    const resumed = await api.monitor.resumeMany({ ids: [original.id, copy.id] });
    expect(resumed.every((m) => m.status !== "PAUSED")).toBe(true);
  });
});
