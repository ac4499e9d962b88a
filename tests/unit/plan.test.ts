/**
 * The writer's decisions, without a database: thresholds, regional quorum, maintenance
 * windows, resolve-before-reopen within one batch, downtime, certificate alerts.
 */
import { describe, expect, it } from "vitest";
import { planBatch, type PlanInput, type PlanMonitor } from "../../workers/results/plan.ts";
import type { CheckResultRecord } from "../../workers/results/record.ts";

const T0 = Date.UTC(2026, 10, 30, 10, 0, 0);
const monitor = (overrides: Partial<PlanMonitor> = {}): PlanMonitor => ({
  id: "m1",
  name: "Checkout",
  url: "https://checkout.example.test/",
  type: "HTTP",
  tlsAlertedExpiry: null,
  status: "UP",
  failureThreshold: 1,
  recoveryThreshold: 1,
  downQuorum: 1,
  regions: ["eu"],
  ...overrides,
});

function check(
  status: "UP" | "DOWN",
  seconds: number,
  region = "eu",
  tlsExpiresAt: string | null = null,
): CheckResultRecord {
  const at = new Date(T0 + seconds * 1000);
  return {
    monitorId: "m1",
    region,
    scheduledAt: at,
    checkedAt: at,
    leaseUntil: null,
    verdict: {
      status,
      statusCode: status === "UP" ? 200 : 503,
      responseTimeMs: 40,
      timings: { dnsMs: 1, connectMs: 1, tlsMs: null, ttfbMs: 30, downloadMs: 8 },
      tlsExpiresAt,
      errorClass: status === "UP" ? null : "status",
      error: status === "UP" ? null : "HTTP 503",
      snapshot: null,
    },
  };
}

function plan(records: CheckResultRecord[], overrides: Partial<PlanInput> & { site?: Partial<PlanMonitor> } = {}) {
  const { site, ...rest } = overrides;
  return planBatch({
    records,
    monitors: new Map([["m1", monitor(site)]]),
    schedules: new Map(),
    openIncidents: new Map(),
    maintenance: new Map(),
    tlsExpiryAlertDays: 14,
    ...rest,
  });
}

const kinds = (result: ReturnType<typeof plan>) => result.incidentEvents.map((event) => event.kind);

