/**
 * Hourly and daily aggregates, pure. Uptime, charts and percentiles read these instead
 * of raw results, so their cost does not grow with history. p95 comes from a fixed
 * log-scale histogram, which can be summed bucket by bucket as results arrive.
 */
import { DAY_MS, HOUR_MS } from "./time.ts";

export type Period = "HOUR" | "DAY";

/** Upper bounds (ms) of the histogram's buckets; the last bucket is open-ended. */
export const HISTOGRAM_BOUNDS_MS = [
  10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000, 15000, 30000, 60000,
] as const;
export const HISTOGRAM_SIZE = HISTOGRAM_BOUNDS_MS.length + 1;

export function histogramBucket(ms: number): number {
  const index = HISTOGRAM_BOUNDS_MS.findIndex((bound) => ms <= bound);
  return index === -1 ? HISTOGRAM_BOUNDS_MS.length : index;
}

/** The bucket's upper bound where the cumulative count reaches `quantile`; null when empty. */
export function quantileFromHistogram(histogram: readonly number[], quantile: number): number | null {
  const total = histogram.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.ceil(total * quantile);
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i] ?? 0;
    if (seen >= rank) return HISTOGRAM_BOUNDS_MS[i] ?? HISTOGRAM_BOUNDS_MS[HISTOGRAM_BOUNDS_MS.length - 1]!;
  }
  return null;
}

/** Start of the UTC hour or day holding `ms`. */
export function bucketStart(ms: number, period: Period): number {
  const size = period === "HOUR" ? HOUR_MS : DAY_MS;
  return Math.floor(ms / size) * size;
}

export const PHASES = ["dns", "connect", "tls", "ttfb", "download"] as const;
export type Phase = (typeof PHASES)[number];
export type PhaseTimings = Record<Phase, number | null>;

export interface RollupDelta {
  monitorId: string;
  period: Period;
  bucketStart: number;
  checks: number;
  failures: number;
  downtimeSeconds: number;
  responseTimeSumMs: number;
  responseTimeCount: number;
  /** Sums of each phase over the counted checks (missing phases count 0). */
  phaseSumsMs: Record<Phase, number>;
  histogram: number[];
}

function key(monitorId: string, period: Period, start: number): string {
  return `${monitorId}|${period}|${start}`;
}

/** Accumulates per-bucket changes for one flush, to be added to the stored rollups. */
export class RollupBatch {
  private readonly deltas = new Map<string, RollupDelta>();

  private delta(monitorId: string, period: Period, start: number): RollupDelta {
    const id = key(monitorId, period, start);
    let delta = this.deltas.get(id);
    if (!delta) {
      delta = {
        monitorId,
        period,
        bucketStart: start,
        checks: 0,
        failures: 0,
        downtimeSeconds: 0,
        responseTimeSumMs: 0,
        responseTimeCount: 0,
        phaseSumsMs: { dns: 0, connect: 0, tls: 0, ttfb: 0, download: 0 },
        histogram: new Array<number>(HISTOGRAM_SIZE).fill(0),
      };
      this.deltas.set(id, delta);
    }
    return delta;
  }

  addCheck(
    monitorId: string,
    atMs: number,
    up: boolean,
    responseTimeMs: number | null,
    phases: PhaseTimings | null = null,
  ): void {
    for (const period of ["HOUR", "DAY"] as const) {
      const delta = this.delta(monitorId, period, bucketStart(atMs, period));
      delta.checks += 1;
      if (!up) delta.failures += 1;
      if (up && responseTimeMs !== null) {
        delta.responseTimeSumMs += responseTimeMs;
        delta.responseTimeCount += 1;
        delta.histogram[histogramBucket(responseTimeMs)]! += 1;
        for (const phase of PHASES) delta.phaseSumsMs[phase] += phases?.[phase] ?? 0;
      }
    }
  }

  /** Adds an outage's seconds to every hour and day it overlaps. */
  addDowntime(monitorId: string, fromMs: number, toMs: number): void {
    for (const period of ["HOUR", "DAY"] as const) {
      const size = period === "HOUR" ? HOUR_MS : DAY_MS;
      for (let start = bucketStart(fromMs, period); start < toMs; start += size) {
        const overlap = Math.min(toMs, start + size) - Math.max(fromMs, start);
        if (overlap > 0) this.delta(monitorId, period, start).downtimeSeconds += Math.round(overlap / 1000);
      }
    }
  }

  list(): RollupDelta[] {
    return [...this.deltas.values()];
  }
}
