import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatDuration, formatPercent, knownTimeZone } from "../../core/text/format.ts";
import { uptimePercent } from "../../core/domain/uptime.ts";
import { readTimeZone } from "../../app/web/time-zone-cookie.server.ts";

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
    // Every three-decimal uptime shows its first two decimals exactly (no binary-fraction slips).
    for (let thousandths = 0; thousandths <= 100_000; thousandths += 1) {
      const expected = `${Math.floor(thousandths / 10) / 100}%`;
      if (formatPercent(thousandths / 1000) !== expected) expect(formatPercent(thousandths / 1000)).toBe(expected);
    }
  });

  it("never shows 100 % when there was downtime", () => {
    expect(formatPercent(uptimePercent(1, 90 * 86_400))).toBe("99.99%");
    expect(formatPercent(uptimePercent(0, 86_400))).toBe("100%");
    expect(uptimePercent(432, 86_400)).toBe(99.5);
    expect(uptimePercent(43.2, 86_400)).toBe(99.95);
  });

  it("write dates the same way on every page, in UTC, whatever the reader's locale", () => {
    const at = new Date("2026-11-30T22:08:47Z");
    expect(formatDateTime(at)).toBe("30 Nov 2026, 22:08 UTC");
    expect(formatDateTime(at.toISOString())).toBe("30 Nov 2026, 22:08 UTC");
    expect(formatDate(at)).toBe("30 Nov 2026");
  });

  it("write dates in the viewer's zone, naming it", () => {
    const at = new Date("2026-11-30T22:08:47Z");
    expect(formatDateTime(at, "Europe/Berlin")).toBe("30 Nov 2026, 23:08 CET");
    expect(formatDateTime(at, "Asia/Kolkata")).toBe("1 Dec 2026, 03:38 GMT+5:30");
    expect(formatDate(at, "Asia/Kolkata")).toBe("1 Dec 2026");
    expect(knownTimeZone("Mars/Olympus")).toBe("UTC");
    expect(knownTimeZone(undefined)).toBe("UTC");
  });

  it("read the viewer's zone from the tz cookie, UTC when missing or unknown", () => {
    const withCookie = (cookie: string) => new Request("http://127.0.0.1/", { headers: { cookie } });
    expect(readTimeZone(withCookie("theme=dark; tz=Europe%2FBerlin"))).toBe("Europe/Berlin");
    expect(readTimeZone(withCookie("tz=Nowhere%2FLand"))).toBe("UTC");
    expect(readTimeZone(withCookie("tz=%E0%A4%A"))).toBe("UTC");
    expect(readTimeZone(new Request("http://127.0.0.1/"))).toBe("UTC");
  });
});
