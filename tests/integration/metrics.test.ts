/**
 * /metrics of a standalone runner (`npm run runner` with METRICS_PORT): parsed by a
 * Prometheus text-format parser, its counters move as checks run and alerts are sent,
 * and METRICS_TOKEN keeps it from anyone without the token.
 */
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { testDb } from "../support/db.ts";
import { createFastMonitor, eventually, exited, spawnRunner, uniqueRegion } from "../support/engine.ts";
import { createUser } from "../support/factories.ts";
import { closedPort } from "../support/ports.ts";
import { metricValue, parseMetrics, type MetricFamily } from "../support/prometheus.ts";
import { startReceiver, type Receiver } from "../support/receiver.ts";
import { startTargetServer, type TargetServer } from "../support/target-server.ts";

const db = testDb();
const TOKEN = "metrics-token-for-the-test-0123456789";
let target: TargetServer;
let receiver: Receiver;
let runner: ChildProcess;
let metricsUrl: string;

beforeAll(async () => {
  [target, receiver] = await Promise.all([startTargetServer(), startReceiver()]);
  const user = await createUser(db);
  const region = uniqueRegion();
  await createFastMonitor(db, user.id, { url: target.url(`/status/200?${region}`), regions: [region] });
  const failing = await createFastMonitor(db, user.id, { url: target.url(`/status/503?${region}`), regions: [region] });
  const channel = await db.notificationChannel.create({
    data: {
      userId: user.id,
      type: "WEBHOOK",
      name: "Hook",
      target: receiver.url(`/hook/${region}`),
      confirmedAt: new Date(),
    },
  });
  await db.monitorChannel.create({ data: { monitorId: failing.id, channelId: channel.id } });
  const port = await closedPort();
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  runner = spawnRunner({
    DATABASE_URL: inject("databaseUrl"),
    REGION: region,
    ALLOWED_TARGET_NETWORKS: "127.0.0.0/8",
    METRICS_PORT: String(port),
    METRICS_TOKEN: TOKEN,
  });
});

afterAll(async () => {
  runner.kill("SIGTERM");
  await exited(runner);
  await Promise.all([target.stop(), receiver.stop()]);
  await db.$disconnect();
});

async function scrape(): Promise<MetricFamily[] | null> {
  const response = await fetch(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } }).catch(() => null);
  if (!response?.ok) return null;
  expect(response.headers.get("content-type")).toContain("text/plain; version=0.0.4");
  return parseMetrics(await response.text());
}

describe("/metrics", () => {
  it("counts checks by type and result, and alerts by channel and outcome, as they happen", async () => {
    const before = await eventually("the metrics server", scrape);
    const checksBefore = metricValue(before, "better_uptime_checks_total", { type: "HTTP" });

    const after = await eventually(
      "checks up and down, and a webhook alert sent",
      async () => {
        const families = await scrape();
        if (!families) return null;
        const moved =
          metricValue(families, "better_uptime_checks_total", { type: "HTTP", result: "up" }) >= 2 &&
          metricValue(families, "better_uptime_checks_total", { type: "HTTP", result: "down" }) >= 2 &&
          metricValue(families, "better_uptime_alert_deliveries_total", { channel_type: "webhook", outcome: "sent" }) >=
            1 &&
          metricValue(families, "better_uptime_results_written_total") >= 4 &&
          // The failing monitor's incident is open (read from the database, every 5 s at most).
          metricValue(families, "better_uptime_open_incidents") >= 1;
        return moved ? families : null;
      },
      30_000,
    );
    expect(metricValue(after, "better_uptime_checks_total", { type: "HTTP" })).toBeGreaterThan(checksBefore);
    expect(receiver.received.length).toBeGreaterThanOrEqual(1);

    const family = (name: string) => after.find((candidate) => candidate.name === name);
    expect(family("better_uptime_check_duration_seconds")?.type).toBe("HISTOGRAM");
    expect(metricValue(after, "better_uptime_check_duration_seconds")).toBeGreaterThanOrEqual(4);
    expect(metricValue(after, "better_uptime_schedule_lag_seconds")).toBeGreaterThanOrEqual(4);
    expect(metricValue(after, "better_uptime_result_writer_batch_size")).toBeGreaterThanOrEqual(1);
    expect(
      family("better_uptime_outbox_deliveries")
        ?.metrics.map((sample) => sample.labels?.status)
        .sort(),
    ).toEqual(["FAILED", "PENDING"]);
    for (const name of [
      "better_uptime_outbox_oldest_pending_age_seconds",
      "better_uptime_checks_in_flight",
      "better_uptime_check_pool_queue_depth",
      "better_uptime_result_writer_queue",
      "process_cpu_user_seconds_total",
      "nodejs_eventloop_lag_seconds",
    ]) {
      expect(family(name), name).toBeDefined();
    }
  });

  it("answers 401 without METRICS_TOKEN, or with another token", async () => {
    await eventually("the metrics server", scrape);
    const anonymous = await fetch(metricsUrl);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain("better_uptime_");
    const wrong = await fetch(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
  });
});
