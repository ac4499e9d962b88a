import type pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { createPgPool } from "../../core/db/pg-pool.ts";
import { createDb, type Db } from "../../core/db/client.ts";
import { applyMigrations } from "../../core/ops/migrate.ts";
import { maintainResultPartitions, pruneHousekeeping } from "../../workers/engine/retention.ts";
import { createDatabaseBeside } from "../support/test-database.ts";
import { createUser, createMonitorRow } from "../support/factories.ts";
import { checksOf, insertChecks } from "../support/stored-results.ts";

/** A migrated database of the test's own (retention acts on whole tables), dropped after. */
async function withScratchDatabase(label: string, test: (db: Db, pool: pg.Pool) => Promise<void>): Promise<void> {
  const database = await createDatabaseBeside(inject("databaseUrl"), label);
  await applyMigrations(database.url);
  const db = createDb(database.url);
  const pool = createPgPool(database.url, 2);
  try {
    await test(db, pool);
  } finally {
    await pool.end();
    await db.$disconnect();
    await database.drop();
  }
}

describe("retention of raw results (day partitions)", () => {
  it("drops whole days older than the retention period, keeps the rest, and compacts finished days once", async () => {
    await withScratchDatabase("bu_partitions", async (own, ownPool) => {
      const day = 86_400_000;
      const ago = (days: number) => new Date(Date.now() - days * day);
      const user = await createUser(own);
      const monitor = await createMonitorRow(own, user.id);
      // A month and more of history, as an instance running that long would have made.
      for (const daysAgo of [40, 31, 29]) {
        const date = ago(daysAgo).toISOString().slice(0, 10);
        await own.$queryRaw`SELECT bu_ensure_day_partition('CheckResult', ${date}::date)`;
      }
      await insertChecks(
        own,
        monitor.id,
        [45, 40, 31, 29, 1].map((daysAgo) => ({ checkedAt: ago(daysAgo), status: "UP" as const })),
      );
      const partitionsOf = async () =>
        (
          await own.$queryRaw<{ name: string }[]>`
            SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = '"CheckResult"'::regclass ORDER BY 1`
        ).map((row) => row.name);
      const partitionFor = (daysAgo: number) =>
        `CheckResult_p${ago(daysAgo).toISOString().slice(0, 10).replaceAll("-", "")}`;
      expect(await partitionsOf()).toEqual(
        expect.arrayContaining([partitionFor(40), partitionFor(31), partitionFor(29)]),
      );

      const round = await maintainResultPartitions(ownPool, 30);
      expect(round).toMatchObject({ dropped: 2, strays: 1 });
      const left = await partitionsOf();
      expect(left).not.toContain(partitionFor(40));
      expect(left).not.toContain(partitionFor(31));
      expect(left).toEqual(expect.arrayContaining([partitionFor(29), partitionFor(1), partitionFor(-7)]));
      // The 45-day-old result had no day of its own (the default partition): pruned too.
      const kept = await checksOf(own, monitor.id);
      expect(kept.map((check) => Math.round((Date.now() - check.checkedAt.getTime()) / day))).toEqual([29, 1]);

      // Finished days were rebuilt full, once; today's is left to grow.
      expect(round!.compacted).toEqual(expect.arrayContaining([`${partitionFor(29)}_pkey`, `${partitionFor(1)}_pkey`]));
      expect(round!.compacted).not.toContain(`${partitionFor(0)}_pkey`);
      expect(await maintainResultPartitions(ownPool, 30)).toEqual({ created: 0, dropped: 0, compacted: [], strays: 0 });
    });
  });
});

