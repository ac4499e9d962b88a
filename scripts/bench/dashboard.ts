/**
 * npm run bench:dashboard — the monitor list of one account with 10,000 monitors and 30
 * days of rollups, served by the built app on 127.0.0.1: loader timings (p50, p99) for
 * page 1 and a filtered page, the server-rendered page and its weight. Then live updates:
 * 100 open dashboards (100 other accounts of 100 monitors each, following the event
 * stream) while results are written for their monitors at 1,000 a second — the app's CPU
 * per second with and without them, and the time from a result to its event arriving.
 * docs/benchmarks.md keeps the results.
 *
 *   BENCH_MONITORS (10000), BENCH_DAYS (30), BENCH_REQUESTS (300),
 *   BENCH_DASHBOARDS (100), BENCH_LIVE_SECONDS (20), BENCH_WRITES (1000 results/s)
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";
import pg from "pg";
import { applyMigrations } from "../../core/ops/migrate.ts";
import { sessionCookie } from "../../app/server/auth/session-cookie.server.ts";
import { newToken, sha256 } from "../../app/server/services/crypto.server.ts";
import { startApp } from "../../tests/support/app-process.ts";
import { closedPort } from "../../tests/support/ports.ts";
import { startTestServer } from "../../tests/support/test-database.ts";
import { printMachine, printTable, percentile, seedRollups } from "./shared.ts";
import { cpuMsOf } from "./proc-cpu.ts";
import { createPgPool } from "../../core/db/pg-pool.ts";
import { createLogger } from "../../core/logger.ts";
import { createResultWriter } from "../../workers/results/writer.ts";
import { repoRoot } from "../../tests/support/test-database.ts";

const MONITORS = Number(process.env.BENCH_MONITORS ?? 10_000);
const DASHBOARDS = Number(process.env.BENCH_DASHBOARDS ?? 100);
const LIVE_MONITORS_EACH = 100;
const LIVE_SECONDS = Number(process.env.BENCH_LIVE_SECONDS ?? 20);
const WRITES_PER_SECOND = Number(process.env.BENCH_WRITES ?? 1_000);
const DAYS = Number(process.env.BENCH_DAYS ?? 30);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const SESSION_SECRET = "bench-session-secret-bench-session-secret-0123";

async function seed(pool: pg.Pool): Promise<string> {
  await pool.query(
    `INSERT INTO "User" (id, email, "emailVerified", "updatedAt") VALUES ('bench', 'bench@example.test', true, now())`,
  );
  await pool.query(
    `INSERT INTO "Website" (id, "userId", url, name, status, "lastCheckedAt", "lastResponseTimeMs", "createdAt", "updatedAt")
     SELECT 'm' || i, 'bench', 'https://service-' || i || '.example.test/health', 'Service ' || i,
            (CASE WHEN i % 50 = 0 THEN 'DOWN' ELSE 'UP' END)::"MonitorStatus", now(), 40 + i % 200,
            now() - make_interval(days => $2), now()
     FROM generate_series(1, $1) AS i`,
    [MONITORS, DAYS],
  );
  // Hourly and daily rollups over the whole history, as the writer would have left them.
  await seedRollups(pool, { days: DAYS, checksPerHour: 360, downtimeChance: 0.002, downtimeSeconds: 120 });
  await pool.query(
    `INSERT INTO "Incident" (id, "websiteId", "openKey", cause, regions, "startedAt")
     SELECT 'inc-' || id, id, id, 'status', ARRAY['default'], now() - interval '20 minutes' FROM "Website" WHERE status = 'DOWN'`,
  );
  // The accounts whose dashboards stay open in the live phase: 100 monitors each.
  await pool.query(
    `INSERT INTO "User" (id, email, "emailVerified", "updatedAt")
     SELECT 'live-' || u, 'live-' || u || '@example.test', true, now() FROM generate_series(1, $1) AS u`,
    [DASHBOARDS],
  );
  await pool.query(
    `INSERT INTO "Website" (id, "userId", url, name, status, "createdAt", "updatedAt")
     SELECT 'live-' || u || '-' || i, 'live-' || u, 'https://live-' || i || '.example.test/', 'Live ' || i, 'UP',
            now() - interval '2 days', now()
     FROM generate_series(1, $1) AS u, generate_series(1, $2) AS i`,
    [DASHBOARDS, LIVE_MONITORS_EACH],
  );
  // Each monitor's summary from its rollups, as the migration that introduced them makes it.
  const migration = readFileSync(
    path.join(repoRoot, "prisma/migrations/20261201060000_monitor_summary/migration.sql"),
    "utf8",
  );
  await pool.query(migration.slice(migration.indexOf('INSERT INTO "MonitorSummary"')));
  await pool.query("ANALYZE");
  const token = newToken();
  await pool.query(`INSERT INTO "Session" (id, "userId", "expiresAt") VALUES ($1, 'bench', now() + interval '1 day')`, [
    sha256(token),
  ]);
  return token;
}

/** A session for each live account. */
async function liveSessions(pool: pg.Pool): Promise<string[]> {
  const tokens = Array.from({ length: DASHBOARDS }, () => newToken());
  await pool.query(
    `INSERT INTO "Session" (id, "userId", "expiresAt")
     SELECT t.id, 'live-' || t.n, now() + interval '1 day' FROM unnest($1::text[]) WITH ORDINALITY AS t(id, n)`,
    [tokens.map((token) => sha256(token))],
  );
  return tokens;
}

