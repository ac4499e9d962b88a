/**
 * One bar per UTC day of uptime (pure, shared by the dashboard and status pages): a
 * day's downtime is the resolved incident time summed in its daily rollup, plus the
 * part of a still-open incident; its window starts when the monitor was created.
 */
import { DAY_MS, floorTo } from "../../../core/domain/time.ts";
import { openIncidentSeconds, uptimePercent } from "../../../core/domain/uptime.ts";

export interface DailyBar {
  /** Start of the UTC day. */
  day: Date;
  /** null: the monitor did not exist or had no checks that day. */
  uptimePercent: number | null;
  downtimeSeconds: number;
  checks: number;
  incidents: number;
}

export interface DailyBarsInput {
  nowMs: number;
  createdAtMs: number;
  /** Daily rollups by the start of their day. */
  rollups: Map<number, { downtimeSeconds: number; checks: number }>;
  /** Incidents overlapping the period; `resolvedAtMs` null while open. */
  incidents: { startedAtMs: number; resolvedAtMs: number | null }[];
  days?: number;
}

export function buildDailyBars({ nowMs, createdAtMs, rollups, incidents, days = 90 }: DailyBarsInput): DailyBar[] {
  const today = floorTo(nowMs, DAY_MS);
  const createdDay = floorTo(createdAtMs, DAY_MS);
  const open = incidents.find((incident) => incident.resolvedAtMs === null);
  const bars: DailyBar[] = [];
  for (let day = today - (days - 1) * DAY_MS; day <= today; day += DAY_MS) {
    const row = rollups.get(day);
    const dayEnd = Math.min(day + DAY_MS, nowMs);
    const start = Math.max(day, createdAtMs);
    const downtime = (row?.downtimeSeconds ?? 0) + openIncidentSeconds(open?.startedAtMs ?? null, start, dayEnd);
    const overlapping = incidents.filter(
      (incident) => incident.startedAtMs < day + DAY_MS && (incident.resolvedAtMs ?? nowMs) >= day,
    ).length;
    bars.push({
      day: new Date(day),
      uptimePercent:
        day < createdDay || (!row && overlapping === 0) ? null : uptimePercent(downtime, (dayEnd - start) / 1000),
      downtimeSeconds: Math.round(downtime),
      checks: row?.checks ?? 0,
      incidents: overlapping,
    });
  }
  return bars;
}

/** Uptime over the bars' days that have data: total downtime ÷ total monitored time. */
export function periodUptime(
  bars: Pick<DailyBar, "day" | "uptimePercent" | "downtimeSeconds">[],
  nowMs: number,
  createdAtMs: number,
): number | null {
  let windowSeconds = 0;
  let downtimeSeconds = 0;
  for (const bar of bars) {
    if (bar.uptimePercent === null) continue;
    const day = bar.day.getTime();
    windowSeconds += (Math.min(day + DAY_MS, nowMs) - Math.max(day, createdAtMs)) / 1000;
    downtimeSeconds += bar.downtimeSeconds;
  }
  return windowSeconds > 0 ? uptimePercent(downtimeSeconds, windowSeconds) : null;
}
