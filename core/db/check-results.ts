/**
 * Reading stored check results back in the shape people think of them (region names,
 * status, error class and text, when it ran), from the compact day-partitioned tables
 * (see core/domain/compact-result.ts and the compact_results migration).
 */
import { decodeMs, errorClassOf, type ErrorClass } from "../domain/compact-result.ts";
import type { CheckStatus } from "../domain/status.ts";
import { Prisma, type Db } from "./client.ts";

export interface StoredCheck {
  /** Unique per monitor: the region and the slot (a page cursor). */
  id: string;
  region: string;
  scheduledAt: Date;
  checkedAt: Date;
  status: CheckStatus | null;
  /** null when there was no response. */
  statusCode: number | null;
  responseTimeMs: number;
  dnsMs: number;
  connectMs: number;
  tlsMs: number;
  ttfbMs: number;
  downloadMs: number;
  errorClass: ErrorClass | null;
  error: string | null;
}

interface Row {
  scheduledAt: Date;
  lagMs: number;
  region: string;
  regionKey: number;
  status: CheckStatus | null;
  statusCode: number;
  responseTimeMs: number;
  errorCode: number;
  dnsMs: number;
  connectMs: number;
  tlsMs: number;
  ttfbMs: number;
  downloadMs: number;
  message: string | null;
}

export interface CheckQuery {
  /** Only checks due at or after this time. */
  since?: Date;
  /** Only checks older than this page cursor (a StoredCheck's id). */
  before?: string;
  /** Only checks with this status. */
  status?: CheckStatus;
  order?: "asc" | "desc";
  limit?: number;
}

const cursorOf = (row: { scheduledAt: Date; regionKey: number }) => `${row.scheduledAt.getTime()}.${row.regionKey}`;

/** A monitor's stored checks (by its id), newest first unless asked otherwise. */
export async function readChecks(db: Db, monitorId: string, query: CheckQuery = {}): Promise<StoredCheck[]> {
  const conditions = [Prisma.sql`w.id = ${monitorId}`];
  if (query.since) conditions.push(Prisma.sql`r."scheduledAt" >= ${query.since}`);
  if (query.status) conditions.push(Prisma.sql`r.status = ${query.status}::"CheckStatus"`);
  const before = query.before ? /^(\d{1,15})\.(\d{1,5})$/.exec(query.before) : null;
  if (before) {
    conditions.push(
      Prisma.sql`(r."scheduledAt", r."regionKey") < (${new Date(Number(before[1]))}, ${Number(before[2])}::smallint)`,
    );
  }
  const direction = query.order === "asc" ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  const rows = await db.$queryRaw<Row[]>`
    SELECT r."scheduledAt", r."lagMs", rg.name AS region, r."regionKey", r.status::text AS status, r."statusCode",
           r."responseTimeMs", r."errorCode", r."dnsMs", r."connectMs", r."tlsMs", r."ttfbMs", r."downloadMs",
           e.message
    FROM "CheckResult" r
    JOIN "Website" w ON w.key = r."monitorKey"
    JOIN "Region" rg ON rg.id = r."regionKey"
    LEFT JOIN "CheckError" e
      ON e."monitorKey" = r."monitorKey" AND e."regionKey" = r."regionKey" AND e."scheduledAt" = r."scheduledAt"
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY r."scheduledAt" ${direction}, r."regionKey" ${direction}
    ${query.limit ? Prisma.sql`LIMIT ${query.limit}` : Prisma.empty}`;
  return rows.map((row) => ({
    id: cursorOf(row),
    region: row.region,
    scheduledAt: row.scheduledAt,
    checkedAt: new Date(row.scheduledAt.getTime() + row.lagMs),
    status: row.status,
    statusCode: row.statusCode === 0 ? null : row.statusCode,
    responseTimeMs: row.responseTimeMs,
    dnsMs: decodeMs(row.dnsMs),
    connectMs: decodeMs(row.connectMs),
    tlsMs: decodeMs(row.tlsMs),
    ttfbMs: decodeMs(row.ttfbMs),
    downloadMs: decodeMs(row.downloadMs),
    errorClass: errorClassOf(row.errorCode),
    error: row.message,
  }));
}