/** An open dashboard: follows the event stream, noting when each monitor's change arrives. */
function openDashboard(url: string, cookie: string, arrivals: (lastCheckedAt: number, at: number) => void) {
  const controller = new AbortController();
  const done = (async () => {
    const response = await fetch(url, { headers: { cookie, accept: "text/event-stream" }, signal: controller.signal });
    if (!response.ok || !response.body) throw new Error(`event stream: ${response.status}`);
    const decoder = new TextDecoder();
    let buffer = "";
    const reader = response.body.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      buffer += decoder.decode(read.value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^data: (.*)$/m.exec(message)?.[1];
        if (!message.includes("event: monitors") || !data) continue;
        const at = Date.now();
        for (const monitor of (JSON.parse(data) as { monitors: { lastCheckedAt: string | null }[] }).monitors) {
          if (monitor.lastCheckedAt) arrivals(new Date(monitor.lastCheckedAt).getTime(), at);
        }
      }
    }
  })().catch((error: Error) => {
    if (error.name !== "AbortError") throw error;
  });
  return { close: () => controller.abort(), done };
}

/**
 * Results for the live accounts' monitors at `perSecond`, through the real result writer
 * (the same transaction, rollups, summaries and NOTIFY as the engine's), for `seconds`.
 */
async function writeResults(databaseUrl: string, perSecond: number, seconds: number): Promise<number> {
  const writerPool = createPgPool(databaseUrl, 2);
  const writer = createResultWriter({ pool: writerPool, logger: createLogger("warn"), queueLimit: 1_000_000 });
  const ids = Array.from({ length: DASHBOARDS * LIVE_MONITORS_EACH }, (_, i) => {
    return `live-${Math.floor(i / LIVE_MONITORS_EACH) + 1}-${(i % LIVE_MONITORS_EACH) + 1}`;
  });
  let next = 0;
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const tick = Date.now();
    for (let i = 0; i < perSecond / 10; i++) {
      const now = new Date();
      writer.push({
        monitorId: ids[next++ % ids.length]!,
        region: "default",
        scheduledAt: now,
        checkedAt: now,
        leaseUntil: null,
        verdict: {
          status: "UP",
          statusCode: 200,
          responseTimeMs: 80,
          timings: { dnsMs: 1, connectMs: 1, tlsMs: null, ttfbMs: 70, downloadMs: 1 },
          tlsExpiresAt: null,
          errorClass: null,
          error: null,
          snapshot: null,
        },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - (Date.now() - tick))));
  }
  await writer.drain(10_000);
  writer.stop();
  await writerPool.end();
  return next;
}

async function time(
  url: string,
  cookie: string,
  count: number,
): Promise<{ ms: number[]; bytes: number; status: number }> {
  const ms: number[] = [];
  let bytes = 0;
  let status = 0;
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const response = await fetch(url, { headers: { cookie } });
    const body = await response.arrayBuffer();
    ms.push(performance.now() - start);
    bytes = body.byteLength;
    status = response.status;
  }
  return { ms, bytes, status };
}

const server = await startTestServer();
const database = await server.createDatabase("bu_bench_dash");
await applyMigrations(database.url);
const pool = new pg.Pool({ connectionString: database.url, max: 2 });
console.log(`bench:dashboard — ${MONITORS} monitors, ${DAYS} days of rollups, ${os.availableParallelism()} cores`);
const seedStart = performance.now();
const token = await seed(pool);
const rollups = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "CheckRollup"`)).rows[0]!.n);
console.log(
  `seeded ${rollups.toLocaleString("en")} rollup rows in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
);

