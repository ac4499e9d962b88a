/**
 * The database goes away while checks run: the runner keeps checking the monitors it
 * holds, queues the results in memory, and writes them all once the database is back.
 * This test runs its own PostgreSQL (embedded) so it can stop and start it.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../core/db/client.ts";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../core/ops/embedded-postgres.ts";
import { applyMigrations } from "../../core/ops/migrate.ts";
import { createFastMonitor, eventually, sleep, startTestRunner, uniqueRegion } from "../support/engine.ts";
import { createUser } from "../support/factories.ts";
import { closedPort } from "../support/ports.ts";
import { startTargetServer, type TargetServer } from "../support/target-server.ts";
import { tmpRoot, uniqueSuffix } from "../support/test-database.ts";

const dataDir = path.join(tmpRoot, `restart-${uniqueSuffix()}`);
let port: number;
let postgres: EmbeddedPostgres;
let target: TargetServer;

beforeAll(async () => {
  port = await closedPort();
  postgres = await startEmbeddedPostgres({ dataDir, port });
  await applyMigrations(postgres.url);
  target = await startTargetServer();
});
afterAll(async () => {
  await target?.stop();
  await postgres?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function resultCounts(url: string, ids: string[]): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ monitorId: string; count: string }>(
      `SELECT w.id AS "monitorId", count(*) FROM "CheckResult" r JOIN "Website" w ON w.key = r."monitorKey"
       WHERE w.id = ANY($1) GROUP BY w.id`,
      [ids],
    );
    return new Map(rows.map((row) => [row.monitorId, Number(row.count)]));
  } finally {
    await client.end();
  }
}

describe("database restarted while checks run", () => {
  it("loses no result: every hit the target saw has a stored result", async () => {
    const region = uniqueRegion();
    const db = createDb(postgres.url);
    const user = await createUser(db);
    const monitors = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        createFastMonitor(db, user.id, { url: target.url(`/ok/${region}-${i}`), regions: [region] }),
      ),
    );
    await db.$disconnect();
    const runner = startTestRunner(postgres.url, { region });

    await eventually("first results written", () => Promise.resolve(runner.stats().written >= 5 || null));
    await postgres.stop();
    const hitsWhenDown = target.hits();
    await sleep(3_000);
    expect(target.hits()).toBeGreaterThan(hitsWhenDown); // checks went on without the database
    expect(runner.stats().queued).toBeGreaterThan(0);

    postgres = await startEmbeddedPostgres({ dataDir, port });
    await eventually("queue flushed", () => Promise.resolve(runner.stats().queued === 0 || null), 30_000);
    await runner.stop();

    const counts = await resultCounts(
      postgres.url,
      monitors.map((m) => m.id),
    );
    for (const [i, monitor] of monitors.entries()) {
      expect(counts.get(monitor.id), `monitor ${i}`).toBe(target.hits(`/ok/${region}-${i}`));
    }
    expect(runner.stats().dropped).toBe(0);
  }, 90_000);
});
