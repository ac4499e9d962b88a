/**
 * One monitor's bad data never costs anyone else's results: text from targets (bodies,
 * headers, errors) is made storable before SQL; a record PostgreSQL still refuses is
 * found by splitting the batch and stored without its text; and a batch written twice
 * (a lost COMMIT acknowledgement) stores nothing twice.
 */
import { once } from "node:events";
import net from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createLogger } from "../../core/logger.ts";
import { createResultWriter, type CheckResultRecord } from "../../workers/results/writer.ts";
import type { CheckOutcome } from "../../workers/engine/probes/outcome.ts";
import { testDb } from "../support/db.ts";
import { createFastMonitor, eventually, startTestRunner, uniqueRegion } from "../support/engine.ts";
import { createUser } from "../support/factories.ts";
import { startTargetServer, type TargetServer } from "../support/target-server.ts";
import { checksOf, countChecks } from "../support/stored-results.ts";

const db = testDb();
let pool: pg.Pool;
let target: TargetServer;
let userId: string;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: inject("databaseUrl"), options: "-c TimeZone=UTC" });
  target = await startTargetServer();
  userId = (await createUser(db)).id;
});
afterAll(async () => {
  await target.stop();
  await pool.end();
  await db.$disconnect();
});

/** A PNG-ish error page: NULs, invalid UTF-8 in the body and in a header. */
const POISON_BODY = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]),
  Buffer.from("broken \u0000 page "),
  Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
]);

async function startPoisonTarget(): Promise<{ url: string; stop(): Promise<void> }> {
  const server = net.createServer((socket) => {
    socket.once("data", () => {
      socket.end(
        Buffer.concat([
          Buffer.from("HTTP/1.1 500 Internal Server Error\r\nContent-Type: image/png\r\nX-Debug: "),
          Buffer.from([0xff, 0xc3, 0x28, 0x80]),
          Buffer.from(`\r\nContent-Length: ${POISON_BODY.length}\r\nConnection: close\r\n\r\n`),
          POISON_BODY,
        ]),
      );
    });
    socket.on("error", () => undefined);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

function healthyOutcome(): CheckOutcome {
  return {
    status: "UP",
    statusCode: 200,
    responseTimeMs: 12,
    timings: { dnsMs: 0, connectMs: 1, tlsMs: null, ttfbMs: 10, downloadMs: 1 },
    tlsExpiresAt: null,
    errorClass: null,
    error: null,
    snapshot: null,
  };
}

async function resultCount(monitorIds: string[]): Promise<number> {
  return countChecks(db, monitorIds);
}

describe("a target answering with NULs and invalid UTF-8", () => {
  it("opens its incident with a cleaned snapshot, and the 50 healthy monitors checked beside it lose nothing", async () => {
    const region = uniqueRegion();
    const poison = await startPoisonTarget();
    // A generous timeout: on a loaded machine the incident's cause must still be the answer, not a timeout.
    const bad = await createFastMonitor(db, userId, { url: poison.url, regions: [region], timeoutMs: 5_000 });
    const healthy = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        createFastMonitor(db, userId, { url: target.url(`/ok/${region}/${i}`), regions: [region] }),
      ),
    );
    const runner = startTestRunner(inject("databaseUrl"), { region });
    try {
      const incident = await eventually("the incident", () =>
        db.incident.findFirst({ where: { monitorId: bad.id, resolvedAt: null } }),
      );
      await eventually("three rounds of results for everyone", async () => {
        const counts = await Promise.all(healthy.map((monitor) => countChecks(db, monitor.id)));
        return counts.every((count) => count >= 3);
      });
      expect(incident.cause).toBe("status");
      const snapshot = incident.snapshot as { statusCode: number; headers: Record<string, string>; body: string };
      expect(snapshot.statusCode).toBe(500);
      expect(snapshot.body).toContain("broken \uFFFD page");
      expect(snapshot.body).not.toContain("\u0000");
      expect(snapshot.headers["x-debug"]).toBeDefined();
      expect(await countChecks(db, bad.id)).toBeGreaterThan(0);
      expect(runner.stats().dropped).toBe(0);
    } finally {
      await runner.stop();
      await poison.stop();
    }
    // Every hit the healthy target saw is a stored result.
    for (const [i, monitor] of healthy.entries()) {
      expect(await resultCount([monitor.id]), `monitor ${i}`).toBe(target.hits(`/ok/${region}/${i}`));
    }
  });
});

describe("the result writer", () => {
  async function monitors(n: number) {
    const region = uniqueRegion();
    const created = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        createFastMonitor(db, userId, { url: target.url(`/writer/${i}`), regions: [region] }),
      ),
    );
    return { region, ids: created.map((m) => m.id) };
  }

  function records(ids: string[], region: string, at: number): CheckResultRecord[] {
    return ids.map((monitorId) => ({
      monitorId,
      region,
      scheduledAt: new Date(at),
      checkedAt: new Date(at + 5),
      leaseUntil: null,
      verdict: healthyOutcome(),
    }));
  }

  it("stores a record PostgreSQL refuses without its text, and the 50 others of its batch as they are", async () => {
    const { region, ids } = await monitors(51);
    const writer = createResultWriter({ pool, logger: createLogger("silent"), queueLimit: 1_000 });
    const batch = records(ids, region, Date.now() - 1_000);
    // Not text the sanitiser knows about: a certificate date PostgreSQL cannot parse.
    batch[17]!.verdict = {
      ...healthyOutcome(),
      status: "DOWN",
      statusCode: 500,
      errorClass: "status",
      error: "HTTP 500 \u0000 \ud800 lone surrogate",
      tlsExpiresAt: "not a date",
      snapshot: { statusCode: 500, headers: { "x-\u0000": "\udfff" }, body: "\u0000\u0000" },
    };
    for (const record of batch) writer.push(record);
    await writer.drain(20_000);
    writer.stop();

    expect(writer.stats()).toMatchObject({ queued: 0, written: 51, dropped: 0, repaired: 1 });
    expect(await resultCount(ids)).toBe(51);
    const [stored] = await checksOf(db, ids[17]!);
    expect(stored).toMatchObject({ status: "DOWN", statusCode: 500, errorClass: "status" });
    expect(stored!.error).toBe("(the error text could not be stored)");
    expect((await db.monitor.findUniqueOrThrow({ where: { id: ids[17]! } })).tlsExpiresAt).toBeNull();
  });

  it("stores nothing twice when a batch is written again", async () => {
    const { region, ids } = await monitors(10);
    const at = Date.now() - 2_000;
    for (let attempt = 0; attempt < 2; attempt++) {
      const writer = createResultWriter({ pool, logger: createLogger("silent"), queueLimit: 1_000 });
      for (const record of records(ids, region, at)) writer.push(record);
      await writer.drain(20_000);
      writer.stop();
      expect(writer.stats().dropped).toBe(0);
    }
    expect(await resultCount(ids)).toBe(10);
    const hourly = await db.checkRollup.findMany({ where: { monitorId: { in: ids }, period: "HOUR" } });
    expect(hourly).toHaveLength(10);
    expect(hourly.every((rollup) => rollup.checks === 1)).toBe(true);
  });
});
