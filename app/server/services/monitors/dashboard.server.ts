/**
 * What the dashboard reads. Everything comes from rollups and monitor rows, never from
 * scanning raw results over long ranges, so pages cost the same with a year of history.
 * The list is one query for all of a user's monitors. All are reads that may lag a
 * little: on a replica when there is one, unless the user has just written.
 */
import { displayStatus, type DisplayStatus, type MonitorStatus } from "../../../../core/domain/status.ts";
import { buildDailyBars, type DailyBar } from "~/lib/monitors/daily-bars.ts";
import { openIncidentSeconds, uptimePercent } from "~/lib/monitors/uptime.ts";
import { DAY_MS, floorTo, HOUR_MS } from "../../../../core/domain/time.ts";
import { HISTOGRAM_SIZE, PHASES, quantileFromHistogram } from "../../../../core/domain/rollups.ts";
import { readChecks } from "../../../../core/db/check-results.ts";
import type { Db } from "../../../../core/db/client.ts";
import type { OwnerScope } from "../scope.server.ts";
import { NotFoundError } from "../errors.server.ts";
import { uptimeOver, type UptimeSummary } from "./uptime.server.ts";

export interface MonitorSummary {
  id: string;
  name: string | null;
  url: string;
  status: DisplayStatus;
  statusChangedAt: Date;
  lastCheckedAt: Date | null;
  lastResponseTimeMs: number | null;
  intervalSeconds: number;
  uptime24h: number | null;
  uptime30d: number | null;
  /** Average response time per hour over the last 24 hours (null: no successful check). */
  sparkline: (number | null)[];
}

interface SummaryRow {
  id: string;
  name: string | null;
  url: string;
  isActive: boolean;
  status: MonitorStatus;
  statusChangedAt: Date;
  lastCheckedAt: Date | null;
  lastResponseTimeMs: number | null;
  intervalSeconds: number;
  createdAt: Date;
  downtime24h: bigint | null;
  hourSlots: number[] | null;
  hourAverages: (number | null)[] | null;
  downtime30d: bigint | null;
  openSince: Date | null;
}

export async function listMonitorSummaries(scope: OwnerScope, nowMs = Date.now()): Promise<MonitorSummary[]> {
  const { userId } = scope;
  // A read that may lag a little: the replica, unless this user has just written.
  return scope.read(async (db) => {
    const hourWindowStart = floorTo(nowMs - 24 * HOUR_MS, HOUR_MS);
    const dayWindowStart = floorTo(nowMs - 30 * DAY_MS, DAY_MS);
    const sparkStart = floorTo(nowMs, HOUR_MS) - 23 * HOUR_MS;
    const rows = await db.$queryRaw<SummaryRow[]>`
      SELECT w.id, w.name, w.url, w."isActive", w.status::text AS status, w."statusChangedAt", w."lastCheckedAt",
             w."lastResponseTimeMs", w."intervalSeconds", w."createdAt",
             h.downtime AS "downtime24h", h.slots AS "hourSlots", h.averages AS "hourAverages",
             d.downtime AS "downtime30d", i."startedAt" AS "openSince"
      FROM "Website" w
      LEFT JOIN LATERAL (
        SELECT sum(r."downtimeSeconds")::bigint AS downtime,
               -- Hour slots 0..23 of the sparkline (the first may be the partial hour 24 h ago).
               array_agg(floor(extract(epoch FROM r."bucketStart" - ${new Date(sparkStart)}::timestamp) / 3600)::int
                         ORDER BY r."bucketStart") AS slots,
               array_agg(CASE WHEN r."responseTimeCount" > 0 THEN (r."responseTimeSumMs" / r."responseTimeCount")::int END
                         ORDER BY r."bucketStart") AS averages
        FROM "CheckRollup" r
        WHERE r."websiteId" = w.id AND r.period = 'HOUR' AND r."bucketStart" >= ${new Date(hourWindowStart)}
      ) h ON true
      LEFT JOIN LATERAL (
        SELECT sum(r."downtimeSeconds")::bigint AS downtime
        FROM "CheckRollup" r
        WHERE r."websiteId" = w.id AND r.period = 'DAY' AND r."bucketStart" >= ${new Date(dayWindowStart)}
      ) d ON true
      LEFT JOIN "Incident" i ON i."openKey" = w.id
      WHERE w."userId" = ${userId}
      ORDER BY w."createdAt" DESC`;

    return rows.map((row) => {
      const openSince = row.openSince?.getTime() ?? null;
      const sparkline = new Array<number | null>(24).fill(null);
      row.hourSlots?.forEach((slot, index) => {
        if (slot >= 0 && slot < 24) sparkline[slot] = row.hourAverages?.[index] ?? null;
      });
      const started = row.createdAt.getTime();
      // A monitor younger than the window is judged over its own life, not over time before it existed.
      const window = (from: number) => (nowMs - Math.max(from, started)) / 1000;
      return {
        id: row.id,
        name: row.name,
        url: row.url,
        status: displayStatus(row),
        statusChangedAt: row.statusChangedAt,
        lastCheckedAt: row.lastCheckedAt,
        lastResponseTimeMs: row.lastResponseTimeMs,
        intervalSeconds: row.intervalSeconds,
        uptime24h: uptimePercent(
          Number(row.downtime24h ?? 0) + openIncidentSeconds(openSince, hourWindowStart, nowMs),
          window(hourWindowStart),
        ),
        uptime30d: uptimePercent(
          Number(row.downtime30d ?? 0) + openIncidentSeconds(openSince, dayWindowStart, nowMs),
          window(dayWindowStart),
        ),
        sparkline,
      };
    });
  });
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
 * results (each check; 5-minute buckets with exact percentiles); 7 and 30 days from the
 * hourly rollups (p50/p95 from their histograms).
 */
export async function responseTimes(
  scope: OwnerScope,
  { id, range }: { id: string; range: ResponseRange },
  nowMs = Date.now(),
): Promise<ResponsePoint[]> {
  const { userId } = scope;
  return scope.read(async (db) => {
    await ownedWebsite(db, userId, id);
    if (range === "1h") {
      const checks = await readChecks(db, id, { since: new Date(nowMs - HOUR_MS), status: "UP", order: "asc" });
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
        SELECT to_timestamp(floor(extract(epoch FROM r."scheduledAt") / 300) * 300) AS t,
               avg(bu_ms(r."dnsMs"))::float AS dns, avg(bu_ms(r."connectMs"))::float AS connect,
               avg(bu_ms(r."tlsMs"))::float AS tls, avg(bu_ms(r."ttfbMs"))::float AS ttfb,
               avg(bu_ms(r."downloadMs"))::float AS download, avg(r."responseTimeMs")::float AS total,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY r."responseTimeMs")::float AS p50,
               percentile_cont(0.95) WITHIN GROUP (ORDER BY r."responseTimeMs")::float AS p95
        FROM "CheckResult" r JOIN "Website" w ON w.key = r."monitorKey"
        WHERE w.id = ${id} AND r.status = 'UP' AND r."scheduledAt" >= ${new Date(nowMs - DAY_MS)}
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
