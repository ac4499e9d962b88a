/**
 * One way into the database for hand-written SQL. Every statement we write by hand lives
 * in `core/db/queries/<area>.ts` as a function taking `Sql` (and its row type, declared
 * once there); callers hand it whichever connection they hold:
 *
 *  - `sqlOfPool(pool)` — a node-postgres pool (the engine's hot paths, housekeeping);
 *  - `sqlOfClient(client)` — a pg client inside `withTransaction` (the result writer);
 *  - `sqlOfPrisma(tx)` — a Prisma interactive transaction or client (services), so a
 *    service's model-API writes and a shared statement commit together.
 *
 * The two drivers read some types differently (pg returns `bigint` and `numeric` as
 * strings, Prisma as BigInt / Decimal): statements cast counts and sums to `int` or
 * `float8` in SQL, so a row type means the same under both. Timestamps come back as Date
 * under both (core/db/pg-pool.ts reads `timestamp` as UTC, as Prisma stores it).
 *
 * When to use the Prisma model API and when SQL: docs/decisions/008-sql-and-the-model-api.md.
 */
import type pg from "pg";

export interface Sql {
  /** Runs a statement and returns its rows, typed by the query that declares them. */
  query<Row>(text: string, values?: readonly unknown[]): Promise<Row[]>;
  /** Runs a statement for its effect and returns how many rows it touched. */
  execute(text: string, values?: readonly unknown[]): Promise<number>;
}

/** A pg pool or a checked-out client: both run one statement at a time through `query`. */
type PgQueryable = Pick<pg.Pool, "query"> | Pick<pg.PoolClient, "query">;

function sqlOfPg(queryable: PgQueryable): Sql {
  return {
    async query<Row>(text: string, values: readonly unknown[] = []) {
      const result = await queryable.query(text, values as unknown[]);
      return result.rows as Row[];
    },
    async execute(text: string, values: readonly unknown[] = []) {
      const result = await queryable.query(text, values as unknown[]);
      return result.rowCount ?? 0;
    },
  };
}

/** Statements on a pool: each on whichever connection is free (no transaction). */
export const sqlOfPool = (pool: Pick<pg.Pool, "query">): Sql => sqlOfPg(pool);

/** Statements on one client, e.g. inside `withTransaction` (core/db/pg-pool.ts). */
export const sqlOfClient = (client: Pick<pg.PoolClient, "query">): Sql => sqlOfPg(client);

/** What `sqlOfPrisma` needs of a Prisma client or interactive transaction. */
export interface PrismaRaw {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/** Statements through Prisma: inside its transaction when `tx` is one. */
export function sqlOfPrisma(tx: PrismaRaw): Sql {
  return {
    query: <Row>(text: string, values: readonly unknown[] = []) => tx.$queryRawUnsafe<Row[]>(text, ...values),
    execute: (text: string, values: readonly unknown[] = []) => tx.$executeRawUnsafe(text, ...values),
  };
}

/**
 * For statements assembled from optional parts (filters, cursors): collects the values,
 * and `add` returns the placeholder (`$n`) of the value it took, so nothing but
 * placeholders ever reaches the text.
 */
export function parameters(): { values: unknown[]; add: (value: unknown) => string } {
  const values: unknown[] = [];
  return { values, add: (value: unknown) => `$${values.push(value)}` };
}
