import { afterAll, describe, expect, inject, it } from "vitest";
import { uptimeOver } from "../../app/server/services/monitors/uptime.server.ts";
import { createPgPool } from "../../core/db/pg-pool.ts";
import { createResultWriter } from "../../workers/results/writer.ts";
import { createLogger } from "../../core/logger.ts";
import { testDb } from "../support/db.ts";
import { createFastMonitor, eventually } from "../support/engine.ts";
import { createUser } from "../support/factories.ts";

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
