/**
 * Watching the watcher: a runner whose database connection hangs (no error, just
 * silence) turns /healthz 503 within HEALTH_STALL_SECONDS, says why in the JSON and the
 * log, stops its heartbeat pings, and all of that comes back when the connection does.
 */
import { expect, test } from "@playwright/test";
import { createDb } from "../../core/db/client.ts";
import { applyMigrations } from "../../core/ops/migrate.ts";
import { startApp } from "../support/app-process.ts";
import { createFastMonitors, eventually } from "../support/engine.ts";
import { createUser } from "../support/factories.ts";
import { closedPort } from "../support/ports.ts";
import { startReceiver } from "../support/receiver.ts";
import { startTargetServer } from "../support/target-server.ts";
import { startTcpProxy } from "../support/tcp-proxy.ts";
import { startTestServer } from "../support/test-database.ts";

test.setTimeout(120_000);

interface HealthBody {
  status: string;
  runner: { stalled: string | null; lastClaimSecondsAgo: number } | null;
}

test("a runner whose database connection hangs turns /healthz 503 once stuck past its bound, and 200 when it recovers", async () => {
  const server = await startTestServer();
  const database = await server.createDatabase("bu_watchdog");
  await applyMigrations(database.url);
  const target = await startTargetServer();
  const heartbeat = await startReceiver();
  const db = createDb(database.url);
  const user = await createUser(db);
  await createFastMonitors(db, user.id, [target.url("/ok/watched")], { intervalSeconds: 1, region: "default" });
  await db.$disconnect();

  const url = new URL(database.url);
  const proxy = await startTcpProxy(Number(url.port));
  url.port = String(proxy.port);
  const app = await startApp(
    {
      DATABASE_URL: url.toString(),
      ALLOWED_TARGET_NETWORKS: "127.0.0.0/8",
      LOG_LEVEL: "info",
      HEALTH_STALL_SECONDS: "5",
      HEARTBEAT_URL: heartbeat.url("/ping/better-uptime"),
      HEARTBEAT_INTERVAL_SECONDS: "1",
    },
    await closedPort(),
  );
  const health = async () => {
    const response = await fetch(`${app.baseUrl}/healthz`);
    return { code: response.status, body: (await response.json()) as HealthBody };
  };
  try {
    await eventually("checks running", () => Promise.resolve(target.hits() >= 2));
    const healthy = await health();
    expect(healthy.code).toBe(200);
    expect(healthy.body.runner?.stalled).toBeNull();
    await eventually("heartbeats", () => Promise.resolve(heartbeat.received.length >= 2));

    proxy.pause();
    const stalled = await eventually(
      "runner reported stuck",
      async () => {
        const answer = await health();
        return answer.code === 503 && answer.body.runner?.stalled ? answer : null;
      },
      30_000,
    );
    // Whichever of its loops (claiming checks, writing results, claiming alerts) noticed first.
    expect(stalled.body.runner?.stalled).toMatch(
      /^(no checks claimed|no alerts claimed|\d+ results unwritten) for \d+ s$/,
    );
    await eventually("the log line", () => Promise.resolve(app.output().includes("the runner is stuck (")));
    const pingsWhileStuck = heartbeat.received.length;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(heartbeat.received.length).toBe(pingsWhileStuck);

    proxy.resume();
    await eventually("healthy again", async () => (await health()).code === 200, 30_000);
    expect((await health()).body.runner?.stalled).toBeNull();
    await eventually("heartbeats again", () => Promise.resolve(heartbeat.received.length > pingsWhileStuck), 10_000);
  } finally {
    proxy.resume();
    expect(await app.stop()).toBe(0);
    await Promise.all([proxy.stop(), target.stop(), heartbeat.stop()]);
    await database.drop();
    await server.stop();
  }
});
