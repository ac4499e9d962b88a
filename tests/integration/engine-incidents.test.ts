/**
 * The engine end to end, against a target the test controls: checks are stored, the
 * monitor's state follows the thresholds, and an outage is exactly one incident.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import type { Runner } from "../../workers/engine/runner.ts";
import { testDb } from "../support/db.ts";
import { createFastMonitor, eventually, startTestRunner, uniqueRegion } from "../support/engine.ts";
import { createUser } from "../support/factories.ts";
import { startTargetServer, type TargetServer } from "../support/target-server.ts";
import { checksOf, countChecks } from "../support/stored-results.ts";

const db = testDb();
let target: TargetServer;
let userId: string;
const runners: Runner[] = [];

beforeAll(async () => {
  target = await startTargetServer();
  userId = (await createUser(db)).id;
});
afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.stop()));
});
afterAll(async () => {
  await target.stop();
  await db.$disconnect();
});

const statusOf = async (id: string) => (await db.monitor.findUniqueOrThrow({ where: { id } })).status;

describe("a target that goes up, down and up again", () => {
  it("yields exactly one incident with its cause, the failing response, start, end and duration", async () => {
    const region = uniqueRegion();
    target.setHealthy(true);
    // A generous timeout: on a loaded machine a slow answer must not count as the outage.
    const monitor = await createFastMonitor(db, userId, {
      url: target.url("/flappy"),
      regions: [region],
      timeoutMs: 5_000,
    });
    runners.push(startTestRunner(inject("databaseUrl"), { region }));

    await eventually("UP", async () => (await statusOf(monitor.id)) === "UP");
    const wentDownAt = Date.now();
    target.setHealthy(false);
    await eventually("DOWN", async () => (await statusOf(monitor.id)) === "DOWN");
    const open = await db.incident.findFirstOrThrow({ where: { monitorId: monitor.id } });
    expect(open).toMatchObject({
      openKey: monitor.id,
      resolvedAt: null,
      cause: "status",
      causeDetail: "HTTP 503, expected 200-299",
    });
    expect(open.startedAt.getTime()).toBeGreaterThanOrEqual(wentDownAt - 50);
    expect(open.snapshot).toMatchObject({
      statusCode: 503,
      headers: { "retry-after": "30" },
      body: "maintenance in progress",
    });
    expect(JSON.stringify(open.snapshot)).not.toContain("session=secret");

    const cameBackAt = Date.now();
    target.setHealthy(true);
    await eventually("UP again", async () => (await statusOf(monitor.id)) === "UP");
    const incidents = await db.incident.findMany({ where: { monitorId: monitor.id } });
    expect(incidents).toHaveLength(1);
    const [incident] = incidents;
    expect(incident!.openKey).toBeNull();
    expect(incident!.resolvedAt!.getTime()).toBeGreaterThanOrEqual(cameBackAt - 50);
    expect(incident!.durationSeconds).toBe(
      Math.round((incident!.resolvedAt!.getTime() - incident!.startedAt.getTime()) / 1000),
    );

    const stored = await db.monitor.findUniqueOrThrow({ where: { id: monitor.id } });
    expect(stored.lastCheckedAt).not.toBeNull();
    expect(stored.lastResponseTimeMs).toEqual(expect.any(Number));
    expect(stored.statusChangedAt.getTime()).toBeGreaterThanOrEqual(cameBackAt - 50);
  });

  it("waits for N failures before DOWN and M successes before UP", async () => {
    const region = uniqueRegion();
    target.setHealthy(true);
    const monitor = await createFastMonitor(db, userId, {
      url: target.url("/flappy"),
      regions: [region],
      failureThreshold: 3,
      recoveryThreshold: 2,
      timeoutMs: 5_000,
    });
    runners.push(startTestRunner(inject("databaseUrl"), { region }));
    await eventually("UP", async () => (await statusOf(monitor.id)) === "UP");

    target.setHealthy(false);
    await eventually("DOWN", async () => (await statusOf(monitor.id)) === "DOWN");
    target.setHealthy(true);
    await eventually("UP again", async () => (await statusOf(monitor.id)) === "UP");
    await runners.splice(0)[0]!.stop();

    // Replay the stored results: DOWN came with the 3rd failure in a row, UP with the 2nd success.
    const results = await checksOf(db, monitor.id);
    const incident = await db.incident.findFirstOrThrow({ where: { monitorId: monitor.id } });
    const beforeDown = results.filter((r) => r.checkedAt <= incident.startedAt);
    expect(beforeDown.slice(-3).map((r) => r.status)).toEqual(["DOWN", "DOWN", "DOWN"]);
    expect(beforeDown.at(-4)?.status).toBe("UP");
    const beforeUp = results.filter((r) => r.checkedAt <= incident.resolvedAt!);
    expect(beforeUp.slice(-2).map((r) => r.status)).toEqual(["UP", "UP"]);
    expect(beforeUp.at(-3)?.status).toBe("DOWN");
  });

  it("keeps hourly and daily rollups in step with the stored results", async () => {
    const region = uniqueRegion();
    const monitor = await createFastMonitor(db, userId, { url: target.url("/ok"), regions: [region] });
    const runner = startTestRunner(inject("databaseUrl"), { region });
    await eventually("3 results", async () => (await countChecks(db, monitor.id)) >= 3);
    await runner.stop();
    const results = await countChecks(db, monitor.id);
    const rollups = await db.checkRollup.findMany({ where: { monitorId: monitor.id } });
    const sum = (period: string) =>
      rollups.filter((r) => r.period === period).reduce((total, r) => total + r.checks, 0);
    expect(sum("DAY")).toBe(results);
    expect(sum("HOUR")).toBe(results);
    const dayRow = rollups.find((r) => r.period === "DAY")!;
    expect(dayRow.histogram.reduce((a, b) => a + b, 0)).toBe(dayRow.responseTimeCount);
  });
});
