/**
 * The process's Prometheus metrics (prom-client), served at /metrics by the web server
 * and, with METRICS_PORT, by a standalone runner. Every name starts `better_uptime_`;
 * the process and event-loop metrics are prom-client's defaults under their usual names
 * (process_*, nodejs_*), so stock Node.js dashboards work too.
 *
 * Counters and histograms are moved where things happen (the scheduler, the writer, the
 * outbox sender). Gauges are read when scraped: from the running parts that registered
 * themselves (a process may hold several runners, in tests), and from the database for
 * what only it knows (open incidents, the outbox backlog) — instance-wide figures with
 * no tenant's names in them.
 */
import client from "prom-client";
import type { DatabaseReading } from "../db/queries/health.ts";

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

const registers = [registry];

export const checksTotal = new client.Counter({
  name: "better_uptime_checks_total",
  help: "Checks finished, by monitor type and result (up, down, or error: the runner could not check).",
  labelNames: ["type", "result"] as const,
  registers,
});

export const checkDurationSeconds = new client.Histogram({
  name: "better_uptime_check_duration_seconds",
  help: "How long a check took (its response time), by monitor type.",
  labelNames: ["type"] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers,
});

export const scheduleLagSeconds = new client.Histogram({
  name: "better_uptime_schedule_lag_seconds",
  help: "How late a check started after it was due.",
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers,
});

export const writerBatchSize = new client.Histogram({
  name: "better_uptime_result_writer_batch_size",
  help: "Results stored per transaction by the result writer.",
  buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500],
  registers,
});

export const resultsWrittenTotal = new client.Counter({
  name: "better_uptime_results_written_total",
  help: "Check results stored.",
  registers,
});

export const resultsDroppedTotal = new client.Counter({
  name: "better_uptime_results_dropped_total",
  help: "Check results given up (the queue overflowed while the database was away, or PostgreSQL refused the row).",
  registers,
});

export const alertDeliveriesTotal = new client.Counter({
  name: "better_uptime_alert_deliveries_total",
  help: "Alert delivery attempts, by channel type (or subscriber) and outcome (sent, retry, failed: given up).",
  labelNames: ["channel_type", "outcome"] as const,
  registers,
});

/** What a running part of this process reports when scraped; parts' figures add up. */
export interface RuntimeReading {
  /** Checks started and not yet finished. */
  checksRunning?: number;
  /** Checks claimed and handed to a thread, waiting for their due time. */
  checksWaiting?: number;
  writerQueue?: number;
  liveStreamClients?: number;
}

const runtimeSources = new Set<() => RuntimeReading>();

/** A running part (a runner, the live-update hub) reports its gauges; call the result to stop. */
export function addRuntimeSource(read: () => RuntimeReading): () => void {
  runtimeSources.add(read);
  return () => runtimeSources.delete(read);
}

function runtimeGauge(name: string, help: string, field: keyof RuntimeReading): void {
  new client.Gauge({
    name,
    help,
    registers,
    collect() {
      let sum = 0;
      for (const read of runtimeSources) sum += read()[field] ?? 0;
      this.set(sum);
    },
  });
}

runtimeGauge("better_uptime_checks_in_flight", "Checks running now.", "checksRunning");
runtimeGauge(
  "better_uptime_check_pool_queue_depth",
  "Checks handed to the check threads that wait for their due time.",
  "checksWaiting",
);
runtimeGauge("better_uptime_result_writer_queue", "Results waiting to be stored.", "writerQueue");
runtimeGauge("better_uptime_live_stream_clients", "Open live dashboard streams.", "liveStreamClients");

/** What only the database knows, instance-wide: the row of core/db/queries/health.ts. */
export type { DatabaseReading };

let databaseSource: (() => Promise<DatabaseReading>) | undefined;
let lastReading: { at: number; reading: Promise<DatabaseReading | null> } | undefined;
/** Scrapes within this window share one read (several Prometheus servers, or three gauges). */
const DATABASE_READING_TTL_MS = 5_000;

/** The database figures come from `read` (the latest registered wins: they all read the same database). */
export function setDatabaseSource(read: (() => Promise<DatabaseReading>) | undefined): void {
  databaseSource = read;
  lastReading = undefined;
}

/** The database's figures, or null when it cannot be read now (the gauges then keep their last values). */
function readDatabase(): Promise<DatabaseReading | null> {
  const source = databaseSource;
  if (!source) return Promise.resolve(null);
  const now = Date.now();
  if (!lastReading || now - lastReading.at > DATABASE_READING_TTL_MS) {
    lastReading = { at: now, reading: source().catch(() => null) };
  }
  return lastReading.reading;
}

new client.Gauge({
  name: "better_uptime_open_incidents",
  help: "Incidents open now, across the instance.",
  registers,
  async collect() {
    const reading = await readDatabase();
    if (reading) this.set(reading.openIncidents);
  },
});

new client.Gauge({
  name: "better_uptime_outbox_deliveries",
  help: "Alert deliveries in the outbox by status: PENDING is the backlog, FAILED those given up.",
  labelNames: ["status"] as const,
  registers,
  async collect() {
    const reading = await readDatabase();
    if (!reading) return;
    for (const status of ["PENDING", "FAILED"]) this.set({ status }, 0);
    for (const { status, count } of reading.deliveries) this.set({ status }, count);
  },
});

new client.Gauge({
  name: "better_uptime_outbox_oldest_pending_age_seconds",
  help: "Age of the oldest alert delivery not yet sent (0 when none).",
  registers,
  async collect() {
    const reading = await readDatabase();
    if (reading) this.set(reading.oldestPendingSeconds);
  },
});
