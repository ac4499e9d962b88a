/**
 * npm run bench:engine — the monitor engine under load, on this machine, against a local
 * target. Prints a table; docs/benchmarks.md keeps the results.
 *
 *   BENCH_MONITORS (10000)  monitors, all at BENCH_INTERVAL seconds (10): 1,000 checks/s offered
 *   BENCH_WARMUP (15)       seconds before measuring
 *   BENCH_SECONDS (30)      measured window
 *   DATABASE_URL            a server to create a scratch database on (else an embedded one)
 *
 * Phases: (1) a bare undici loop making the same fresh-connection GETs, flat out;
 * (2) steady state: the runner keeps up with the schedule — checks/s, results/s, lag,
 * CPU per check, peak RSS, bytes per stored check; (3) capacity: every monitor made due
 * at once, drained as fast as the runner can — compared with the bare loop.
 */
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { profileThisThread } from "../../workers/engine/thread-profile.ts";
import { Client } from "undici";
import { applyMigrations } from "../../core/ops/migrate.ts";
import { createLogger } from "../../core/logger.ts";
import { startRunner } from "../../workers/engine/runner.ts";
import { startTestServer } from "../../tests/support/test-database.ts";
import { cpuBetween, cpuSnapshot } from "./proc-cpu.ts";
import { printMachine, printTable, percentile } from "./shared.ts";

const MONITORS = Number(process.env.BENCH_MONITORS ?? 10_000);
const INTERVAL_S = Number(process.env.BENCH_INTERVAL ?? 10);
const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 15);
const WINDOW_S = Number(process.env.BENCH_SECONDS ?? 30);
const CONCURRENCY = Number(process.env.RUNNER_CONCURRENCY ?? 2_000);
const REGION = "bench";
const here = path.dirname(fileURLToPath(import.meta.url));

async function startTarget(): Promise<{ url: string; pid: number; stop: () => void }> {
  const child = spawn(process.execPath, [path.join(here, "target.mjs")], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<string>((resolve) =>
    child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim())),
  );
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill("SIGTERM") };
}

const CLOSED = new Error("closed by the bench");
void CLOSED.stack;

/** Fresh connection per GET, `concurrency` at a time, for `seconds`: requests per second. */
async function bareUndiciLoop(url: string, concurrency: number, seconds: number): Promise<number> {
  const origin = new URL(url).origin;
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        // As a check does it: a client per request, closed by us once the answer is read.
        const client = new Client(origin, { pipelining: 1 });
        try {
          const response = await client.request({ path: "/", method: "GET" });
          await response.body.text();
          done += 1;
        } finally {
          await client.destroy(CLOSED);
        }
      }
    }),
  );
  return done / seconds;
}

async function seed(pool: pg.Pool, url: string): Promise<void> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO "User" (id, email, "updatedAt") VALUES ('bench-user', 'bench@example.test', now()) RETURNING id`,
  );
  const userId = rows[0]!.id;
  await pool.query(
    `INSERT INTO "Website" (id, "userId", url, name, "intervalSeconds", "timeoutMs", regions, "phaseMs", "updatedAt")
     SELECT 'bench-' || i, $1, $2 || '/m/' || i, 'bench ' || i, $3::int, 5000, ARRAY[$4], floor(random() * $3::int * 1000)::int, now()
     FROM generate_series(1, $5) AS i`,
    [userId, url, INTERVAL_S, REGION, MONITORS],
  );
  // Due on their own grid point within the next interval, as if they had been running.
  await pool.query(
    `INSERT INTO "MonitorSchedule" ("websiteId", region, "nextCheckAt")
     SELECT id, $1, now() + make_interval(secs => "phaseMs" / 1000.0) FROM "Website" WHERE "userId" = 'bench-user'`,
    [REGION],
  );
}

async function count(pool: pg.Pool): Promise<number> {
  return Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "CheckResult"`)).rows[0]!.n);
}

/** Bytes of the results (and their error texts), every day partition with its indexes. */
async function resultBytes(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ size: string }>(
    `SELECT sum(pg_total_relation_size(i.inhrelid)) AS size FROM pg_inherits i
     WHERE i.inhparent IN ('"CheckResult"'::regclass, '"CheckError"'::regclass)`,
  );
  return Number(rows[0]!.size);
}

