import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatDuration, formatPercent } from "../../core/text/format.ts";

describe("formatters", () => {
  it("say durations in the largest two units", () => {
    expect(formatDuration(0)).toBe("0 s");
    expect(formatDuration(45)).toBe("45 s");
    expect(formatDuration(36 * 60)).toBe("36 min 0 s");
    expect(formatDuration(3 * 3600 + 20 * 60 + 59)).toBe("3 h 20 min");
    expect(formatDuration(2 * 86_400 + 4 * 3600 + 10)).toBe("2 d 4 h");
  });

  it("show uptime with at most two decimals, never rounded up to 100 %", () => {
    expect(formatPercent(100)).toBe("100%");
    expect(formatPercent(99.95)).toBe("99.95%");
    expect(formatPercent(63.079)).toBe("63.07%");
    expect(formatPercent(99.9996)).toBe("99.99%");
    expect(formatPercent(99.5)).toBe("99.5%");
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(null)).toBe("—");
  });

  it("write dates the same way on every page, in UTC, whatever the reader's locale", () => {
    const at = new Date("2026-11-30T22:08:47Z");
    expect(formatDateTime(at)).toBe("30 Nov 2026, 22:08 UTC");
    expect(formatDateTime(at.toISOString())).toBe("30 Nov 2026, 22:08 UTC");
    expect(formatDate(at)).toBe("30 Nov 2026");
  });
});
