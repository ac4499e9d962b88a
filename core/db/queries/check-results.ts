/**
 * Stored check results read back (core/db/check-results.ts shapes them): the compact,
 * day-partitioned rows joined to their region's name and error text.
 */
import type { CheckStatus } from "../../domain/status.ts";
import { parameters, type Sql } from "../sql.ts";

export interface StoredCheckRow {
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

export interface StoredCheckFilter {
  /** Only checks due at or after this time. */
  since?: Date | undefined;
  status?: CheckStatus | undefined;
  /** Only checks before this one (a page cursor), in (slot, region) order. */
  before?: { scheduledAt: Date; regionKey: number } | undefined;
  order: "ASC" | "DESC";
  limit?: number | undefined;
}

/** A monitor's stored checks (by its id), in (slot, region) order. */
export function storedChecks(sql: Sql, monitorId: string, filter: StoredCheckFilter): Promise<StoredCheckRow[]> {
  const { values, add } = parameters();
  const conditions = [`w.id = ${add(monitorId)}`];
  if (filter.since) conditions.push(`r."scheduledAt" >= ${add(filter.since)}`);
  if (filter.status) conditions.push(`r.status = ${add(filter.status)}::"CheckStatus"`);
  if (filter.before) {
    conditions.push(
      `(r."scheduledAt", r."regionKey") < (${add(filter.before.scheduledAt)}, ${add(filter.before.regionKey)}::smallint)`,
    );
  }
  const direction = filter.order;
  return sql.query<StoredCheckRow>(
    `
    SELECT r."scheduledAt", r."lagMs", rg.name AS region, r."regionKey", r.status::text AS status, r."statusCode",
           r."responseTimeMs", r."errorCode", r."dnsMs", r."connectMs", r."tlsMs", r."ttfbMs", r."downloadMs",
           e.message
    FROM "CheckResult" r
    JOIN "Website" w ON w.key = r."monitorKey"
    JOIN "Region" rg ON rg.id = r."regionKey"
    LEFT JOIN "CheckError" e
      ON e."monitorKey" = r."monitorKey" AND e."regionKey" = r."regionKey" AND e."scheduledAt" = r."scheduledAt"
    WHERE ${conditions.join(" AND ")}
    ORDER BY r."scheduledAt" ${direction}, r."regionKey" ${direction}
    ${filter.limit ? `LIMIT ${add(filter.limit)}` : ""}`,
    values,
  );
}
