/**
 * The one SQL interface (core/db/sql.ts): a statement returns the same rows, of the same
 * types, whichever connection runs it — a pg pool, a pg client in a transaction, or a
 * Prisma transaction — and a transaction's statements commit or roll back with it.
 */
import { afterAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { createPgPool, withTransaction } from "../../core/db/pg-pool.ts";
import { sqlOfClient, sqlOfPool, sqlOfPrisma, type Sql } from "../../core/db/sql.ts";
import { testDb } from "../support/db.ts";

const db = testDb();
const pool = createPgPool(inject("databaseUrl"), 2);

afterAll(async () => {
  await db.$disconnect();
  await pool.end();
});

interface Row {
  n: number;
  at: Date;
  label: string | null;
}

const probe = (sql: Sql) =>
  sql.query<Row>(
    `SELECT count(*)::int AS n, timestamp '2026-12-07 10:00:00.123' AS at, NULL::text AS label FROM generate_series(1, $1::int)`,
    [3],
  );

describe("one SQL interface", () => {
  it("reads the same typed rows through a pool, a pg transaction and a Prisma transaction", async () => {
    const expected: Row[] = [{ n: 3, at: new Date("2026-12-07T10:00:00.123Z"), label: null }];
    expect(await probe(sqlOfPool(pool))).toEqual(expected);
    expect(await withTransaction(pool, (client) => probe(sqlOfClient(client)))).toEqual(expected);
    expect(await db.$transaction((tx) => probe(sqlOfPrisma(tx)))).toEqual(expected);
  });

  it("counts the rows a write touched, and a failed transaction keeps none of them", async () => {
    const table = `sql_probe_${Date.now().toString(36)}`;
    await sqlOfPool(pool).execute(`CREATE TABLE ${table} (id int PRIMARY KEY)`);
    try {
      const inserted = await db.$transaction((tx) =>
        sqlOfPrisma(tx).execute(`INSERT INTO ${table} SELECT generate_series(1, $1::int)`, [4]),
      );
      expect(inserted).toBe(4);
      await expect(
        withTransaction(pool, async (client) => {
          await sqlOfClient(client).execute(`DELETE FROM ${table}`);
          throw new Error("undo");
        }),
      ).rejects.toThrow("undo");
      const rows = await sqlOfPool(pool).query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      expect(rows).toEqual([{ n: 4 }]);
    } finally {
      await sqlOfPool(pool).execute(`DROP TABLE ${table}`);
    }
  });
});
