import { describe, expect, it } from "vitest";
import { openIncidentSeconds, uptimePercent, uptimeTone } from "../../core/domain/uptime.ts";
import { formatPercent } from "../../core/text/format.ts";

describe("uptime arithmetic", () => {
  it("turns downtime into a percentage of the window", () => {
    expect(uptimePercent(36 * 60, 86_400)).toBe(97.5);
    expect(uptimePercent(0, 86_400)).toBe(100);
    expect(uptimePercent(100_000, 86_400)).toBe(0);
    expect(uptimePercent(0, 0)).toBeNull();
  });

  it("counts an open incident up to now, within the window", () => {
    expect(openIncidentSeconds(null, 0, 1000)).toBe(0);
    expect(openIncidentSeconds(500, 0, 1500)).toBe(1);
    expect(openIncidentSeconds(-5000, 0, 2000)).toBe(2); // started before the window
  });

  it("formats and colours", () => {
    expect(formatPercent(100)).toBe("100%");
    expect(formatPercent(99.95)).toBe("99.95%");
    expect(formatPercent(null)).toBe("—");
    expect([100, 99.5, 97, 80, null].map(uptimeTone)).toEqual(["good", "minor", "major", "down", "none"]);
  });

  it("colours a figure exactly on a boundary as the better band (99.9 % is good, 99 % minor, 95 % major)", () => {
    // What a status page shows for "three nines", "two nines" and 95 %: the band the figure has reached.
    expect([99.9, 99.899, 99, 98.999, 95, 94.999].map(uptimeTone)).toEqual([
      "good",
      "minor",
      "minor",
      "major",
      "major",
      "down",
    ]);
  });
});
