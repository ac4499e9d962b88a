import { afterAll, describe, expect, inject, it } from "vitest";
import { createPgPool } from "../../core/db/pg-pool.ts";
import { createDb } from "../../core/db/client.ts";
import { applyMigrations } from "../../core/db/migrate.ts";
import { pruneHousekeeping, pruneResults } from "../../workers/engine/retention.ts";
import { createDatabaseBeside } from "../support/test-database.ts";
import { testDb } from "../support/db.ts";
import { createUser, createWebsite } from "../support/factories.ts";

const db = testDb();
const pool = createPgPool(inject("databaseUrl"), 2);
afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

describe("retention", () => {
  it("deletes raw results older than RESULTS_RETENTION_DAYS and keeps the rest", async () => {
    const user = await createUser(db);
    const website = await createWebsite(db, user.id);
    const day = 86_400_000;
    await db.checkResult.createMany({
      data: [40, 31, 29, 1].map((daysAgo) => ({
        websiteId: website.id,
        status: "UP" as const,
        checkedAt: new Date(Date.now() - daysAgo * day),
      })),
    });
    expect(await pruneResults(pool, 30)).toBeGreaterThanOrEqual(2);
    const left = await db.checkResult.findMany({ where: { websiteId: website.id }, orderBy: { checkedAt: "asc" } });
    expect(left.map((r) => Math.round((Date.now() - r.checkedAt.getTime()) / day))).toEqual([29, 1]);
  });
});

describe("housekeeping", () => {
  it("prunes what outlived its window and keeps the rest", async () => {
    const database = await createDatabaseBeside(inject("databaseUrl"), "bu_housekeeping");
    await applyMigrations(database.url);
    const own = createDb(database.url);
    const ownPool = createPgPool(database.url, 2);
    try {
      const day = 86_400_000;
      const ago = (days: number) => new Date(Date.now() - days * day);
      const user = await createUser(own);
      const website = await createWebsite(own, user.id);
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
      const subscriber = (email: string, createdDaysAgo: number, confirmed: boolean) => ({
        statusPageId: page.id,
        email,
        confirmTokenHash: email,
        unsubscribeToken: email,
        createdAt: ago(createdDaysAgo),
        confirmedAt: confirmed ? ago(createdDaysAgo) : null,
      });
      await own.subscriber.createMany({
        data: [
          subscriber("never-confirmed@example.test", 8, false),
          subscriber("just-signed-up@example.test", 1, false),
          subscriber("long-time-reader@example.test", 400, true),
        ],
      });
      const delivery = (event: string, status: "SENT" | "FAILED" | "PENDING", createdDaysAgo: number) => ({
        websiteId: website.id,
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
        websiteId: website.id,
        period,
        bucketStart: new Date(Math.floor(ago(daysAgo).getTime() / 3_600_000) * 3_600_000),
      });
      await own.checkRollup.createMany({
        data: [rollup("HOUR", 101), rollup("HOUR", 99), rollup("DAY", 400)],
      });

      const deleted = await pruneHousekeeping(ownPool, { deliveryRetentionDays: 30, hourlyRollupRetentionDays: 100 });
      expect(deleted).toEqual({
        "expired sessions": 1,
        "expired email verification links": 1,
        "unconfirmed subscribers": 1,
        "settled alert deliveries": 2,
        "expired rate-limit counters": 1,
        "hourly rollups": 1,
      });
      expect((await own.session.findMany()).map((s) => s.id)).toEqual(["current"]);
      expect((await own.emailVerificationToken.findMany()).map((t) => t.tokenHash)).toEqual(["new"]);
      expect((await own.subscriber.findMany({ orderBy: { email: "asc" } })).map((s) => s.email)).toEqual([
        "just-signed-up@example.test",
        "long-time-reader@example.test",
      ]);
      expect((await own.notificationDelivery.findMany({ orderBy: { event: "asc" } })).map((d) => d.event)).toEqual([
        "old-pending",
        "recent-sent",
      ]);
      expect((await own.rateLimit.findMany()).map((r) => r.key)).toEqual(["login:live"]);
      const rollups = await own.checkRollup.findMany({ orderBy: { bucketStart: "asc" } });
      expect(rollups.map((r) => r.period)).toEqual(["DAY", "HOUR"]);
    } finally {
      await ownPool.end();
      await own.$disconnect();
      await database.drop();
    }
  });
});