describe("housekeeping", () => {
  it("prunes what outlived its window and keeps the rest", async () => {
    await withScratchDatabase("bu_housekeeping", async (own, ownPool) => {
      const day = 86_400_000;
      const ago = (days: number) => new Date(Date.now() - days * day);
      const user = await createUser(own);
      const monitor = await createMonitorRow(own, user.id);
      const page = await own.statusPage.create({ data: { userId: user.id, name: "Status", slug: "housekeeping" } });
      await own.session.createMany({
        data: [
          { id: "expired", userId: user.id, expiresAt: ago(1) },
          { id: "current", userId: user.id, expiresAt: ago(-1) },
        ],
      });
      await own.emailVerificationToken.createMany({
        data: [
          { userId: user.id, tokenHash: "old", email: "a@example.test", expiresAt: ago(1) },
          { userId: user.id, tokenHash: "new", email: "a@example.test", expiresAt: ago(-1) },
        ],
      });
      const subscriber = (email: string, createdDaysAgo: number, confirmed: boolean, pausedDaysAgo?: number) => ({
        statusPageId: page.id,
        email,
        confirmTokenHash: email,
        createdAt: ago(createdDaysAgo),
        confirmSentAt: ago(createdDaysAgo),
        confirmedAt: confirmed ? ago(createdDaysAgo) : null,
        pausedAt: pausedDaysAgo === undefined ? null : ago(pausedDaysAgo),
      });
      await own.subscriber.createMany({
        data: [
          subscriber("never-confirmed@example.test", 8, false),
          subscriber("just-signed-up@example.test", 1, false),
          subscriber("long-time-reader@example.test", 400, true),
          // The page turned private: one did not confirm again within the link's 7 days.
          subscriber("paused-long-ago@example.test", 400, true, 8),
          subscriber("paused-yesterday@example.test", 400, true, 1),
        ],
      });
      const delivery = (event: string, status: "SENT" | "FAILED" | "PENDING", createdDaysAgo: number) => ({
        monitorId: monitor.id,
        event,
        status,
        payload: {},
        createdAt: ago(createdDaysAgo),
      });
      await own.notificationDelivery.createMany({
        data: [
          delivery("old-sent", "SENT", 31),
          delivery("old-failed", "FAILED", 31),
          delivery("old-pending", "PENDING", 31),
          delivery("recent-sent", "SENT", 2),
        ],
      });
      await own.rateLimit.createMany({
        data: [
          { key: "login:expired", points: 3, expire: BigInt(Date.now() - 1_000) },
          { key: "login:live", points: 3, expire: BigInt(Date.now() + 60_000) },
        ],
      });
      const rollup = (period: "HOUR" | "DAY", daysAgo: number) => ({
        monitorId: monitor.id,
        period,
        bucketStart: new Date(Math.floor(ago(daysAgo).getTime() / 3_600_000) * 3_600_000),
      });
      await own.checkRollup.createMany({
        data: [rollup("HOUR", 101), rollup("HOUR", 99), rollup("DAY", 400)],
      });

      const heartbeat = await own.monitor.create({
        data: { userId: monitor.userId, type: "HEARTBEAT", url: "heartbeat", pushToken: `t-${monitor.id}` },
      });
      await own.heartbeatPing.createMany({
        data: [31, 29].map((daysAgo) => ({ monitorId: heartbeat.id, receivedAt: ago(daysAgo), message: `${daysAgo}` })),
      });

      // Occurrences of a recurring maintenance go a week after they end; one-off windows stay.
      const recurring = await own.recurringMaintenance.create({
        data: {
          userId: user.id,
          title: "Nightly",
          schedule: "0 3 * * *",
          timeZone: "UTC",
          durationMinutes: 60,
          reservedWindows: 2,
        },
      });
      const window = (title: string, endedDaysAgo: number, recurringId: string | null) => ({
        userId: user.id,
        title,
        startsAt: new Date(ago(endedDaysAgo).getTime() - 3_600_000),
        endsAt: ago(endedDaysAgo),
        recurringId,
      });
      await own.maintenanceWindow.createMany({
        data: [
          window("occurrence ended 8 days ago", 8, recurring.id),
          window("occurrence ended 6 days ago", 6, recurring.id),
          window("one-off ended 8 days ago", 8, null),
        ],
      });

      const deleted = await pruneHousekeeping(ownPool, {
        deliveryRetentionDays: 30,
        hourlyRollupRetentionDays: 100,
        pingRetentionDays: 30,
      });
      expect(deleted).toEqual({
        "expired sessions": 1,
        "expired email verification links": 1,
        "unconfirmed subscribers": 1,
        "paused subscribers": 1,
        "past recurring maintenance occurrences": 1,
        "settled alert deliveries": 2,
        "expired rate-limit counters": 1,
        "hourly rollups": 1,
        "heartbeat pings": 1,
      });
      expect((await own.heartbeatPing.findMany()).map((p) => p.message)).toEqual(["29"]);
      expect((await own.session.findMany()).map((s) => s.id)).toEqual(["current"]);
      expect((await own.emailVerificationToken.findMany()).map((t) => t.tokenHash)).toEqual(["new"]);
      expect((await own.subscriber.findMany({ orderBy: { email: "asc" } })).map((s) => s.email)).toEqual([
        "just-signed-up@example.test",
        "long-time-reader@example.test",
        "paused-yesterday@example.test",
      ]);
      expect((await own.notificationDelivery.findMany({ orderBy: { event: "asc" } })).map((d) => d.event)).toEqual([
        "old-pending",
        "recent-sent",
      ]);
      expect((await own.rateLimit.findMany()).map((r) => r.key)).toEqual(["login:live"]);
      expect((await own.maintenanceWindow.findMany({ orderBy: { title: "asc" } })).map((w) => w.title)).toEqual([
        "occurrence ended 6 days ago",
        "one-off ended 8 days ago",
      ]);
      const rollups = await own.checkRollup.findMany({ orderBy: { bucketStart: "asc" } });
      expect(rollups.map((r) => r.period)).toEqual(["DAY", "HOUR"]);
    });
  });
});
