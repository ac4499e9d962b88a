/**
 * The monitor list: one page of an account's monitors, filtered, sorted and paged in
 * SQL, each row from the monitor and its summary (kept by the result writer) — the cost
 * follows the page, not the size of the account; and the rows the live dashboard sends
 * when monitors change. Reads that may lag a little (the replica, unless the user has
 * just written).
 */
import { displayStatus, type DisplayStatus, type MonitorStatus } from "../../../../core/domain/status.ts";
import { emptySummary, summaryView } from "../../../../core/domain/monitor-summary.ts";
import { SUMMARY_COLUMNS, summaryState, type SummaryRow } from "../../../../core/db/queries/summaries.ts";
import { Prisma, type Db } from "../../../../core/db/client.ts";
import type { ListQuery } from "~/lib/monitors/list-view.ts";
import type { MonitorType } from "~/lib/monitors/monitor-input.ts";
import type { OwnerScope } from "../scope.server.ts";

export interface MonitorListItem {
  id: string;
  name: string | null;
  url: string;
  type: MonitorType;
  tags: string[];
  status: DisplayStatus;
  statusChangedAt: Date;
  lastCheckedAt: Date | null;
  lastResponseTimeMs: number | null;
  intervalSeconds: number;
  uptime24h: number | null;
  uptime30d: number | null;
  /** Hourly averages over 24 hours, or the latest checks while the monitor is younger than an hour. */
  sparkline: (number | null)[];
  sparklineOf: "hours" | "checks";
}

export interface MonitorListPage {
  monitors: MonitorListItem[];
  /** Monitors matching the search and tag, by status (the filter's counts). */
  counts: Record<DisplayStatus, number>;
  /** Monitors matching the whole view (status filter included). */
  total: number;
  /** Every monitor of the account. */
  all: number;
  page: number;
  pages: number;
  pageSize: number;
  /** The account's tags, for the filter. */
  tags: string[];
}

