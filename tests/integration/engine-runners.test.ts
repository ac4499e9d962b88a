/**
 * Runners sharing the work through PostgreSQL: no double checks, failover after SIGKILL,
 * regional quorum, clean SIGTERM, and a crashed worker thread that is not an outage.
 */
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import type { Runner } from "../../workers/engine/runner.ts";
import { testDb } from "../support/db.ts";
import {
  createFastMonitor,
  eventually,
  exited,
  sleep,
  spawnRunner,
  startTestRunner,
  uniqueRegion,
} from "../support/engine.ts";
import { createUser } from "../support/factories.ts";
import { startTargetServer, type TargetServer } from "../support/target-server.ts";
import { repoRoot } from "../support/test-database.ts";
import { checksOf, countChecks } from "../support/stored-results.ts";

const db = testDb();
let target: TargetServer;
let userId: string;
const runners: Runner[] = [];
const children: ReturnType<typeof spawnRunner>[] = [];

beforeAll(async () => {
  target = await startTargetServer();
  userId = (await createUser(db)).id;
});
afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.stop()));
  for (const child of children.splice(0)) {
    child.kill("SIGKILL");
    await exited(child);
  }
});
afterAll(async () => {
  await target.stop();
  await db.$disconnect();
});

function runnerEnv(region: string, extra: Record<string, string> = {}) {
  return { DATABASE_URL: inject("databaseUrl"), REGION: region, ALLOWED_TARGET_NETWORKS: "127.0.0.0/8", ...extra };
}

describe("two runners in one region", () => {
  it("check every monitor once per interval, never twice, and one takes over when the other is killed", async () => {
    const region = uniqueRegion();
    const monitors = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        createFastMonitor(db, userId, { url: target.url(`/ok/${region}-${i}`), regions: [region], intervalSeconds: 2 }),
      ),
    );
    const paths = monitors.map((_, i) => `/ok/${region}-${i}`);
    const a = spawnRunner(runnerEnv(region));
    const b = spawnRunner(runnerEnv(region));
    children.push(a, b);

    await eventually("every monitor checked", () => Promise.resolve(paths.every((p) => target.hits(p) > 0)), 30_000);
    const start = paths.map((p) => target.hits(p));
    const startedAt = Date.now();
    await sleep(8_000); // four intervals
    const counts = paths.map((p, i) => target.hits(p) - start[i]!);
    // The slots in the window as it really lasted (a loaded machine wakes the test late), ±1 at its edges.
    const slots = (Date.now() - startedAt) / 2_000;
    for (const count of counts) {
      expect(count).toBeGreaterThanOrEqual(Math.floor(slots) - 1);
      expect(count).toBeLessThanOrEqual(Math.ceil(slots) + 1);
    }
    // Never twice for one slot: every stored check of a monitor has its own due time.
    for (const monitor of monitors) {
      const slots = (await checksOf(db, monitor.id)).map((r) => r.scheduledAt.getTime());
      expect(new Set(slots).size).toBe(slots.length);
    }

    a.kill("SIGKILL");
    await exited(a);
    const afterKill = paths.map((p) => target.hits(p));
    await sleep(5_000); // an interval and change
    for (const [i, p] of paths.entries()) expect(target.hits(p), p).toBeGreaterThan(afterKill[i]!);
  }, 90_000);
});

describe("regions and quorum", () => {
  it("opens no incident when one region alone fails, and one when both do", async () => {
    const eu = uniqueRegion();
    const us = uniqueRegion();
    target.setHealthy(true);
    const monitor = await createFastMonitor(db, userId, {
      url: target.url("/flappy"),
      regions: [eu, us],
      downQuorum: 2,
    });
    // The "us" runner cannot reach loopback (its policy refuses it): that region sees the target down.
    runners.push(startTestRunner(inject("databaseUrl"), { region: eu }));
    runners.push(startTestRunner(inject("databaseUrl"), { region: us, allowedNetworks: "" }));

    await eventually("us region DOWN", async () =>
      (await db.monitorSchedule.findFirst({ where: { monitorId: monitor.id, region: us, status: "DOWN" } }))
        ? true
        : null,
    );
    await eventually("eu region UP", async () =>
      (await db.monitorSchedule.findFirst({ where: { monitorId: monitor.id, region: eu, status: "UP" } }))
        ? true
        : null,
    );
    await sleep(2_000);
    expect((await db.monitor.findUniqueOrThrow({ where: { id: monitor.id } })).status).toBe("UP");
    expect(await db.incident.count({ where: { monitorId: monitor.id } })).toBe(0);

    target.setHealthy(false);
    await eventually(
      "monitor DOWN",
      async () => (await db.monitor.findUniqueOrThrow({ where: { id: monitor.id } })).status === "DOWN",
    );
    await sleep(2_000);
    const incidents = await db.incident.findMany({ where: { monitorId: monitor.id } });
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.regions.sort()).toEqual([eu, us].sort());
    target.setHealthy(true);
  }, 60_000);
});

describe("faults", () => {
  it("SIGTERM finishes the checks in flight, writes their results and exits 0", async () => {
    const region = uniqueRegion();
    const monitor = await createFastMonitor(db, userId, {
      url: target.url(`/slow/1500?${region}`),
      regions: [region],
      intervalSeconds: 10,
      timeoutMs: 5_000,
    });
    const child = spawnRunner(runnerEnv(region));
    children.push(child);
    await eventually("a check in flight", () => Promise.resolve(target.hits("/slow/1500") > 0 || null));
    const hitsAtStop = target.hits("/slow/1500");
    child.kill("SIGTERM");
    expect(await exited(child)).toBe(0);
    const results = await checksOf(db, monitor.id);
    expect(results.length).toBeGreaterThanOrEqual(1);
    expect(results.at(-1)).toMatchObject({ status: "UP", statusCode: 200 });
    expect(hitsAtStop).toBeGreaterThanOrEqual(1);
  }, 30_000);

  it("a crashed worker thread is replaced; its checks are runner errors, never DOWN", async () => {
    const region = uniqueRegion();
    const crashing = await createFastMonitor(db, userId, { url: target.url(`/ok/crash-${region}`), regions: [region] });
    const healthy = await createFastMonitor(db, userId, { url: target.url(`/ok/fine-${region}`), regions: [region] });
    runners.push(
      startTestRunner(inject("databaseUrl"), {
        region,
        workerFilename: path.join(repoRoot, "tests/fixtures/crashing-check.worker.ts"),
      }),
    );
    await eventually("a runner error", async () =>
      (await countChecks(db, crashing.id, { errorClass: "runner" })) > 0 ? true : null,
    );
    // A new thread takes over: both monitors are checked again, and UP.
    for (const monitor of [crashing, healthy]) {
      await eventually("UP after the crash", async () =>
        (await db.monitor.findUniqueOrThrow({ where: { id: monitor.id } })).status === "UP" &&
        (await countChecks(db, monitor.id, { status: "UP" })) > 0
          ? true
          : null,
      );
    }
    const runnerErrors = (await checksOf(db, crashing.id)).filter((result) => result.errorClass === "runner");
    expect(runnerErrors.every((result) => result.status === null)).toBe(true);
    expect(runnerErrors[0]!.error).toMatch(/check worker failed/);
    expect(await countChecks(db, [crashing.id, healthy.id], { status: "DOWN" })).toBe(0);
    expect(await db.incident.count({ where: { monitorId: { in: [crashing.id, healthy.id] } } })).toBe(0);
  }, 60_000);
});