describe("the writer's plan", () => {
  it("opens an incident only after N consecutive failures (threshold)", () => {
    expect(kinds(plan([check("DOWN", 0)], { site: { failureThreshold: 2 } }))).toEqual([]);
    expect(kinds(plan([check("DOWN", 0), check("DOWN", 10)], { site: { failureThreshold: 2 } }))).toEqual(["open"]);
    expect(
      kinds(plan([check("DOWN", 0), check("UP", 5), check("DOWN", 10)], { site: { failureThreshold: 2 } })),
    ).toEqual([]);
  });

  it("keeps a region being confirmed (a failure below the threshold) PENDING, with its failure counted", () => {
    const result = plan([check("DOWN", 0)], { site: { failureThreshold: 2 } });
    expect(result.schedules.get("m1|eu")).toEqual({
      monitorId: "m1",
      region: "eu",
      status: "PENDING",
      consecutiveFailures: 1,
      consecutiveSuccesses: 0,
    });
    expect(result.monitorUpdates.get("m1")?.status).toBe("PENDING");
  });

  it("opens and resolves one incident for an outage that starts and ends within one batch", () => {
    const result = plan([check("UP", 0), check("DOWN", 10), check("DOWN", 20), check("UP", 30)]);
    expect(result.incidentEvents).toMatchObject([
      { kind: "open", record: { checkedAt: new Date(T0 + 10_000) } },
      { kind: "resolve", at: new Date(T0 + 30_000) },
    ]);
    const hourly = result.rollups.list().filter((row) => row.period === "HOUR");
    expect(hourly.reduce((sum, row) => sum + row.downtimeSeconds, 0)).toBe(20);
  });

  it("needs the quorum of regions to agree before the monitor is DOWN", () => {
    const site = { regions: ["eu", "us"], downQuorum: 2 };
    const oneRegion = plan([check("DOWN", 0, "eu"), check("UP", 1, "us")], { site });
    expect(kinds(oneRegion)).toEqual([]);
    expect(oneRegion.monitorUpdates.get("m1")?.status).toBe("UP");
    const both = plan([check("DOWN", 0, "eu"), check("DOWN", 1, "us")], { site });
    expect(kinds(both)).toEqual(["open"]);
    expect(both.incidentEvents[0]).toMatchObject({ kind: "open", regions: ["eu", "us"] });
  });

  it("opens no incident for failures inside a maintenance window, and opens one when a monitor is still down after it", () => {
    const maintenance = new Map([["m1", [[T0, T0 + 60_000]] as [number, number][]]]);
    expect(kinds(plan([check("DOWN", 0), check("DOWN", 30)], { maintenance }))).toEqual([]);
    const after = plan([check("DOWN", 30), check("DOWN", 70)], { maintenance });
    expect(after.incidentEvents).toMatchObject([{ kind: "open", record: { checkedAt: new Date(T0 + 70_000) } }]);
  });

  it("resolves before it reopens when both happen in one batch, in the order they happened", () => {
    const result = plan([check("UP", 0), check("DOWN", 10)], {
      openIncidents: new Map([["m1", new Date(T0 - 600_000)]]),
      schedules: new Map([
        ["m1|eu", { monitorId: "m1", region: "eu", status: "DOWN", consecutiveFailures: 3, consecutiveSuccesses: 0 }],
      ]),
      site: { status: "DOWN" },
    });
    expect(kinds(result)).toEqual(["resolve", "open"]);
  });

  it("counts an incident's downtime, from its start to its resolution, in the rollups", () => {
    const result = plan([check("UP", 0)], {
      openIncidents: new Map([["m1", new Date(T0 - 36 * 60_000)]]),
      site: { status: "DOWN" },
    });
    const hourly = result.rollups.list().filter((row) => row.period === "HOUR");
    expect(hourly.reduce((sum, row) => sum + row.downtimeSeconds, 0)).toBe(36 * 60);
    const daily = result.rollups.list().filter((row) => row.period === "DAY");
    expect(daily.reduce((sum, row) => sum + row.downtimeSeconds, 0)).toBe(36 * 60);
  });

  it("marks when the monitor's state changed ('down since'), and keeps that moment while it stays the same", () => {
    const result = plan([check("UP", 0), check("DOWN", 10), check("DOWN", 20)]);
    expect(result.monitorUpdates.get("m1")).toMatchObject({ status: "DOWN", changedAt: new Date(T0 + 10_000) });
    const steady = plan([check("UP", 0), check("UP", 10)]);
    expect(steady.monitorUpdates.get("m1")).toMatchObject({ status: "UP", changedAt: null });
  });

  it("counts failed checks as failures in the rollups (uptime charts), and times only successful ones", () => {
    const hourly = plan([check("UP", 0), check("DOWN", 10), check("DOWN", 20)])
      .rollups.list()
      .find((row) => row.period === "HOUR")!;
    expect(hourly).toMatchObject({ checks: 3, failures: 2, responseTimeCount: 1, responseTimeSumMs: 40 });
    expect(hourly.phaseSumsMs).toMatchObject({ dns: 1, connect: 1, tls: 0, ttfb: 30, download: 8 });
  });

  it("names only the regions that saw the monitor down in its incident", () => {
    const site = { regions: ["eu", "us", "ap"], downQuorum: 2 };
    const result = plan([check("UP", 0, "ap"), check("DOWN", 1, "eu"), check("DOWN", 2, "us")], { site });
    expect(result.incidentEvents).toMatchObject([{ kind: "open", regions: ["eu", "us"] }]);
  });

  it("holds failures from the first millisecond of a maintenance window, and not after its last", () => {
    const maintenance = new Map([["m1", [[T0 + 10_000, T0 + 20_000]] as [number, number][]]]);
    expect(kinds(plan([check("DOWN", 10)], { maintenance }))).toEqual([]);
    expect(kinds(plan([check("DOWN", 20)], { maintenance }))).toEqual(["open"]);
    expect(kinds(plan([check("DOWN", 5)], { maintenance }))).toEqual(["open"]);
  });

  it("alerts for a certificate exactly at the alert window's edge, and never for a monitor without one", () => {
    const edge = new Date(T0 + 14 * 86_400_000).toISOString();
    expect(plan([check("UP", 0, "eu", edge)]).certificateAlerts).toMatchObject([{ daysLeft: 14 }]);
    expect(plan([check("UP", 0, "eu", null)]).certificateAlerts).toEqual([]);
  });

  it("skips a result for a monitor deleted meanwhile", () => {
    const result = plan([check("DOWN", 0)], { monitors: new Map() });
    expect(result.incidentEvents).toEqual([]);
    expect(result.monitorUpdates.size).toBe(0);
  });

  it("opens the incident although one region has never reported, naming the ones that saw it down", () => {
    const site = { regions: ["eu", "us", "ap"], downQuorum: 2 };
    const result = plan([check("DOWN", 1, "eu"), check("DOWN", 2, "us")], { site });
    expect(result.incidentEvents).toMatchObject([{ kind: "open", regions: ["eu", "us"] }]);
  });

  it("counts a result without a verdict (the runner failed, not the target) nowhere", () => {
    const noVerdict = check("UP", 0);
    const record = { ...noVerdict, verdict: { ...noVerdict.verdict, status: null } } as unknown as CheckResultRecord;
    const result = plan([record]);
    expect(result.rollups.list()).toEqual([]);
    expect(result.monitorUpdates.size).toBe(0);
  });

  it("alerts once per certificate when it gets within the alert window", () => {
    const soon = new Date(T0 + 5 * 86_400_000).toISOString();
    const result = plan([check("UP", 0, "eu", soon)]);
    expect(result.certificateAlerts).toMatchObject([{ expiresAt: soon, daysLeft: 5 }]);
    expect(
      plan([check("UP", 0, "eu", soon)], { site: { tlsAlertedExpiry: new Date(soon) } }).certificateAlerts,
    ).toEqual([]);
    const later = new Date(T0 + 60 * 86_400_000).toISOString();
    expect(plan([check("UP", 0, "eu", later)]).certificateAlerts).toEqual([]);
    // A TLS certificate monitor's own threshold opens an incident instead: no second alert.
    expect(plan([check("UP", 0, "eu", soon)], { site: { type: "TLS" } }).certificateAlerts).toEqual([]);
  });
});
