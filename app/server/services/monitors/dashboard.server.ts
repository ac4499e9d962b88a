/**
 * What the dashboard reads. The list pages through monitors and their summaries (kept
 * by the result writer); a monitor's page reads rollups and, for the last day, raw
 * results — never long ranges of raw results, so pages cost the same with a year of
 * history. All are reads that may lag a little: on a replica when there is one, unless
 * the user has just written.
 */
import { displayStatus, type DisplayStatus, type MonitorStatus } from "../../../../core/domain/status.ts";
import { buildDailyBars, type DailyBar } from "~/lib/monitors/daily-bars.ts";
import { DAY_MS, floorTo, HOUR_MS } from "../../../../core/domain/time.ts";
import { emptySummary, summaryView } from "../../../../core/domain/monitor-summary.ts";
import { SUMMARY_COLUMNS, summaryState, type SummaryRow } from "../../../../core/db/monitor-summaries.ts";
import { Prisma } from "../../../../core/db/client.ts";
import type { ListQuery } from "~/lib/monitors/list-view.ts";
import { HISTOGRAM_SIZE, PHASES, quantileFromHistogram } from "../../../../core/domain/rollups.ts";
import { readChecks } from "../../../../core/db/check-results.ts";
import type { Db } from "../../../../core/db/client.ts";
import type { OwnerScope } from "../scope.server.ts";
import { NotFoundError } from "../errors.server.ts";
import { uptimeOver, type UptimeSummary } from "./uptime.server.ts";

export interface MonitorListItem {
  id: string;
  name: string | null;
  url: string;
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
      filtered ? db.website.count({ where: { userId } }) : null,
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
  return db.$queryRaw<ListRow[]>`
    WITH page AS (
      SELECT w.*, row_number() OVER (ORDER BY ${Prisma.raw(orderBy)}) AS position
      FROM "Website" w
      ${needsSummary ? Prisma.sql`LEFT JOIN "MonitorSummary" s ON s."websiteId" = w.id` : Prisma.empty}
      WHERE ${where}
      ORDER BY ${Prisma.raw(orderBy)}
      ${limit}
    )
    SELECT w.id, w.name, w.url, w.tags, w."isActive", w.status::text AS status, w."statusChangedAt",
           w."lastCheckedAt", w."lastResponseTimeMs", w."intervalSeconds", w."createdAt",
           i."startedAt" AS "openSince", s."websiteId" IS NOT NULL AS "hasSummary",
           ${Prisma.raw(SUMMARY_COLUMNS.replace(/"(\w+)"/g, 's."$1"'))}
    FROM page w
    LEFT JOIN "MonitorSummary" s ON s."websiteId" = w.id
    LEFT JOIN "Incident" i ON i."openKey" = w.id
    ORDER BY w.position`;
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
    tags: row.tags,
    status: displayStatus(row),
    statusChangedAt: row.statusChangedAt,
    lastCheckedAt: row.lastCheckedAt,
    lastResponseTimeMs: row.lastResponseTimeMs,
    intervalSeconds: row.intervalSeconds,
    ...view,
  };
}

async function ownedWebsite(db: Db, userId: string, id: string) {
  const website = await db.website.findFirst({ where: { id, userId } });
  if (!website) throw new NotFoundError("Monitor not found");
  return website;
}

export type { DailyBar };

export interface MonitorStats {
  uptime: { h24: UptimeSummary; d7: UptimeSummary; d30: UptimeSummary; d90: UptimeSummary };
  dailyBars: DailyBar[];
}

export async function monitorStats(
  scope: OwnerScope,
  { id }: { id: string },
  nowMs = Date.now(),
): Promise<MonitorStats> {
  const { userId } = scope;
  return scope.read(async (db) => {
    const website = await ownedWebsite(db, userId, id);
    const now = new Date(nowMs);
    const firstDay = floorTo(nowMs, DAY_MS) - 89 * DAY_MS;
    const [h24, d7, d30, d90, days, incidents] = await Promise.all([
      uptimeOver(db, id, DAY_MS, now, website.createdAt),
      uptimeOver(db, id, 7 * DAY_MS, now, website.createdAt),
      uptimeOver(db, id, 30 * DAY_MS, now, website.createdAt),
      uptimeOver(db, id, 90 * DAY_MS, now, website.createdAt),
      db.checkRollup.findMany({
        where: { websiteId: id, period: "DAY", bucketStart: { gte: new Date(firstDay) } },
        select: { bucketStart: true, downtimeSeconds: true, checks: true },
      }),
      db.incident.findMany({
        where: { websiteId: id, OR: [{ resolvedAt: null }, { resolvedAt: { gte: new Date(firstDay) } }] },
        select: { startedAt: true, resolvedAt: true },
      }),
    ]);
    const dailyBars = buildDailyBars({
      nowMs,
      createdAtMs: website.createdAt.getTime(),
      rollups: new Map(days.map((row) => [row.bucketStart.getTime(), row])),
      incidents: incidents.map((incident) => ({
        startedAtMs: incident.startedAt.getTime(),
        resolvedAtMs: incident.resolvedAt?.getTime() ?? null,
      })),
    });
    return { uptime: { h24, d7, d30, d90 }, dailyBars };
  });
}

