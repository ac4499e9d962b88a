import { afterEach, describe, expect, it } from "vitest";
import { inject } from "vitest";
import pg from "pg";
import { applyMigrations } from "../../core/ops/migrate.ts";
import { readChecks } from "../../core/db/check-results.ts";
import { createDb } from "../../core/db/client.ts";
import { uptimeOver } from "../../app/server/services/monitors/uptime.server.ts";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDatabaseBeside, repoRoot, type TestDatabase } from "../support/test-database.ts";

const committedMigrations = readdirSync(path.join(repoRoot, "prisma/migrations"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const scratch: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(scratch.splice(0).map((database) => database.drop()));
});

async function blankDatabase(): Promise<TestDatabase> {
  const database = await createDatabaseBeside(inject("databaseUrl"), "bu_migrate");
  scratch.push(database);
  return database;
}

async function appliedRows(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ migration_name: string; finished_at: Date | null }>(
      "SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name",
    );
    return rows;
  } finally {
    await client.end();
  }
}

describe("migrations applied at start (deploy semantics)", () => {
  it("applies every committed migration to a blank database, then nothing the second time", async () => {
    const { url } = await blankDatabase();
    expect(await applyMigrations(url)).toEqual(committedMigrations);
    expect(await applyMigrations(url)).toEqual([]);
    const rows = await appliedRows(url);
    expect(rows.map((r) => r.migration_name)).toEqual(committedMigrations);
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });

  it("is safe when several processes start at once: each migration is applied exactly once", async () => {
    const { url } = await blankDatabase();
    const results = await Promise.all([applyMigrations(url), applyMigrations(url), applyMigrations(url)]);
    expect(results.flat().sort()).toEqual(committedMigrations);
    expect((await appliedRows(url)).map((r) => r.migration_name)).toEqual(committedMigrations);
  });
});

