import { describe, expect, it } from "vitest";
import { nextSlotAfter, randomPhaseMs, slotAfterCheck } from "../../core/domain/schedule.ts";

describe("nextSlotAfter", () => {
  const interval = 10_000;
  const phase = 3_000;

  it("returns the next point of the monitor's grid, strictly after now", () => {
    expect(nextSlotAfter(100_000, interval, phase)).toBe(103_000);
    expect(nextSlotAfter(103_000, interval, phase)).toBe(113_000);
    expect(nextSlotAfter(103_001, interval, phase)).toBe(113_000);
  });

  it("does not drift: slots stay on the grid however late a check runs", () => {
    for (const now of [103_400, 109_999, 112_999])
      expect((nextSlotAfter(now, interval, phase) - phase) % interval).toBe(0);
  });

  it("skips missed slots after downtime instead of bursting", () => {
    // Down for an hour: the next check is one slot away, not 360 overdue ones.
    const afterOutage = 3_600_000 + 5_000;
    const next = nextSlotAfter(afterOutage, interval, phase);
    expect(next - afterOutage).toBeGreaterThan(0);
    expect(next - afterOutage).toBeLessThanOrEqual(interval);
  });
});

describe("randomPhaseMs", () => {
  it("falls within the interval", () => {
    expect(randomPhaseMs(60, () => 0)).toBe(0);
    expect(randomPhaseMs(60, () => 0.999999)).toBeLessThan(60_000);
  });
});

describe("slotAfterCheck", () => {
  const interval = 10_000;
  const phase = 3_000;

  it("gives an on-time check the very next slot", () => {
    expect(slotAfterCheck(103_000, interval, phase)).toBe(113_000);
    expect(slotAfterCheck(103_250, interval, phase)).toBe(113_000);
  });

  it("keeps an off-grid check (new monitor, check now) at least half an interval from the next", () => {
    expect(slotAfterCheck(111_000, interval, phase)).toBe(123_000);
    expect(slotAfterCheck(107_000, interval, phase)).toBe(113_000);
  });
});
