/**
 * npm run bench:push — heartbeat pings against the built app on 127.0.0.1: BENCH_MONITORS
 * heartbeat monitors (2,000), pinged at BENCH_RATE pings a second in total (1,000) for
 * BENCH_SECONDS (20), open loop (each ping is sent at its time whether or not earlier
 * ones have answered, so a slow server shows as latency, not as a lower rate). Prints the
 * latency percentiles, the answers by status, and the app's and PostgreSQL's CPU.
 * A tenth of the pings report a failure (?status=down), so the path that makes a monitor
 * due at once is measured too. docs/benchmarks.md keeps the results.
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { Agent, request } from "undici";
import { applyMigrations } from "../../core/ops/migrate.ts";
import { newPushToken } from "../../app/server/services/monitors/monitor-types.server.ts";
import { startApp } from "../../tests/support/app-process.ts";
import { closedPort } from "../../tests/support/ports.ts";
import { startTestServer } from "../../tests/support/test-database.ts";
import { cpuBetween, cpuSnapshot } from "./proc-cpu.ts";
import { printMachine, printTable, percentile } from "./shared.ts";

const MONITORS = Number(process.env.BENCH_MONITORS ?? 2_000);
const RATE = Number(process.env.BENCH_RATE ?? 1_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const FAILING_SHARE = 0.1;

async function seed(pool: pg.Pool): Promise<string[]> {
  await pool.query(
    `INSERT INTO "User" (id, email, "emailVerified", "updatedAt") VALUES ('bench', 'bench@example.test', true, now())`,
  );
  const tokens = Array.from({ length: MONITORS }, () => newPushToken());
  await pool.query(
    `INSERT INTO "Website" (id, "userId", type, url, name, "intervalSeconds", "pushToken", status, "updatedAt")
     SELECT 'hb' || i, 'bench', 'HEARTBEAT', 'heartbeat', 'Job ' || i, 60, t, 'UP', now()
     FROM unnest($1::text[]) WITH ORDINALITY AS x(t, i)`,
    [tokens],
  );
  await pool.query(
    `INSERT INTO "MonitorSchedule" ("websiteId", region, "nextCheckAt")
     SELECT id, 'default', now() + interval '1 hour' FROM "Website"`,
  );
  return tokens;
}

/** Sends `rate` pings a second for `seconds`, each at its own time; resolves with every latency and status. */
async function pingOpenLoop(baseUrl: string, tokens: string[], rate: number, seconds: number) {
  const agent = new Agent({ connections: 256, pipelining: 1, keepAliveTimeout: 30_000 });
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const total = rate * seconds;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const token = tokens[i % tokens.length]!;
    const failing = i % Math.round(1 / FAILING_SHARE) === 0;
    inFlight.push(
      request(`${baseUrl}/api/push/${token}${failing ? "?status=down&msg=bench" : ""}`, {
        dispatcher: agent,
        method: i % 2 === 0 ? "GET" : "POST",
      }).then(
        async (response) => {
          await response.body.dump();
          latencies.push(performance.now() - due);
          statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        },
        () => void statuses.set(0, (statuses.get(0) ?? 0) + 1),
      ),
    );
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  await agent.close();
  return { latencies, statuses, achievedRate: total / elapsed, elapsed };
}

const server = await startTestServer();
const database = await server.createDatabase("bu_bench_push");
await applyMigrations(database.url);
const pool = new pg.Pool({ connectionString: database.url, max: 2 });
console.log(
  `bench:push — ${MONITORS} heartbeat monitors, ${RATE} pings/s for ${SECONDS} s, ${os.availableParallelism()} cores`,
);
const tokens = await seed(pool);
const app = await startApp(
  { DATABASE_URL: database.url, RUNNER_ENABLED: "false", LOG_LEVEL: "warn" },
  await closedPort(),
);
try {
  await pingOpenLoop(app.baseUrl, tokens, Math.min(RATE, 500), 2); // warm-up
  const before = cpuSnapshot(app.child.pid!);
  const run = await pingOpenLoop(app.baseUrl, tokens, RATE, SECONDS);
  const cpu = cpuBetween(before, cpuSnapshot(app.child.pid!));
  const stored = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "HeartbeatPing"`)).rows[0]!.n);
  const ok = run.statuses.get(200) ?? 0;
  const rows: [string, string][] = [
    [
      "pings sent (open loop)",
      `${run.latencies.length + (run.statuses.get(0) ?? 0)} at ${run.achievedRate.toFixed(0)}/s`,
    ],
    ["answers by status", [...run.statuses].map(([status, n]) => `${status || "error"}: ${n}`).join(", ")],
    ["pings stored (warm-up included)", String(stored)],
    [
      "latency p50 / p90 / p99 / max (ms)",
      [50, 90, 99, 100].map((p) => percentile(run.latencies, p).toFixed(1)).join(" / "),
    ],
    ["app CPU (ms per s)", (cpu.targetMs / run.elapsed).toFixed(0)],
    ["PostgreSQL CPU (ms per s)", (cpu.postgresMs / run.elapsed).toFixed(0)],
    ["app CPU per ping (ms)", (cpu.targetMs / Math.max(1, ok)).toFixed(3)],
  ];
  printTable(rows);
  await printMachine(pool);
  console.log(
    `BENCH ${JSON.stringify({
      bench: "push",
      monitors: MONITORS,
      rate_per_s: RATE,
      achieved_per_s: run.achievedRate,
      ok,
      non_200: run.latencies.length - ok + (run.statuses.get(0) ?? 0),
      p50_ms: percentile(run.latencies, 50),
      p99_ms: percentile(run.latencies, 99),
      max_ms: percentile(run.latencies, 100),
      app_cpu_ms_per_s: cpu.targetMs / run.elapsed,
      postgres_cpu_ms_per_s: cpu.postgresMs / run.elapsed,
    })}`,
  );
} finally {
  await app.stop();
  await pool.end();
  await database.drop();
  await server.stop();
}