const app = await startApp(
  { DATABASE_URL: database.url, RUNNER_ENABLED: "false", LOG_LEVEL: "warn", SESSION_SECRET },
  await closedPort(),
);
try {
  const cookie = (await sessionCookie(token, { SESSION_SECRET, NODE_ENV: "production" })).split(";")[0]!;
  await time(`${app.baseUrl}/monitors`, cookie, 20); // warm-up
  const loader = await time(`${app.baseUrl}/monitors.data`, cookie, REQUESTS);
  const filtered = await time(`${app.baseUrl}/monitors.data?status=up&q=service%201&sort=uptime`, cookie, REQUESTS);
  const page = await time(`${app.baseUrl}/monitors`, cookie, Math.round(REQUESTS / 3));
  if (loader.status !== 200 || page.status !== 200 || filtered.status !== 200)
    throw new Error(`unexpected status ${loader.status}/${filtered.status}/${page.status}`);

  // Live: the app's CPU while results are written with no dashboard open, then with them.
  const appPid = app.child.pid!;
  const measureCpu = async (during: Promise<unknown>) => {
    const before = cpuMsOf(appPid);
    const start = performance.now();
    await during;
    return (cpuMsOf(appPid) - before) / ((performance.now() - start) / 1000);
  };
  const quietCpu = await measureCpu(writeResults(database.url, WRITES_PER_SECOND, LIVE_SECONDS / 2));
  const tokens = await liveSessions(pool);
  const latencies: number[] = [];
  const dashboards = await Promise.all(
    tokens.map(async (liveToken) => {
      const liveCookie = (await sessionCookie(liveToken, { SESSION_SECRET, NODE_ENV: "production" })).split(";")[0]!;
      return openDashboard(`${app.baseUrl}/monitors/events`, liveCookie, (checkedAt, at) =>
        latencies.push(at - checkedAt),
      );
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // connected
  const liveCpu = await measureCpu(writeResults(database.url, WRITES_PER_SECOND, LIVE_SECONDS));
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // the last events arrive
  const idleCpu = await measureCpu(new Promise((resolve) => setTimeout(resolve, 5_000)));
  for (const dashboard of dashboards) dashboard.close();
  await Promise.all(dashboards.map((dashboard) => dashboard.done));

  const html = await (await fetch(`${app.baseUrl}/monitors`, { headers: { cookie } })).text();
  const assets = [...html.matchAll(/(?:href|src)="(\/build\/[^"]+\.(?:js|css))"/g)].map((match) => match[1]!);
  let assetBytes = 0;
  let assetGzip = 0;
  for (const asset of new Set(assets)) {
    const body = Buffer.from(await (await fetch(`${app.baseUrl}${asset}`)).arrayBuffer());
    assetBytes += body.length;
    assetGzip += gzipSync(body).length;
  }
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  const rows: [string, string][] = [
    ["monitors × days of rollups", `${MONITORS} × ${DAYS} (${rollups.toLocaleString("en")} rows)`],
    [
      "list loader, page 1: p50 / p99 (ms)",
      `${percentile(loader.ms, 50).toFixed(1)} / ${percentile(loader.ms, 99).toFixed(1)}`,
    ],
    [
      "list loader, filtered + sorted by uptime: p50 / p99 (ms)",
      `${percentile(filtered.ms, 50).toFixed(1)} / ${percentile(filtered.ms, 99).toFixed(1)}`,
    ],
    ["full page (SSR) p50 (ms)", percentile(page.ms, 50).toFixed(1)],
    ["full page (SSR) p99 (ms)", percentile(page.ms, 99).toFixed(1)],
    ["HTML (raw / gzip)", `${kib(html.length)} / ${kib(gzipSync(html).length)}`],
    [`JS + CSS (${new Set(assets).size} files, raw / gzip)`, `${kib(assetBytes)} / ${kib(assetGzip)}`],
    [`app CPU, ${WRITES_PER_SECOND} results/s, no dashboard open (ms/s)`, quietCpu.toFixed(1)],
    [`app CPU, the same with ${DASHBOARDS} dashboards open (ms/s)`, liveCpu.toFixed(1)],
    ["of which live updates (ms/s)", (liveCpu - quietCpu).toFixed(1)],
    [`app CPU, ${DASHBOARDS} dashboards open, nothing changing (ms/s)`, idleCpu.toFixed(1)],
    ["events' rows received", String(latencies.length)],
    [
      "result → its row at a dashboard: p50 / p99 (ms)",
      `${percentile(latencies, 50).toFixed(0)} / ${percentile(latencies, 99).toFixed(0)}`,
    ],
  ];
  printTable(rows);
  await printMachine(pool);
  // One machine-readable line, last, so runs can be compared.
  console.log(
    `BENCH ${JSON.stringify({
      bench: "dashboard",
      monitors: MONITORS,
      days: DAYS,
      loader_p50_ms: percentile(loader.ms, 50),
      loader_p99_ms: percentile(loader.ms, 99),
      filtered_loader_p99_ms: percentile(filtered.ms, 99),
      ssr_p50_ms: percentile(page.ms, 50),
      ssr_p99_ms: percentile(page.ms, 99),
      html_kib: html.length / 1024,
      html_gzip_kib: gzipSync(html).length / 1024,
      dashboards: DASHBOARDS,
      writes_per_s: WRITES_PER_SECOND,
      live_cpu_ms_per_s: liveCpu - quietCpu,
      idle_dashboards_cpu_ms_per_s: idleCpu,
      live_latency_p50_ms: percentile(latencies, 50),
      live_latency_p99_ms: percentile(latencies, 99),
    })}`,
  );
} finally {
  await app.stop();
  await pool.end();
  await database.drop();
  await server.stop();
}
