/**
 * The monitor list: one page of an account's monitors, filtered, sorted and paged in
 * SQL, each row from the monitor and its summary (kept by the result writer) — the cost
 * follows the page, not the size of the account; and the rows the live dashboard sends
 * when monitors change. Reads that may lag a little (the replica, unless the user has
 * just written).
 */
import { displayStatus, type DisplayStatus } from "../../../../core/domain/status.ts";
import { emptySummary, summaryView } from "../../../../core/domain/monitor-summary.ts";
import { summaryState } from "../../../../core/db/queries/summaries.ts";
import {
  accountTags,
  listPage,
  listRowsByIds,
  statusCounts,
  type ListRow,
} from "../../../../core/db/queries/monitor-list.ts";
import type { Db } from "../../../../core/db/client.ts";
import { sqlOfPrisma } from "../../../../core/db/sql.ts";
import type { ListQuery } from "~/lib/monitors/list-view.ts";
import type { MonitorType } from "../../../../core/db/generated/enums.ts";
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
  const filter = { userId, q: query.q, tag: query.tag };
  // A read that may lag a little: the replica, unless this user has just written.
  return scope.read(async (db) => {
    const sql = sqlOfPrisma(db);
    const filtered = query.q !== "" || query.tag !== null;
    const pageOf = (page: number) =>
      listPage(sql, { ...filter, status: query.status }, query.sort, {
        limit: query.pageSize,
        offset: (page - 1) * query.pageSize,
      });
    // The counts, the account's tags and the page asked for, at once.
    const [counts, tags, asked, everything] = await Promise.all([
      statusCounts(sql, filter),
      accountTags(sql, userId),
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
      tags,
    };
  });
}

/** What changed for the live list: these monitors' rows (the user's only) and the status counts. */
export async function changedListRows(
  db: Db,
  userId: string,
  ids: string[],
  nowMs = Date.now(),
): Promise<{ monitors: MonitorListItem[]; counts: Record<DisplayStatus, number> }> {
  const sql = sqlOfPrisma(db);
  const [rows, countRows] = await Promise.all([listRowsByIds(sql, userId, ids), statusCounts(sql, { userId })]);
  return { monitors: rows.map((row) => listItem(row, nowMs)), counts: countRows };
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
