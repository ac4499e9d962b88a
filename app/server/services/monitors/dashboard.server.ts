/**
 * What a monitor's page reads: rollups and, for the last day, raw results — never long
 * ranges of raw results, so pages cost the same with a year of history (the list is
 * monitor-list.server.ts). All are reads that may lag a little: on a replica when there
 * is one, unless the user has just written.
 */
import { buildDailyBars, type DailyBar } from "~/lib/monitors/daily-bars.ts";
import { DAY_MS, floorTo, HOUR_MS } from "../../../../core/domain/time.ts";
import { HISTOGRAM_SIZE, PHASES, quantileFromHistogram } from "../../../../core/domain/rollups.ts";
import { readChecks } from "../../../../core/db/check-results.ts";
import { minuteResponsePoints, type ResponsePointRow } from "../../../../core/db/queries/dashboard.ts";
import { sqlOfPrisma } from "../../../../core/db/sql.ts";
import type { OwnerScope } from "../scope.server.ts";
import { uptimeOver, type UptimeSummary } from "./uptime.server.ts";
import { withWebsiteId } from "~/lib/api/deprecated-names.ts";

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
  const monitor = await scope.own.monitor(id);
  return scope.read(async (db) => {
    const now = new Date(nowMs);
    const firstDay = floorTo(nowMs, DAY_MS) - 89 * DAY_MS;
    const [h24, d7, d30, d90, days, incidents] = await Promise.all([
      uptimeOver(db, id, DAY_MS, now, monitor.createdAt),
      uptimeOver(db, id, 7 * DAY_MS, now, monitor.createdAt),
      uptimeOver(db, id, 30 * DAY_MS, now, monitor.createdAt),
      uptimeOver(db, id, 90 * DAY_MS, now, monitor.createdAt),
      db.checkRollup.findMany({
        where: { monitorId: id, period: "DAY", bucketStart: { gte: new Date(firstDay) } },
        select: { bucketStart: true, downtimeSeconds: true, checks: true },
      }),
      db.incident.findMany({
        where: { monitorId: id, OR: [{ resolvedAt: null }, { resolvedAt: { gte: new Date(firstDay) } }] },
        select: { startedAt: true, resolvedAt: true },
      }),
    ]);
    const dailyBars = buildDailyBars({
      nowMs,
      createdAtMs: monitor.createdAt.getTime(),
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

/** A chart point, its time (bucket or check) in ms since epoch. */
export type ResponsePoint = Omit<ResponsePointRow, "t"> & { t: number };

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
  const monitor = await scope.own.monitor(id);
  return scope.read(async (db) => {
    // Each check, so a new monitor's chart starts with its first check — over a day only
    // when that is at most 2,880 points (30-second checks); faster ones by the minute.
    if (range === "1h" || (range === "24h" && monitor.intervalSeconds >= 30)) {
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
      const rows = await minuteResponsePoints(sqlOfPrisma(db), monitor.key, new Date(nowMs - DAY_MS));
      return rows.map((row) => ({ ...row, t: row.t.getTime() }));
    }
    const rollups = await db.checkRollup.findMany({
      where: {
        monitorId: id,
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
  await scope.own.monitor(id);
  return scope.read(async (db) => {
    const incidents = await db.incident.findMany({
      where: { monitorId: id },
      orderBy: [{ startedAt: "desc" }, { id: "desc" }],
      take: PAGE + 1,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    return {
      items: incidents.slice(0, PAGE).map(({ openKey: _key, ...incident }) => withWebsiteId(incident)),
      nextCursor: incidents.length > PAGE ? incidents[PAGE - 1]!.id : null,
    };
  });
}

/** Recent checks, newest first, 25 a page (cursor: the last id seen). */
export async function listChecks(scope: OwnerScope, { id, cursor }: { id: string; cursor?: string }) {
  await scope.own.monitor(id);
  return scope.read(async (db) => {
    const checks = await readChecks(db, id, { ...(cursor ? { before: cursor } : {}), limit: PAGE + 1 });
    return {
      items: checks.slice(0, PAGE),
      nextCursor: checks.length > PAGE ? checks[PAGE - 1]!.id : null,
    };
  });
}
