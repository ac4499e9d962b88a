/**
 * Reading stored check results back in the shape people think of them (region names,
 * status, error class and text, when it ran), from the compact day-partitioned tables
 * (see core/domain/compact-result.ts and the compact_results migration).
 */
import { decodeMs, errorClassOf, type ErrorClass } from "../domain/compact-result.ts";
import type { CheckStatus } from "../domain/status.ts";
import type { Db } from "./client.ts";
import { storedChecks } from "./queries/check-results.ts";
import { sqlOfPrisma } from "./sql.ts";

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
  const before = query.before ? /^(\d{1,15})\.(\d{1,5})$/.exec(query.before) : null;
  const rows = await storedChecks(sqlOfPrisma(db), monitorId, {
    since: query.since,
    status: query.status,
    before: before ? { scheduledAt: new Date(Number(before[1])), regionKey: Number(before[2]) } : undefined,
    order: query.order === "asc" ? "ASC" : "DESC",
    limit: query.limit,
  });
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
