/**
 * A plain node-postgres pool, for the engine's hot paths (claiming due checks, writing
 * results in bulk) where one hand-written statement beats many ORM round trips, and for
 * libraries that take a pg pool (the rate limiter).
 *
 * Prisma stores DateTime as `timestamp(3)` (no time zone) holding UTC. This pool's
 * sessions run in UTC, so `now()` compares correctly with those columns, and reads them
 * back as UTC.
 */
import pg from "pg";
import { connectionSettingsFromUrl } from "../connection.mjs";

const TIMESTAMP_OID = 1114;

const parseUtcTimestamp = (value: string) => new Date(`${value.replace(" ", "T")}Z`);

const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP_OID
      ? parseUtcTimestamp
      : (pg.types.getTypeParser(oid, format) as (value: string) => unknown)) as typeof pg.types.getTypeParser,
};

/**
 * A statement that gets no answer for this long fails (and its connection is dropped),
 * so a connection that hangs (a dead peer, a partition) stalls a runner for a bounded
 * time instead of forever. No statement of ours runs anywhere near this long.
 */
const QUERY_TIMEOUT_MS = 60_000;
const CONNECT_TIMEOUT_MS = 10_000;

export function createPgPool(databaseUrl: string, max = 10): pg.Pool {
  const { poolConfig } = connectionSettingsFromUrl(databaseUrl);
  const pool = new pg.Pool({
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    keepAlive: true,
    ...poolConfig,
    max: poolConfig.max ?? max,
    options: [poolConfig.options, "-c TimeZone=UTC"].filter(Boolean).join(" "),
    types,
  });
  // An idle client losing its connection (database restart) must not crash the runner;
  // the next query reconnects or fails where it is handled.
  pool.on("error", () => undefined);
  return pool;
}

/**
 * Runs `work` on a client checked out of the pool. While a client is checked out,
 * node-postgres emits a dropped connection's error on the client, not the pool, and an
 * `error` event nobody listens to kills the process (a PostgreSQL restart did). So the
 * client carries a listener for as long as we hold it, and a client whose connection
 * broke is destroyed on release instead of going back to the pool.
 */
export async function withClient<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => (broken ??= error);
  client.on("error", onError);
  try {
    return await work(client);
  } catch (error) {
    if (isConnectionError(error)) broken ??= error as Error;
    throw error;
  } finally {
    client.removeListener("error", onError);
    client.release(broken);
  }
}

/** `work` inside BEGIN … COMMIT on one pooled client; rolled back when it throws. */
export function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, async (client) => {
    await client.query("BEGIN");
    try {
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  });
}

/** Errors that mean "the database is not reachable right now", worth retrying. */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string })?.code ?? "";
  const message = String((error as Error)?.message ?? "");
  return (
    [
      "ECONNREFUSED",
      "ECONNRESET",
      "ETIMEDOUT",
      "EPIPE",
      "ENOTFOUND",
      "EAI_AGAIN",
      "57P01",
      "57P02",
      "57P03",
      "08000",
      "08003",
      "08006",
      "08001",
      "08004",
    ].includes(code) ||
    /Connection terminated|connection timeout|Client has encountered a connection error|not queryable|Query read timeout|timeout exceeded when trying to connect/i.test(
      message,
    )
  );
}
