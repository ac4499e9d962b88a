/**
 * Stored check results, read straight from the store (the compact tables, decoded by
 * core/db/check-results.ts): tests compare them with the hits their target saw ("every
 * hit is a stored result"), and seed history for the readers.
 */
import pg from "pg";
import { readChecks, type StoredCheck } from "../../core/db/check-results.ts";
import type { Db } from "../../core/db/client.ts";
import { errorCode, type ErrorClass } from "../../core/domain/compact-result.ts";

export async function storedResultCounts(databaseUrl: string): Promise<Map<string, number>> {
  return new Map([...(await storedResultsByUrl(databaseUrl))].map(([url, counts]) => [url, counts.all]));
}

/** Per monitor url: its stored results, and how many of them are UP (each UP needs a hit of its target). */
export async function storedResultsByUrl(databaseUrl: string): Promise<Map<string, { all: number; up: number }>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ url: string; all: string; up: string }>(
      `SELECT w.url, count(r."monitorKey") AS all, count(r."monitorKey") FILTER (WHERE r.status = 'UP') AS up
       FROM "Website" w LEFT JOIN "CheckResult" r ON r."monitorKey" = w.key
       GROUP BY w.url`,
    );
    return new Map(rows.map((row) => [row.url, { all: Number(row.all), up: Number(row.up) }]));
  } finally {
    await client.end();
  }
}

/** A monitor's stored checks, oldest first. */
export function checksOf(db: Db, monitorId: string): Promise<StoredCheck[]> {
  return readChecks(db, monitorId, { order: "asc" });
}

/** How many checks are stored for these monitors (optionally only of one status or error class). */
export async function countChecks(
  db: Db,
  monitorIds: string | string[],
  where: { status?: "UP" | "DOWN"; errorClass?: ErrorClass } = {},
): Promise<number> {
  const ids = Array.isArray(monitorIds) ? monitorIds : [monitorIds];
  const rows = await db.$queryRawUnsafe<{ n: bigint }[]>(
    `SELECT count(*) AS n FROM "CheckResult" r JOIN "Website" w ON w.key = r."monitorKey"
     WHERE w.id = ANY($1) AND ($2::text IS NULL OR r.status::text = $2) AND ($3::int IS NULL OR r."errorCode" = $3)`,
    ids,
    where.status ?? null,
    where.errorClass ? errorCode(where.errorClass) : null,
  );
  return Number(rows[0]!.n);
}

/** Stores checks as the writer would (region "default", run on time). */
export async function insertChecks(
  db: Db,
  monitorId: string,
  checks: { checkedAt: Date; status: "UP" | "DOWN"; statusCode?: number; responseTimeMs?: number }[],
): Promise<void> {
  for (const check of checks) {
    await db.$executeRaw`
      WITH region AS (
        INSERT INTO "Region" (name) VALUES ('default') ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id)
      INSERT INTO "CheckResult" ("scheduledAt", "monitorKey", "lagMs", "responseTimeMs", status, "regionKey",
        "statusCode", "errorCode", "dnsMs", "connectMs", "tlsMs", "ttfbMs", "downloadMs")
      SELECT ${check.checkedAt}, w.key, 0, ${check.responseTimeMs ?? 0}, ${check.status}::"CheckStatus", region.id,
             ${check.statusCode ?? 0}, ${check.status === "UP" ? 0 : errorCode("status")}, 0, 0, 0, 0, 0
      FROM "Website" w, region WHERE w.id = ${monitorId}`;
  }
}
