/**
 * npm run bench:dns-stall — what DNS that never answers costs everyone else. One tenant's
 * BENCH_STALLED (200) monitors, every 2 s, name hosts whose DNS server (a silent one on
 * 127.0.0.1) never answers; another tenant's monitor checks a local target every second.
 * Once the lookups hang, for BENCH_SECONDS (10): the healthy monitor's schedule lag
 * (check start − due time) and the time a login's password check takes (scrypt on
 * libuv's threads, which getaddrinfo would block). tests/integration/dns-stall.test.ts
 * proves the outcomes (the healthy one stays UP, the stalled ones fail as DNS errors);
 * this measures the timings the test must not assert. docs/benchmarks.md keeps results.
 */
import dgram from "node:dgram";
import { once } from "node:events";
import os from "node:os";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { hashPassword, verifyPassword } from "../../app/server/services/crypto.server.ts";
import { applyMigrations } from "../../core/ops/migrate.ts";
import { createDb } from "../../core/db/client.ts";
import { readChecks } from "../../core/db/check-results.ts";
import { createLogger } from "../../core/logger.ts";
import { startRunner } from "../../workers/engine/runner.ts";
import { startTargetServer } from "../../tests/support/target-server.ts";
import { startTestServer } from "../../tests/support/test-database.ts";
import { printMachine, printTable, percentile } from "./shared.ts";

const STALLED = Number(process.env.BENCH_STALLED ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const REGION = "bench";

const server = await startTestServer();
const database = await server.createDatabase("bu_bench");
await applyMigrations(database.url);
const pool = new pg.Pool({ connectionString: database.url, max: 2 });
const db = createDb(database.url);
const target = await startTargetServer();
const silentDns = dgram.createSocket("udp4");
let queries = 0;
silentDns.on("message", () => (queries += 1)); // and never answers
silentDns.bind(0, "127.0.0.1");
await once(silentDns, "listening");
console.log(`bench:dns-stall — ${STALLED} monitors whose DNS never answers, ${os.availableParallelism()} cores`);

const runner = startRunner({
  databaseUrl: database.url,
  region: REGION,
  logger: createLogger("silent"),
  concurrency: 500,
  threads: 1,
  allowedNetworks: "127.0.0.0/8",
  dnsServers: `127.0.0.1:${silentDns.address().port}`,
  maxBodyBytes: 1024 * 1024,
  retentionDays: 30,
  queueLimit: 100_000,
  pollIntervalMs: 200,
  alerts: { appUrl: "http://127.0.0.1:3000", mailFrom: "bench@example.test", tlsExpiryDays: 14, retryMaxMs: 5_000 },
});
try {
  await pool.query(
    `INSERT INTO "User" (id, email, "updatedAt") VALUES ('stalling', 'stalling@example.test', now()), ('other', 'other@example.test', now())`,
  );
  await pool.query(
    `INSERT INTO "Website" (id, "userId", url, name, "intervalSeconds", "timeoutMs", regions, "phaseMs", "updatedAt")
     SELECT 'stall-' || i, 'stalling', 'http://stall-' || i || '.example.test:' || $1 || '/never', 'stall ' || i, 2, 800,
            ARRAY[$2], (i * 2000 / $3)::int, now()
     FROM generate_series(1, $3::int) AS i
     UNION ALL SELECT 'healthy', 'other', 'http://localhost:' || $1 || '/ok/dns-healthy', 'healthy', 1, 800, ARRAY[$2], 0, now()`,
    [target.port, REGION, STALLED],
  );
  await pool.query(
    `INSERT INTO "MonitorSchedule" ("websiteId", region, "nextCheckAt") SELECT id, $1, now() FROM "Website"`,
    [REGION],
  );
  const hangingBy = performance.now() + 60_000;
  while (queries < STALLED) {
    if (performance.now() > hangingBy) throw new Error(`only ${queries} lookups sent in 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const passwordHash = await hashPassword("correct horse battery");
  const windowStart = new Date();
  const logins: number[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  while (performance.now() < deadline) {
    const started = performance.now();
    await verifyPassword(passwordHash, "correct horse battery", console);
    logins.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const checks = (await readChecks(db, "healthy", { order: "asc" })).filter((c) => c.scheduledAt >= windowStart);
  const lags = checks.map((c) => c.checkedAt.getTime() - c.scheduledAt.getTime());
  const up = checks.filter((c) => c.status === "UP").length;
  printTable([
    ["stalled monitors (DNS never answers)", String(STALLED)],
    ["healthy monitor: checks in the window / UP", `${checks.length} / ${up}`],
    ["healthy monitor: schedule lag p50 / p99 (ms)", `${percentile(lags, 50)} / ${percentile(lags, 99)}`],
    [
      "login password check p50 / max (ms)",
      `${Math.round(percentile(logins, 50))} / ${Math.round(Math.max(...logins))}`,
    ],
  ]);
  await printMachine(pool);
  console.log(
    `BENCH ${JSON.stringify({
      bench: "dns-stall",
      stalled_monitors: STALLED,
      seconds: SECONDS,
      healthy_checks: checks.length,
      healthy_up: up,
      lag_p50_ms: percentile(lags, 50),
      lag_p99_ms: percentile(lags, 99),
      login_p50_ms: Math.round(percentile(logins, 50)),
      login_max_ms: Math.round(Math.max(...logins)),
    })}`,
  );
} finally {
  await runner.stop();
  await target.stop();
  await new Promise<void>((resolve) => silentDns.close(() => resolve()));
  await db.$disconnect();
  await pool.end();
  await database.drop();
  await server.stop();
}
