/**
 * The monitor list's statements (app/server/services/monitors/monitor-list.server.ts):
 * one page of an account's monitors filtered, sorted and paged in SQL, each row from the
 * monitor and its summary; the status counts; the account's tags. Filters arrive as
 * values, never text: every one is a parameter.
 */
import type { MonitorType } from "../generated/enums.ts";
import type { DisplayStatus, MonitorStatus } from "../../domain/status.ts";
import { parameters, type Sql } from "../sql.ts";
import { SUMMARY_COLUMNS, type SummaryRow } from "./summaries.ts";

export interface ListRow extends SummaryRow {
  id: string;
  name: string | null;
  url: string;
  type: MonitorType;
  tags: string[];
  isActive: boolean;
  status: MonitorStatus;
  statusChangedAt: Date;
  lastCheckedAt: Date | null;
  lastResponseTimeMs: number | null;
  intervalSeconds: number;
  createdAt: Date;
  openSince: Date | null;
  hasSummary: boolean;
}

export type ListSort = "status" | "name" | "uptime" | "response" | "checked";
export type ListStatusFilter = "all" | "up" | "down" | "pending" | "paused";

/** Worst first: what needs attention comes to the top. Then by name, then id (a stable page order). */
const ORDER_BY: Record<ListSort, string> = {
  status: `CASE WHEN NOT w."isActive" THEN 3 WHEN w.status = 'DOWN' THEN 0 WHEN w.status = 'PENDING' THEN 1 ELSE 2 END, lower(coalesce(w.name, w.url)), w.id`,
  name: `lower(coalesce(w.name, w.url)), w.id`,
  uptime: `s."uptime24h" ASC NULLS LAST, lower(coalesce(w.name, w.url)), w.id`,
  response: `w."lastResponseTimeMs" DESC NULLS LAST, lower(coalesce(w.name, w.url)), w.id`,
  checked: `w."lastCheckedAt" DESC NULLS LAST, lower(coalesce(w.name, w.url)), w.id`,
};

const STATUS_WHERE: Record<ListStatusFilter, string> = {
  all: `true`,
  up: `w."isActive" AND w.status = 'UP'`,
  down: `w."isActive" AND w.status = 'DOWN'`,
  pending: `w."isActive" AND w.status = 'PENDING'`,
  paused: `NOT w."isActive"`,
};

/** `%text%` for ILIKE, with the user's own % and _ taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Which of an account's monitors: those matching the search (name or URL) and the tag, when given. */
export interface ListFilter {
  userId: string;
  q?: string;
  tag?: string | null;
}

function matching(filter: ListFilter, add: (value: unknown) => string): string {
  return [
    `w."userId" = ${add(filter.userId)}`,
    ...(filter.q ? [`(w.name ILIKE ${add(containing(filter.q))} OR w.url ILIKE ${add(containing(filter.q))})`] : []),
    ...(filter.tag ? [`w.tags @> ARRAY[${add(filter.tag)}::text]`] : []),
  ].join(" AND ");
}

/**
 * List rows: the page of monitors chosen first (from the monitors alone, unless the sort
 * needs the summary's uptime), then each joined to its summary and open incident.
 */
function listRows(sql: Sql, where: string, orderBy: string, limit: string, values: unknown[]): Promise<ListRow[]> {
  const needsSummary = orderBy.includes('s."');
  // Sorted again outside, by the same keys: a window function to carry the order would
  // sort every row instead of keeping the top of the page.
  return sql.query<ListRow>(
    `
    WITH page AS (
      SELECT w.*
      FROM "Website" w
      ${needsSummary ? `LEFT JOIN "MonitorSummary" s ON s."websiteId" = w.id` : ""}
      WHERE ${where}
      ORDER BY ${orderBy}
      ${limit}
    )
    SELECT w.id, w.name, w.url, w.type::text AS type, w.tags, w."isActive", w.status::text AS status, w."statusChangedAt",
           w."lastCheckedAt", w."lastResponseTimeMs", w."intervalSeconds", w."createdAt",
           i."startedAt" AS "openSince", s."websiteId" IS NOT NULL AS "hasSummary",
           ${SUMMARY_COLUMNS.replace(/"(\w+)"/g, 's."$1"')}
    FROM page w
    LEFT JOIN "MonitorSummary" s ON s."websiteId" = w.id
    LEFT JOIN "Incident" i ON i."openKey" = w.id
    ORDER BY ${orderBy}`,
    values,
  );
}

/** One page of the matching monitors with this status, in this order. */
export function listPage(
  sql: Sql,
  filter: ListFilter & { status: ListStatusFilter },
  sort: ListSort,
  page: { limit: number; offset: number },
): Promise<ListRow[]> {
  const { values, add } = parameters();
  const where = `${matching(filter, add)} AND ${STATUS_WHERE[filter.status]}`;
  return listRows(sql, where, ORDER_BY[sort], `LIMIT ${add(page.limit)} OFFSET ${add(page.offset)}`, values);
}

/** These monitors' rows (the user's only), by id. */
export function listRowsByIds(sql: Sql, userId: string, ids: string[]): Promise<ListRow[]> {
  const { values, add } = parameters();
  return listRows(sql, `w."userId" = ${add(userId)} AND w.id = ANY(${add(ids)})`, "w.id", "", values);
}

/** How many matching monitors have each displayed status (paused counted apart). */
export async function statusCounts(sql: Sql, filter: ListFilter): Promise<Record<DisplayStatus, number>> {
  const { values, add } = parameters();
  const rows = await sql.query<{ status: DisplayStatus; n: number }>(
    `
    SELECT CASE WHEN NOT w."isActive" THEN 'PAUSED' ELSE w.status::text END AS status, count(*)::int AS n
    FROM "Website" w WHERE ${matching(filter, add)} GROUP BY 1`,
    values,
  );
  const counts: Record<DisplayStatus, number> = { UP: 0, DOWN: 0, PENDING: 0, PAUSED: 0 };
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

/** The account's tags (up to 200), for the filter. */
export async function accountTags(sql: Sql, userId: string): Promise<string[]> {
  const rows = await sql.query<{ tag: string }>(
    `
        SELECT DISTINCT unnest(tags) AS tag FROM "Website" WHERE "userId" = $1 AND tags <> '{}' ORDER BY 1 LIMIT 200`,
    [userId],
  );
  return rows.map((row) => row.tag);
}