interface ListRow extends SummaryRow {
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

/** Worst first: what needs attention comes to the top. Then by name, then id (a stable page order). */
const ORDER_BY: Record<ListQuery["sort"], string> = {
  status: `CASE WHEN NOT w."isActive" THEN 3 WHEN w.status = 'DOWN' THEN 0 WHEN w.status = 'PENDING' THEN 1 ELSE 2 END, lower(coalesce(w.name, w.url)), w.id`,
  name: `lower(coalesce(w.name, w.url)), w.id`,
  uptime: `s."uptime24h" ASC NULLS LAST, lower(coalesce(w.name, w.url)), w.id`,
  response: `w."lastResponseTimeMs" DESC NULLS LAST, lower(coalesce(w.name, w.url)), w.id`,
  checked: `w."lastCheckedAt" DESC NULLS LAST, lower(coalesce(w.name, w.url)), w.id`,
};

const STATUS_WHERE: Record<ListQuery["status"], Prisma.Sql> = {
  all: Prisma.sql`true`,
  up: Prisma.sql`w."isActive" AND w.status = 'UP'`,
  down: Prisma.sql`w."isActive" AND w.status = 'DOWN'`,
  pending: Prisma.sql`w."isActive" AND w.status = 'PENDING'`,
  paused: Prisma.sql`NOT w."isActive"`,
};

/** `%text%` for ILIKE, with the user's own % and _ taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * One page of the monitor list: filtered, sorted and paged in SQL, each row from the
 * monitor and its summary (kept by the result writer) — the cost follows the page, not
 * the size of the account.
 */
export async function listMonitorPage(
  scope: OwnerScope,
  query: ListQuery,
  nowMs = Date.now(),
): Promise<MonitorListPage> {
  const { userId } = scope;
  const matching = Prisma.join(
    [
      Prisma.sql`w."userId" = ${userId}`,
      ...(query.q ? [Prisma.sql`(w.name ILIKE ${containing(query.q)} OR w.url ILIKE ${containing(query.q)})`] : []),
      ...(query.tag ? [Prisma.sql`w.tags @> ARRAY[${query.tag}::text]`] : []),
    ],
    " AND ",
  );
  // A read that may lag a little: the replica, unless this user has just written.
  return scope.read(async (db) => {
    const filtered = query.q !== "" || query.tag !== null;
    const pageOf = (page: number) =>
      listRows(
        db,
        Prisma.sql`${matching} AND ${STATUS_WHERE[query.status]}`,
        ORDER_BY[query.sort],
        Prisma.sql`LIMIT ${query.pageSize} OFFSET ${(page - 1) * query.pageSize}`,
      );
    // The counts, the account's tags and the page asked for, at once.
    const [counts, tagRows, asked, everything] = await Promise.all([
      statusCounts(db, matching),
      db.$queryRaw<{ tag: string }[]>`
        SELECT DISTINCT unnest(tags) AS tag FROM "Website" WHERE "userId" = ${userId} AND tags <> '{}' ORDER BY 1 LIMIT 200`,
      pageOf(query.page),
      filtered ? db.monitor.count({ where: { userId } }) : null,
    ]);
    const matched = Object.values(counts).reduce((sum, n) => sum + n, 0);
    const total = query.status === "all" ? matched : counts[query.status.toUpperCase() as DisplayStatus];
    const pages = Math.max(1, Math.ceil(total / query.pageSize));
    const page = Math.min(query.page, pages);
    // Past the last page (a bookmark, a shrunk list): the last page instead.
    const rows = page === query.page ? asked : await pageOf(page);
    return {
      monitors: rows.map((row) => listItem(row, nowMs)),
      counts,
      total,
      all: everything ?? matched,
      page,
      pages,
      pageSize: query.pageSize,
      tags: tagRows.map((row) => row.tag),
    };
  });
}

/**
 * List rows: the page of monitors chosen first (from the monitors alone, unless the sort
 * needs the summary's uptime), then each joined to its summary and open incident.
 */
function listRows(db: Db, where: Prisma.Sql, orderBy: string, limit: Prisma.Sql): Promise<ListRow[]> {
  const needsSummary = orderBy.includes('s."');
  // Sorted again outside, by the same keys: a window function to carry the order would
  // sort every row instead of keeping the top of the page.
  return db.$queryRaw<ListRow[]>`
    WITH page AS (
      SELECT w.*
      FROM "Website" w
      ${needsSummary ? Prisma.sql`LEFT JOIN "MonitorSummary" s ON s."websiteId" = w.id` : Prisma.empty}
      WHERE ${where}
      ORDER BY ${Prisma.raw(orderBy)}
      ${limit}
    )
    SELECT w.id, w.name, w.url, w.type::text AS type, w.tags, w."isActive", w.status::text AS status, w."statusChangedAt",
           w."lastCheckedAt", w."lastResponseTimeMs", w."intervalSeconds", w."createdAt",
           i."startedAt" AS "openSince", s."websiteId" IS NOT NULL AS "hasSummary",
           ${Prisma.raw(SUMMARY_COLUMNS.replace(/"(\w+)"/g, 's."$1"'))}
    FROM page w
    LEFT JOIN "MonitorSummary" s ON s."websiteId" = w.id
    LEFT JOIN "Incident" i ON i."openKey" = w.id
    ORDER BY ${Prisma.raw(orderBy)}`;
}

/** What changed for the live list: these monitors' rows (the user's only) and the status counts. */
export async function changedListRows(
  db: Db,
  userId: string,
  ids: string[],
  nowMs = Date.now(),
): Promise<{ monitors: MonitorListItem[]; counts: Record<DisplayStatus, number> }> {
  const [rows, countRows] = await Promise.all([
    listRows(db, Prisma.sql`w."userId" = ${userId} AND w.id = ANY(${ids})`, "w.id", Prisma.empty),
    statusCounts(db, Prisma.sql`w."userId" = ${userId}`),
  ]);
  return { monitors: rows.map((row) => listItem(row, nowMs)), counts: countRows };
}

async function statusCounts(db: Db, where: Prisma.Sql): Promise<Record<DisplayStatus, number>> {
  const rows = await db.$queryRaw<{ status: DisplayStatus; n: number }[]>`
    SELECT CASE WHEN NOT w."isActive" THEN 'PAUSED' ELSE w.status::text END AS status, count(*)::int AS n
    FROM "Website" w WHERE ${where} GROUP BY 1`;
  const counts: Record<DisplayStatus, number> = { UP: 0, DOWN: 0, PENDING: 0, PAUSED: 0 };
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

function listItem(row: ListRow, nowMs: number): MonitorListItem {
  const view = summaryView(row.hasSummary ? summaryState(row) : emptySummary(nowMs), {
    nowMs,
    createdAtMs: row.createdAt.getTime(),
    openSinceMs: row.openSince?.getTime() ?? null,
  });
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    type: row.type,
    tags: row.tags,
    status: displayStatus(row),
    statusChangedAt: row.statusChangedAt,
    lastCheckedAt: row.lastCheckedAt,
    lastResponseTimeMs: row.lastResponseTimeMs,
    intervalSeconds: row.intervalSeconds,
    ...view,
  };
}