/** What housekeeping does once a day is over: each partition's primary key rebuilt full. */
async function compactAllDays(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ index: string }>(
    `SELECT c.relname AS index FROM pg_inherits h JOIN pg_index x ON x.indrelid = h.inhrelid AND x.indisprimary
     JOIN pg_class c ON c.oid = x.indexrelid WHERE h.inhparent = '"CheckResult"'::regclass`,
  );
  for (const { index } of rows) {
    await pool.query(`ALTER INDEX "${index}" SET (fillfactor = 100)`);
    await pool.query(`REINDEX INDEX "${index}"`);
  }
}

const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : "n/a");

const server = await startTestServer();
const database = await server.createDatabase("bu_bench");
await applyMigrations(database.url);
const pool = new pg.Pool({ connectionString: database.url, max: 2 });
const target = await startTarget();
console.log(
  `bench:engine — ${MONITORS} monitors every ${INTERVAL_S} s (${fmt(MONITORS / INTERVAL_S)} checks/s offered), ${os.availableParallelism()} cores`,
);

try {
  const measureCapacity = process.env.BENCH_CAPACITY !== "0";
  let bare = Number.NaN;
  let bareCpuMs = Number.NaN;
  if (measureCapacity) {
    console.log("phase 1: bare undici loop (10 s)…");
    const cpu = process.cpuUsage();
    bare = await bareUndiciLoop(target.url, 256, 10);
    const used = process.cpuUsage(cpu);
    bareCpuMs = (used.user + used.system) / 1000 / (bare * 10);
  }

  await seed(pool, target.url);
  // The empty day partitions' own pages (about 16 KiB each, whatever they hold): not per check.
  const emptyBytes = await resultBytes(pool);
  const runner = startRunner({
    databaseUrl: database.url,
    region: REGION,
    logger: createLogger(process.env.LOG_LEVEL ?? "warn"),
    concurrency: CONCURRENCY,
    threads: Number(process.env.CHECK_WORKER_THREADS ?? 0),
    allowedNetworks: "127.0.0.0/8",
    maxBodyBytes: 1024 * 1024,
    retentionDays: 30,
    queueLimit: 1_000_000,
    alerts: { appUrl: "http://127.0.0.1:3000", mailFrom: "bench@example.test", tlsExpiryDays: 14, retryMaxMs: 600_000 },
  });
  let peakRss = 0;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);

  console.log(`phase 2: steady state (${WARMUP_S} s warm-up, ${WINDOW_S} s measured)…`);
  profileThisThread("runner");
  await new Promise((resolve) => setTimeout(resolve, WARMUP_S * 1000));
  const before = {
    stats: runner.stats(),
    rows: await count(pool),
    cpu: process.cpuUsage(),
    others: cpuSnapshot(target.pid),
    at: performance.now(),
  };
  await new Promise((resolve) => setTimeout(resolve, WINDOW_S * 1000));
  const after = {
    stats: runner.stats(),
    rows: await count(pool),
    cpu: process.cpuUsage(before.cpu),
    others: cpuBetween(before.others, cpuSnapshot(target.pid)),
    at: performance.now(),
  };
  const seconds = (after.at - before.at) / 1000;
  const checks = after.stats.completed - before.stats.completed;
  const lags = after.stats.lagsMs.slice(-(after.stats.completed - before.stats.completed));
  const cpuMs = (after.cpu.user + after.cpu.system) / 1000;
  const perCheck = (ms: number) => ms / Math.max(1, checks);

  // BENCH_CAPACITY=0 skips the bare loop and the capacity phase (bench:profile profiles the steady state).
  let capacity = Number.NaN;
  let drainCpu = { runnerMs: Number.NaN, targetMs: Number.NaN, postgresMs: Number.NaN };
  if (measureCapacity) {
    console.log("phase 3: capacity (every monitor due at once)…");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const drainStart = {
      rows: await count(pool),
      at: performance.now(),
      cpu: process.cpuUsage(),
      others: cpuSnapshot(target.pid),
    };
    // Monitors locked first, in id order, as the result writer locks them (no deadlock).
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(`SELECT id FROM "Website" WHERE "userId" = 'bench-user' ORDER BY id FOR UPDATE`);
      await client.query(
        `UPDATE "MonitorSchedule" SET "nextCheckAt" = now(), "leaseUntil" = NULL, "leasedSlot" = NULL WHERE region = $1`,
        [REGION],
      );
      await client.query("COMMIT");
    } finally {
      client.release();
    }
    // The steady schedule keeps adding its own checks meanwhile; count until N extra are stored.
    let drained = 0;
    while (drained < MONITORS && performance.now() - drainStart.at < 120_000) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      drained = (await count(pool)) - drainStart.rows;
    }
    const drainSeconds = (performance.now() - drainStart.at) / 1000;
    capacity = drained / drainSeconds;
    const runnerCpu = process.cpuUsage(drainStart.cpu);
    const others = cpuBetween(drainStart.others, cpuSnapshot(target.pid));
    // Per check stored while draining (the steady schedule's own checks included).
    const storedWhileDraining = (await count(pool)) - drainStart.rows;
    drainCpu = {
      runnerMs: (runnerCpu.user + runnerCpu.system) / 1000 / storedWhileDraining,
      targetMs: others.targetMs / storedWhileDraining,
      postgresMs: others.postgresMs / storedWhileDraining,
    };
  }

  clearInterval(rssTimer);
  await runner.stop();
  // Bytes per stored check: as today's partition grows, and once its day is compacted.
  const stored = await count(pool);
  const bytesLive = ((await resultBytes(pool)) - emptyBytes) / Math.max(1, stored);
  await compactAllDays(pool);
  const bytesSettled = ((await resultBytes(pool)) - emptyBytes) / Math.max(1, stored);

  const rows: [string, string][] = [
    ["monitors × interval", `${MONITORS} × ${INTERVAL_S} s`],
    ["offered load (checks/s)", fmt(MONITORS / INTERVAL_S)],
    ["achieved checks/s", fmt(checks / seconds)],
    ["persisted results/s", fmt((after.rows - before.rows) / seconds)],
    ["schedule lag p50 (ms)", fmt(percentile(lags, 50))],
    ["schedule lag p99 (ms)", fmt(percentile(lags, 99))],
    ["CPU ms per check (runner process)", fmt(perCheck(cpuMs), 3)],
    ["CPU ms per check (PostgreSQL)", fmt(perCheck(after.others.postgresMs), 3)],
    ["CPU ms per check (target)", fmt(perCheck(after.others.targetMs), 3)],
    ["peak RSS (MiB)", fmt(peakRss / 1024 / 1024)],
    ["database bytes per stored check (day compacted)", fmt(bytesSettled, 1)],
    ["database bytes per stored check (today, growing)", fmt(bytesLive, 1)],
    ["bare undici loop (req/s, 256 concurrent)", fmt(bare)],
    ["bare loop CPU ms per request (loop process)", fmt(bareCpuMs, 3)],
    ["engine capacity (checks/s, backlog drain)", fmt(capacity)],
    [
      "draining, CPU ms per check: runner / PostgreSQL / target",
      `${fmt(drainCpu.runnerMs, 3)} / ${fmt(drainCpu.postgresMs, 3)} / ${fmt(drainCpu.targetMs, 3)}`,
    ],
    ["capacity ÷ bare loop", fmt(capacity / bare, 2)],
  ];
  printTable(rows);
  await printMachine(pool);
  // One machine-readable line, last, so runs can be compared.
  console.log(
    `BENCH ${JSON.stringify({
      bench: "engine",
      monitors: MONITORS,
      interval_s: INTERVAL_S,
      checks_per_s: checks / seconds,
      persisted_per_s: (after.rows - before.rows) / seconds,
      lag_p50_ms: percentile(lags, 50),
      lag_p99_ms: percentile(lags, 99),
      cpu_ms_per_check: perCheck(cpuMs),
      pg_cpu_ms_per_check: perCheck(after.others.postgresMs),
      target_cpu_ms_per_check: perCheck(after.others.targetMs),
      rss_mib: peakRss / 1024 / 1024,
      bytes_per_check: bytesSettled,
      bytes_per_check_live: bytesLive,
      bare_loop_rps: bare,
      bare_loop_cpu_ms_per_request: bareCpuMs,
      capacity_rps: capacity,
      capacity_ratio: capacity / bare,
      drain_runner_cpu_ms_per_check: drainCpu.runnerMs,
      drain_pg_cpu_ms_per_check: drainCpu.postgresMs,
      drain_target_cpu_ms_per_check: drainCpu.targetMs,
    })}`,
  );
} finally {
  target.stop();
  await pool.end();
  await database.drop();
  await server.stop();
}
