import { describe, expect, it } from "vitest";
import {
  bucketStart,
  HISTOGRAM_SIZE,
  histogramBucket,
  quantileFromHistogram,
  RollupBatch,
} from "../../core/domain/rollups.ts";

const day = Date.UTC(2026, 10, 20);

describe("histogram", () => {
  it("puts response times in log-scale buckets", () => {
    expect(histogramBucket(5)).toBe(0);
    expect(histogramBucket(10)).toBe(0);
    expect(histogramBucket(11)).toBe(1);
    expect(histogramBucket(120_000)).toBe(HISTOGRAM_SIZE - 1);
  });

  it("reads p95 as the bucket bound where 95% of checks fall", () => {
    const histogram = new Array<number>(HISTOGRAM_SIZE).fill(0);
    histogram[histogramBucket(40)] = 95; // ≤ 50 ms
    histogram[histogramBucket(900)] = 5; // ≤ 1000 ms
    expect(quantileFromHistogram(histogram, 0.95)).toBe(50);
    expect(quantileFromHistogram(histogram, 0.99)).toBe(1000);
    expect(quantileFromHistogram(new Array<number>(HISTOGRAM_SIZE).fill(0), 0.95)).toBeNull();
  });

  it("takes p95 as the check at or above 95 % of them: with ten checks, the slowest", () => {
    const histogram = new Array<number>(HISTOGRAM_SIZE).fill(0);
    histogram[histogramBucket(40)] = 9;
    histogram[histogramBucket(900)] = 1;
    expect(quantileFromHistogram(histogram, 0.95)).toBe(1000);
    expect(quantileFromHistogram(histogram, 0.9)).toBe(50);
  });

  it("reads a p95 beyond the last bound (60 s) as that bound", () => {
    const histogram = new Array<number>(HISTOGRAM_SIZE).fill(0);
    histogram[histogramBucket(90_000)] = 3;
    expect(quantileFromHistogram(histogram, 0.95)).toBe(60_000);
  });
});

describe("RollupBatch", () => {
  it("counts checks and failures per UTC hour and day", () => {
    const batch = new RollupBatch();
    batch.addCheck("m1", day + 10 * 60_000, true, 120);
    batch.addCheck("m1", day + 20 * 60_000, false, null);
    batch.addCheck("m1", day + 90 * 60_000, true, 80);
    const rows = batch.list();
    const dayRow = rows.find((r) => r.period === "DAY")!;
    expect(dayRow).toMatchObject({
      bucketStart: day,
      checks: 3,
      failures: 1,
      responseTimeSumMs: 200,
      responseTimeCount: 2,
    });
    const hours = rows.filter((r) => r.period === "HOUR").map((r) => [r.bucketStart - day, r.checks]);
    expect(hours).toEqual([
      [0, 2],
      [3_600_000, 1],
    ]);
  });

  it("sums each phase of the successful checks for the stacked chart, a phase a check skipped as 0", () => {
    const batch = new RollupBatch();
    const phases = { dns: 5, connect: 10, tls: 20, ttfb: 60, download: 5 };
    batch.addCheck("m1", day + 10 * 60_000, true, 100, phases);
    // Plain HTTP: no TLS handshake.
    batch.addCheck("m1", day + 20 * 60_000, true, 50, { ...phases, tls: null, ttfb: 30 });
    // A failure's phases are not part of any average.
    batch.addCheck("m1", day + 30 * 60_000, false, null, phases);
    // A check without timings (a heartbeat) counts its response time, no phase.
    batch.addCheck("m1", day + 40 * 60_000, true, 7);
    const expected = { dns: 10, connect: 20, tls: 20, ttfb: 90, download: 10 };
    for (const period of ["HOUR", "DAY"]) {
      expect(batch.list().find((r) => r.period === period)).toMatchObject({
        checks: 4,
        failures: 1,
        responseTimeSumMs: 157,
        responseTimeCount: 3,
        phaseSumsMs: expected,
      });
    }
  });

  it("splits an outage's downtime across the hours and days it spans", () => {
    const batch = new RollupBatch();
    // 23:40 → 00:16 the next day: 20 min on day one, 16 min on day two.
    batch.addDowntime("m1", day + 23 * 3_600_000 + 40 * 60_000, day + 86_400_000 + 16 * 60_000);
    const days = batch
      .list()
      .filter((r) => r.period === "DAY")
      .map((r) => [r.bucketStart, r.downtimeSeconds]);
    expect(days).toEqual([
      [day, 20 * 60],
      [day + 86_400_000, 16 * 60],
    ]);
    const hours = batch
      .list()
      .filter((r) => r.period === "HOUR")
      .map((r) => [r.bucketStart, r.downtimeSeconds]);
    expect(hours).toEqual([
      [day + 23 * 3_600_000, 20 * 60],
      [day + 86_400_000, 16 * 60],
    ]);
  });

  it("a 36-minute outage in one day leaves 97.5% uptime that day", () => {
    const batch = new RollupBatch();
    batch.addDowntime("m1", day + 3_600_000, day + 3_600_000 + 36 * 60_000);
    const downtime = batch.list().find((r) => r.period === "DAY")!.downtimeSeconds;
    expect(1 - downtime / 86_400).toBe(0.975);
  });

  it("buckets by UTC", () => {
    expect(bucketStart(day + 5, "DAY")).toBe(day);
    expect(bucketStart(day + 3_600_000 + 5, "HOUR")).toBe(day + 3_600_000);
  });
});
