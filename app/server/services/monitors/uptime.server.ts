/**
 * Uptime over a window (24 h, 7 d, 30 d, 90 d…) from rollups, not raw results: whole
 * days from daily rollups, the partial days at either end from hourly ones, plus the
 * part of an incident still open. At most ~90 + 48 rows per monitor, however long the
 * history.
 *
 * Uptime % = 1 − confirmed downtime ÷ window length; downtime is incident time
 * (from confirmed DOWN to confirmed UP), so a 36-minute outage costs a day 2.5%.
 */
import { openIncidentSeconds, uptimePercent } from "../../../../core/domain/uptime.ts";
import { DAY_MS as DAY, HOUR_MS as HOUR } from "../../../../core/domain/time.ts";
import { HISTOGRAM_SIZE, quantileFromHistogram } from "../../../../core/domain/rollups.ts";
import type { Db } from "../../../../core/db/client.ts";

export interface UptimeSummary {
  windowSeconds: number;
  uptimePercent: number;
  downtimeSeconds: number;
  checks: number;
  failures: number;
  averageResponseMs: number | null;
  p95ResponseMs: number | null;
}

/** `since`: when the monitor was created — a younger monitor is judged over its own life. */
export async function uptimeOver(
  db: Db,
  monitorId: string,
  windowMs: number,
  now = new Date(),
  since?: Date,
): Promise<UptimeSummary> {
  const end = now.getTime();
  const start = Math.max(end - windowMs, since?.getTime() ?? -Infinity);
  const firstFullDay = Math.ceil(start / DAY) * DAY;
  const lastFullDayEnd = Math.floor(end / DAY) * DAY;
  const hourRanges =
    firstFullDay < lastFullDayEnd
      ? [
          [Math.floor(start / HOUR) * HOUR, firstFullDay],
          [lastFullDayEnd, end],
        ]
      : [[Math.floor(start / HOUR) * HOUR, end]];

  const [days, hours, openIncident] = await Promise.all([
    firstFullDay < lastFullDayEnd
      ? db.checkRollup.findMany({
          where: {
            monitorId,
            period: "DAY",
            bucketStart: { gte: new Date(firstFullDay), lt: new Date(lastFullDayEnd) },
          },
        })
      : Promise.resolve([]),
    db.checkRollup.findMany({
      where: {
        monitorId,
        period: "HOUR",
        OR: hourRanges.map(([from, to]) => ({ bucketStart: { gte: new Date(from!), lt: new Date(to!) } })),
      },
    }),
    db.incident.findFirst({ where: { openKey: monitorId }, select: { startedAt: true } }),
  ]);

  const rows = [...days, ...hours];
  const histogram = new Array<number>(HISTOGRAM_SIZE).fill(0);
  let downtimeSeconds = 0;
  let checks = 0;
  let failures = 0;
  let responseSum = 0;
  let responseCount = 0;
  for (const row of rows) {
    downtimeSeconds += row.downtimeSeconds;
    checks += row.checks;
    failures += row.failures;
    responseSum += Number(row.responseTimeSumMs);
    responseCount += row.responseTimeCount;
    row.histogram.forEach((count, i) => (histogram[i]! += count));
  }
  downtimeSeconds += openIncidentSeconds(openIncident?.startedAt.getTime() ?? null, start, end);
  const windowSeconds = (end - start) / 1000;
  downtimeSeconds = Math.min(windowSeconds, Math.round(downtimeSeconds));
  return {
    windowSeconds,
    uptimePercent: uptimePercent(downtimeSeconds, windowSeconds) ?? 100,
    downtimeSeconds,
    checks,
    failures,
    averageResponseMs: responseCount ? Math.round(responseSum / responseCount) : null,
    p95ResponseMs: quantileFromHistogram(histogram, 0.95),
  };
}
