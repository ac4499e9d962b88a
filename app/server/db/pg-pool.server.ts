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
import { connectionSettingsFromUrl } from "../../../prisma/engine/connection.mjs";

const TIMESTAMP_OID = 1114;

const parseUtcTimestamp = (value: string) => new Date(`${value.replace(" ", "T")}Z`);

const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP_OID
      ? parseUtcTimestamp
      : (pg.types.getTypeParser(oid, format) as (value: string) => unknown)) as typeof pg.types.getTypeParser,
};

export function createPgPool(databaseUrl: string, max = 10): pg.Pool {
  const { poolConfig } = connectionSettingsFromUrl(databaseUrl);
  const pool = new pg.Pool({
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
    /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(message)
  );
}