describe("the compact results migration (existing data)", () => {
  it("moves every stored check over unchanged, and uptime and incidents read the same", async () => {
    const { url } = await blankDatabase();
    // The database as it was before the change: every migration up to it.
    const before = mkdtempSync(path.join(tmpdir(), "bu-migrations-"));
    const source = path.join(repoRoot, "prisma/migrations");
    cpSync(path.join(source, "migration_lock.toml"), path.join(before, "migration_lock.toml"));
    for (const name of committedMigrations.filter((name) => name < "20261201030000_compact_results")) {
      cpSync(path.join(source, name), path.join(before, name), { recursive: true });
    }
    await applyMigrations(url, before);
    rmSync(before, { recursive: true, force: true });

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const db = createDb(url);
    try {
      const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
      await client.query(`INSERT INTO "User" (id, email, "updatedAt") VALUES ('u1', 'old@example.test', now())`);
      await client.query(
        `INSERT INTO "Website" (id, "userId", url, "updatedAt", regions) VALUES ('w1', 'u1', 'http://127.0.0.1:9/', now(), '{eu,us}')`,
      );
      type Old = [
        string,
        string | null,
        number | null,
        number | null,
        (number | null)[],
        string | null,
        string | null,
        Date | null,
        Date,
      ];
      const old: Old[] = [
        ["eu", "UP", 200, 120, [1, 2, 3, 100, 14], null, null, at(30), new Date(at(30).getTime() + 7)],
        ["us", "UP", 200, 41_000, [0, 2, 0, 40_000, 998], null, null, at(30), new Date(at(30).getTime() + 12)],
        ["eu", "DOWN", 503, 80, [1, 2, 3, 70, 4], "status", "HTTP 503, expected 200-299", at(20), at(20)],
        ["eu", "DOWN", null, null, [null, null, null, null, null], "refused", "connect ECONNREFUSED", at(10), at(10)],
        ["us", null, null, null, [null, null, null, null, null], "runner", "check worker failed", null, at(5)],
      ];
      for (const [region, status, code, total, phases, errorClass, error, scheduledAt, checkedAt] of old) {
        await client.query(
          `INSERT INTO "CheckResult" ("websiteId", region, status, "statusCode", "responseTimeMs", "dnsMs", "connectMs",
             "tlsMs", "ttfbMs", "downloadMs", "errorClass", error, "scheduledAt", "checkedAt")
           VALUES ('w1', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
          [region, status, code, total, ...phases, errorClass, error, scheduledAt, checkedAt],
        );
      }
      await client.query(
        `INSERT INTO "Incident" (id, "websiteId", cause, "startedAt", "resolvedAt", "durationSeconds")
         VALUES ('i1', 'w1', 'status', $1, $2, 600)`,
        [at(20), at(10)],
      );
      await client.query(
        `INSERT INTO "CheckRollup" ("websiteId", period, "bucketStart", "downtimeSeconds", checks, failures)
         VALUES ('w1', 'DAY', date_trunc('day', now() AT TIME ZONE 'UTC'), 600, 5, 3),
                ('w1', 'HOUR', date_trunc('hour', now() AT TIME ZONE 'UTC'), 0, 2, 0)`,
      );
      const uptimeBefore = await uptimeOver(db, "w1", 86_400_000);
      // The columns this old database has (later migrations add others).
      const incidentColumns = {
        id: true,
        cause: true,
        startedAt: true,
        resolvedAt: true,
        durationSeconds: true,
      } as const;
      const incidentsBefore = await db.incident.findMany({ where: { monitorId: "w1" }, select: incidentColumns });

      expect(await applyMigrations(url)).toEqual([
        "20261201030000_compact_results",
        ...committedMigrations.filter((n) => n > "20261201030000_compact_results"),
      ]);

      const checks = await readChecks(db, "w1", { order: "asc" });
      const expected = [...old]
        .map(([region, status, code, total, phases, errorClass, error, scheduledAt, checkedAt]) => ({
          region,
          status,
          statusCode: code,
          responseTimeMs: total ?? 0,
          dnsMs: phases[0] ?? 0,
          connectMs: phases[1] ?? 0,
          tlsMs: phases[2] ?? 0,
          ttfbMs: phases[3] ?? 0,
          downloadMs: phases[4] ?? 0,
          errorClass,
          error,
          scheduledAt: scheduledAt ?? checkedAt,
          checkedAt,
        }))
        .sort((x, y) => x.scheduledAt.getTime() - y.scheduledAt.getTime() || x.region.localeCompare(y.region));
      const byTimeAndRegion = (x: { scheduledAt: Date; region: string }, y: { scheduledAt: Date; region: string }) =>
        x.scheduledAt.getTime() - y.scheduledAt.getTime() || x.region.localeCompare(y.region);
      expect(checks.map(({ id: _id, ...check }) => check).sort(byTimeAndRegion)).toEqual(expected);
      expect(await uptimeOver(db, "w1", 86_400_000)).toEqual(uptimeBefore);
      expect(await db.incident.findMany({ where: { monitorId: "w1" }, select: incidentColumns })).toEqual(
        incidentsBefore,
      );
      // Its summary starts from the rollups: today's slot and this hour's.
      const summary = await db.monitorSummary.findUniqueOrThrow({ where: { monitorId: "w1" } });
      expect(summary.dayDowntime).toEqual([...new Array<number>(30).fill(0), 600]);
      expect(summary.dayChecks.at(-1)).toBe(5);
      expect(summary.hourChecks).toEqual([...new Array<number>(24).fill(0), 2]);
      // The old table is gone; the new ones are partitioned by day.
      const { rows } = await client.query<{ relkind: string }>(
        `SELECT relkind FROM pg_class WHERE relname IN ('CheckResult', 'CheckError') ORDER BY relname`,
      );
      expect(rows.map((row) => row.relkind)).toEqual(["p", "p"]);
    } finally {
      await client.end();
      await db.$disconnect();
    }
  });
});
