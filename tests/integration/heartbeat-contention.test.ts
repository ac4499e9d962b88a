/**
 * Heartbeat pings while results are written for the same monitors: a ping that changes
 * its monitor's state touches that monitor's schedule, as the results writer does. Two web
 * processes and a runner's writer working on the same monitors at once must never make a
 * ping fail (a deadlock answered 500, and the ping lost).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPgPool } from "../../core/db/pg-pool.ts";
import { writeBatch } from "../../workers/results/store.ts";
import type { CheckResultRecord } from "../../workers/results/record.ts";
import { recordPing } from "../../app/server/services/monitors/heartbeat-pings.server.ts";
import { createCaches } from "../../app/server/services/process/caches.server.ts";
import { callerFor } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { checkRecord } from "../support/check-records.ts";
import { createUser } from "../support/factories.ts";

const MONITORS = 30;
const ROUNDS = 8;
// Two web processes: each has its own client and ping writer, so their batches overlap.
const webs = [testDb(), testDb()];
const pool = createPgPool(inject("databaseUrl"), 4);
const monitors: { id: string; token: string }[] = [];

beforeAll(async () => {
  const user = await createUser(webs[0]!);
  const api = callerFor(webs[0]!, { user, env: { MONITORS_PER_USER: "1000" } });
  for (let i = 0; i < MONITORS; i += 1) {
    const monitor = await api.monitor.create({
      type: "HEARTBEAT",
      periodSeconds: 60,
      graceSeconds: 60,
      name: `job ${i}`,
    });
    monitors.push({ id: monitor.id, token: monitor.pushUrl!.split("/api/push/")[1]! });
  }
});
afterAll(async () => {
  await pool.end();
  await Promise.all(webs.map((db) => db.$disconnect()));
});

function results(status: "UP" | "DOWN", order: number[]): CheckResultRecord[] {
  const now = Date.now();
  return order.map((index) => checkRecord(monitors[index]!.id, status, new Date(now + index)));
}

describe("heartbeat pings under contention", () => {
  it("every ping is recorded while another process pings and the results writer judges the same monitors", async () => {
    const indexes = [...Array(MONITORS).keys()];
    const failures: unknown[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      // Each side walks the monitors in its own order, and each ping flips its monitor's
      // state, so every ping's statement updates schedules the writer is updating too.
      const shuffled = [...indexes].sort(() => Math.random() - 0.5);
      const pings = webs.flatMap((db, web) =>
        shuffled.map((index) =>
          recordPing(
            { db, caches: createCaches(), clientIp: `127.0.0.${web + 1}` },
            { token: monitors[index]!.token, failed: (round + index + web) % 2 === 0, message: null },
          ).catch((error: unknown) => failures.push(error)),
        ),
      );
      const writes = [
        writeBatch(pool, results(round % 2 === 0 ? "DOWN" : "UP", [...shuffled].reverse()), 14),
        writeBatch(pool, results(round % 2 === 0 ? "UP" : "DOWN", shuffled), 14),
      ].map((write) => write.catch((error: unknown) => failures.push(`writer: ${String(error)}`)));
      await Promise.all([...pings, ...writes]);
    }
    expect(failures.map(String)).toEqual([]);
    const stored = await webs[0]!.heartbeatPing.count({ where: { monitorId: { in: monitors.map((m) => m.id) } } });
    expect(stored).toBe(MONITORS * ROUNDS * webs.length);
  });
});
