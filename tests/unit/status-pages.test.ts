import { describe, expect, it } from "vitest";
import { buildDailyBars, periodUptime } from "../../app/lib/monitors/daily-bars.ts";
import { Slug } from "../../app/lib/status-pages/status-page-input.ts";
import { overallState, serviceState } from "../../app/lib/status-pages/overall-state.ts";
import { rewriteForPage } from "../../app/host/custom-domains.server.ts";
import { pageMonitorsFromForm } from "../../app/web/forms/status-page-form.server.ts";
import { verificationFailure } from "../../core/domain/domain-claims.ts";

const DAY = 86_400_000;

describe("service and overall state", () => {
  it("reads a service's state from its status, failing regions and maintenance", () => {
    expect(serviceState({ status: "UP", failingRegions: 0, inMaintenance: false })).toBe("operational");
    expect(serviceState({ status: "UP", failingRegions: 1, inMaintenance: false })).toBe("degraded");
    expect(serviceState({ status: "DOWN", failingRegions: 2, inMaintenance: false })).toBe("outage");
    expect(serviceState({ status: "DOWN", failingRegions: 2, inMaintenance: true })).toBe("maintenance");
    expect(serviceState({ status: "PAUSED", failingRegions: 0, inMaintenance: false })).toBe("unknown");
  });

  it("calls some services down a partial outage, all of them a major one", () => {
    expect(overallState(["operational", "outage"])).toBe("partial_outage");
    expect(overallState(["outage", "outage", "unknown"])).toBe("major_outage");
    expect(overallState(["operational", "degraded", "maintenance"])).toBe("degraded");
    expect(overallState(["operational", "maintenance"])).toBe("maintenance");
    expect(overallState(["operational", "unknown"])).toBe("operational");
    expect(overallState([])).toBe("operational");
  });
});

describe("period uptime", () => {
  it("weighs downtime over the monitored time of the days with data", () => {
    const now = Date.UTC(2026, 10, 25, 12);
    const today = Date.UTC(2026, 10, 25);
    const createdAtMs = today - 2 * DAY;
    const rollups = new Map([
      [today - 2 * DAY, { downtimeSeconds: 0, checks: 10 }],
      [today - DAY, { downtimeSeconds: 36 * 60, checks: 10 }],
      [today, { downtimeSeconds: 0, checks: 5 }],
    ]);
    const bars = buildDailyBars({ nowMs: now, createdAtMs, rollups, incidents: [], days: 5 });
    expect(bars.map((bar) => bar.uptimePercent)).toEqual([null, null, 100, 97.5, 100]);
    // 2,160 s down in 2.5 days.
    expect(periodUptime(bars, now, createdAtMs)).toBeCloseTo(100 * (1 - 2160 / (2.5 * 86_400)), 6);
    expect(periodUptime(bars.slice(0, 2), now, createdAtMs)).toBeNull();
  });
});

describe("custom domain verification", () => {
  const name = "_better-uptime.status.acme.test";
  const expected = "better-uptime-verification=abc";

  it("accepts the token among other TXT records, split in chunks or not", () => {
    expect(
      verificationFailure(name, expected, { records: [["v=spf1 -all"], ["better-uptime-", "verification=abc"]] }),
    ).toBeNull();
  });

  it("says what is wrong in words the owner can act on", () => {
    const notFound = Object.assign(new Error("queryTxt ENOTFOUND"), { code: "ENOTFOUND" });
    expect(verificationFailure(name, expected, { error: notFound })).toMatch(/^No TXT record found at _better-uptime/);
    expect(verificationFailure(name, expected, { records: [["better-uptime-verification=old"]] })).toBe(
      `The TXT record at ${name} is "better-uptime-verification=old", not "${expected}". Correct it, then verify again.`,
    );
    const timeout = Object.assign(new Error("queryTxt ETIMEOUT"), { code: "ETIMEOUT" });
    expect(verificationFailure(name, expected, { error: timeout })).toMatch(/timed out/);
  });
});

describe("custom domain paths", () => {
  it("serves the page at / and its own paths, and nothing else of the app", () => {
    expect(rewriteForPage("acme", "/")).toBe("/status/acme");
    expect(rewriteForPage("acme", "/feed.atom")).toBe("/status/acme/feed.atom");
    expect(rewriteForPage("acme", "/status/acme.json")).toBe("/status/acme.json");
    expect(rewriteForPage("acme", "/build/root-123.js")).toBe("/build/root-123.js");
    expect(rewriteForPage("acme", "/monitors")).toBe("/status/acme/monitors"); // a 404 of the page's
    expect(rewriteForPage("acme", "/status/other")).toBeNull();
  });
});

describe("status page slugs", () => {
  it("are lowercased and refuse reserved words and odd characters", () => {
    expect(Slug.parse(" Acme-Status ")).toBe("acme-status");
    expect(Slug.safeParse("api").error?.issues[0]?.message).toBe("This address is reserved: choose another");
    expect(Slug.safeParse("acme--status").success).toBe(false);
    expect(Slug.safeParse("ac").success).toBe(false);
  });
});

describe("the editor's monitor table", () => {
  it("lists ticked monitors in the order given, with names and sections", () => {
    const form = new FormData();
    for (const [key, value] of [
      ["show.a", "on"],
      ["name.a", "Website"],
      ["section.a", ""],
      ["order.a", "2"],
      ["name.b", "Unticked"],
      ["order.b", "0"],
      ["show.c", "on"],
      ["name.c", "API"],
      ["section.c", "Backend"],
      ["order.c", "1"],
    ])
      form.append(key!, value!);
    expect(pageMonitorsFromForm(form)).toEqual([
      { monitorId: "c", displayName: "API", section: "Backend" },
      { monitorId: "a", displayName: "Website", section: null },
    ]);
  });
});