export type ResponseRange = "1h" | "24h" | "7d" | "30d";

export interface ResponsePoint {
  /** Bucket (or check) time, ms since epoch. */
  t: number;
  dns: number | null;
  connect: number | null;
  tls: number | null;
  ttfb: number | null;
  download: number | null;
  total: number | null;
  p50: number | null;
  p95: number | null;
}

type RawPointRow = Omit<ResponsePoint, "t"> & { t: Date };

/**
 * Response times with their phases, for a chart. The last hour and day come from raw
 * results (each check; a day of checks faster than every 30 s by the minute, with exact
 * percentiles); 7 and 30 days from the hourly rollups (p50/p95 from their histograms).
 */
export async function responseTimes(
  scope: OwnerScope,
  { id, range }: { id: string; range: ResponseRange },
  nowMs = Date.now(),
): Promise<ResponsePoint[]> {
  const { userId } = scope;
  return scope.read(async (db) => {
    const website = await ownedWebsite(db, userId, id);
    // Each check, so a new monitor's chart starts with its first check — over a day only
    // when that is at most 2,880 points (30-second checks); faster ones by the minute.
    if (range === "1h" || (range === "24h" && website.intervalSeconds >= 30)) {
      const since = new Date(nowMs - (range === "1h" ? HOUR_MS : DAY_MS));
      const checks = await readChecks(db, id, { since, status: "UP", order: "asc" });
      return checks.map((check) => ({
        t: check.checkedAt.getTime(),
        dns: check.dnsMs,
        connect: check.connectMs,
        tls: check.tlsMs,
        ttfb: check.ttfbMs,
        download: check.downloadMs,
        total: check.responseTimeMs,
        p50: null,
        p95: null,
      }));
    }
    if (range === "24h") {
      const rows = await db.$queryRaw<RawPointRow[]>`
        SELECT to_timestamp(floor(extract(epoch FROM r."scheduledAt") / 60) * 60) AS t,
               avg(bu_ms(r."dnsMs"))::float AS dns, avg(bu_ms(r."connectMs"))::float AS connect,
               avg(bu_ms(r."tlsMs"))::float AS tls, avg(bu_ms(r."ttfbMs"))::float AS ttfb,
               avg(bu_ms(r."downloadMs"))::float AS download, avg(r."responseTimeMs")::float AS total,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY r."responseTimeMs")::float AS p50,
               percentile_cont(0.95) WITHIN GROUP (ORDER BY r."responseTimeMs")::float AS p95
        FROM "CheckResult" r
        WHERE r."monitorKey" = ${website.key} AND r.status = 'UP' AND r."scheduledAt" >= ${new Date(nowMs - DAY_MS)}
        GROUP BY 1 ORDER BY 1`;
      return rows.map((row) => ({ ...row, t: row.t.getTime() }));
    }
    const rollups = await db.checkRollup.findMany({
      where: {
        websiteId: id,
        period: "HOUR",
        bucketStart: { gte: new Date(nowMs - (range === "7d" ? 7 : 30) * DAY_MS) },
        responseTimeCount: { gt: 0 },
      },
      orderBy: { bucketStart: "asc" },
    });
    return rollups.map((row) => {
      const count = row.responseTimeCount;
      const average = (sum: bigint) => Math.round(Number(sum) / count);
      const histogram = row.histogram.length === HISTOGRAM_SIZE ? row.histogram : [];
      return {
        t: row.bucketStart.getTime(),
        ...(Object.fromEntries(PHASES.map((phase) => [phase, average(row[`${phase}SumMs`])])) as Record<
          (typeof PHASES)[number],
          number
        >),
        total: average(row.responseTimeSumMs),
        p50: quantileFromHistogram(histogram, 0.5),
        p95: quantileFromHistogram(histogram, 0.95),
      };
    });
  });
}

const PAGE = 25;

export async function listIncidents(scope: OwnerScope, { id, cursor }: { id: string; cursor?: string }) {
  const { userId } = scope;
  return scope.read(async (db) => {
    await ownedWebsite(db, userId, id);
    const incidents = await db.incident.findMany({
      where: { websiteId: id },
      orderBy: [{ startedAt: "desc" }, { id: "desc" }],
      take: PAGE + 1,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    return {
      items: incidents.slice(0, PAGE).map(({ openKey: _key, ...incident }) => incident),
      nextCursor: incidents.length > PAGE ? incidents[PAGE - 1]!.id : null,
    };
  });
}

/** Recent checks, newest first, 25 a page (cursor: the last id seen). */
export async function listChecks(scope: OwnerScope, { id, cursor }: { id: string; cursor?: string }) {
  const { userId } = scope;
  return scope.read(async (db) => {
    await ownedWebsite(db, userId, id);
    const checks = await readChecks(db, id, { ...(cursor ? { before: cursor } : {}), limit: PAGE + 1 });
    return {
      items: checks.slice(0, PAGE),
      nextCursor: checks.length > PAGE ? checks[PAGE - 1]!.id : null,
    };
  });
}
