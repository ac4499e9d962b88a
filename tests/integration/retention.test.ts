import { afterAll, describe, expect, inject, it } from "vitest";
import { createPgPool } from "../../app/server/db/pg-pool.server.ts";
import { pruneResults } from "../../workers/engine/retention.ts";
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
