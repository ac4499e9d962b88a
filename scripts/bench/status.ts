/**
 * npm run bench:status — a public status page with 50 monitors under load. Seeds the
 * monitors with 90 days of history (hourly and daily rollups, incidents with updates),
 * starts the built app on 127.0.0.1 and drives the page, its JSON and a badge with
 * autocannon at 100 connections; then again with 10× the history. Prints p50/p99
 * latency and requests/s per run, and the page's uncached computation time (what a
 * visitor after a cache expiry waits for). docs/benchmarks.md keeps the results.
 *
 *   BENCH_MONITORS (50), BENCH_DAYS (90), BENCH_CONNECTIONS (100), BENCH_SECONDS (10)
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import pg from "pg";
import { createDb } from "../../core/db/client.ts";
import { applyMigrations } from "../../core/ops/migrate.ts";
import { loadPublicStatusPage } from "../../app/server/services/status-pages/public-page.server.ts";
import { startApp } from "../../tests/support/app-process.ts";
import { closedPort } from "../../tests/support/ports.ts";
import { startTestServer, type TestServer } from "../../tests/support/test-database.ts";
import { percentile, seedRollups } from "./shared.ts";

const MONITORS = Number(process.env.BENCH_MONITORS ?? 50);
const DAYS = Number(process.env.BENCH_DAYS ?? 90);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SLUG = "bench";

/** `days` of history for MONITORS monitors on one published page, as the engine leaves it. */
async function seed(pool: pg.Pool, days: number): Promise<void> {
  await pool.query(
    `INSERT INTO "User" (id, email, "emailVerified", "updatedAt") VALUES ('bench', 'bench@example.test', true, now())`,
  );
  await pool.query(
    `INSERT INTO "Website" (id, "userId", url, name, status, "lastCheckedAt", "lastResponseTimeMs", "createdAt", "updatedAt")
     SELECT 'm' || i, 'bench', 'https://service-' || i || '.example.test/health', 'Service ' || i,
            (CASE WHEN i = 7 THEN 'DOWN' ELSE 'UP' END)::"MonitorStatus", now(), 40 + i,
            now() - make_interval(days => $2), now()
     FROM generate_series(1, $1) AS i`,
    [MONITORS, days],
  );
  await pool.query(
    `INSERT INTO "MonitorSchedule" ("websiteId", region, status) SELECT id, 'default', status FROM "Website"`,
  );
  await pool.query(
    `INSERT INTO "StatusPage" (id, "userId", name, slug, description, "isPublished", "updatedAt")
     VALUES ('page', 'bench', 'Bench status', $1, 'Fifty services under load', true, now())`,
    [SLUG],
  );
  await pool.query(
    `INSERT INTO "StatusPageSection" (id, "statusPageId", name, position)
     SELECT 's' || i, 'page', 'Section ' || i, i FROM generate_series(0, 4) AS i`,
  );
  await pool.query(
    `INSERT INTO "StatusPageMonitor" ("statusPageId", "websiteId", "sectionId", position, "displayName")
     SELECT 'page', 'm' || i, 's' || ((i - 1) / 10), i, 'Public service ' || i FROM generate_series(1, $1) AS i`,
    [MONITORS],
  );
  await seedRollups(pool, { days, checksPerHour: 60, downtimeChance: 0.005, downtimeSeconds: 300 });
  // About one incident per monitor every ten days, five minutes long, each with two
  // updates; one monitor has an incident open now.
  await pool.query(
    `INSERT INTO "Incident" (id, "websiteId", cause, regions, "startedAt", "resolvedAt", "durationSeconds")
     SELECT 'i-' || w.id || '-' || d, w.id, 'status', ARRAY['default'], t, t + interval '5 minutes', 300
     FROM "Website" w, generate_series(1, $1) AS d,
          LATERAL (SELECT now() - make_interval(days => d, mins => (random() * 600)::int) AS t) AS at
     WHERE random() < 0.1`,
    [days],
  );
  await pool.query(
    `INSERT INTO "Incident" (id, "websiteId", "openKey", cause, regions, "startedAt")
     VALUES ('open', 'm7', 'm7', 'status', ARRAY['default'], now() - interval '20 minutes')`,
  );
  await pool.query(
    `INSERT INTO "IncidentUpdate" (id, "incidentId", status, message, "createdAt")
     SELECT 'u1-' || id, id, 'IDENTIFIED'::"IncidentUpdateStatus", 'We found the cause and are fixing it.', "startedAt" + interval '1 minute'
     FROM "Incident"
     UNION ALL
     SELECT 'u2-' || id, id, 'RESOLVED'::"IncidentUpdateStatus", 'Fixed; we keep watching.', "resolvedAt" FROM "Incident" WHERE "resolvedAt" IS NOT NULL`,
  );
  // Settled before measuring: no autovacuum of the fresh rows competing for the CPU.
  await pool.query("VACUUM ANALYZE");
}

interface Run {
  history: string;
  rows: string;
  computeP50: number;
  computeP99: number;
  endpoints: { name: string; p50: number; p99: number; rps: number; errors: number; cpuMs: number; kib: number }[];
}

/** CPU time (user + system) a process has used so far, in ms (Linux). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks of 1/100 s
}

async function load(url: string, serverPid: number) {
  const cpuBefore = cpuMsOf(serverPid);
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    // As browsers ask: the page compressed.
    headers: { "accept-encoding": "gzip" },
  });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.average,
    errors: result.errors + result.timeouts + result.non2xx,
    // Where the time goes: the server's own CPU per answer, and what each answer weighs.
    cpuMs: (cpuMsOf(serverPid) - cpuBefore) / Math.max(1, result.requests.total),
    kib: result.throughput.total / Math.max(1, result.requests.total) / 1024,
  };
}

async function run(server: TestServer, days: number): Promise<Run> {
  const database = await server.createDatabase(`bu_bench_status_${days}`);
  try {
    await applyMigrations(database.url);
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    const seedStart = performance.now();
    await seed(pool, days);
    const count = async (table: string) =>
      Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`)).rows[0]!.n).toLocaleString("en");
    const rows = `${await count("CheckRollup")} rollups, ${await count("Incident")} incidents`;
    console.log(`  ${days} days: seeded ${rows} in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
    await pool.end();

    // The page's computation without any cache: what one visitor per cache period pays.
    const db = createDb(database.url);
    const compute: number[] = [];
    for (let i = 0; i < 40; i++) {
      const start = performance.now();
      await loadPublicStatusPage(db, SLUG);
      if (i >= 10) compute.push(performance.now() - start);
    }
    await db.$disconnect();

    const app = await startApp(
      { DATABASE_URL: database.url, RUNNER_ENABLED: "false", LOG_LEVEL: "warn" },
      await closedPort(),
    );
    try {
      const page = await fetch(`${app.baseUrl}/status/${SLUG}`);
      const html = await page.text();
      if (page.status !== 200 || !html.includes("Public service 50")) throw new Error(`page answered ${page.status}`);
      const endpoints = [];
      for (const [name, path] of [
        ["page (HTML)", `/status/${SLUG}`],
        ["JSON", `/status/${SLUG}.json`],
        ["status badge (SVG)", `/status/${SLUG}/badge/m1/status.svg`],
      ] as const) {
        await load(`${app.baseUrl}${path}`, app.child.pid!); // warm-up
        endpoints.push({ name, ...(await load(`${app.baseUrl}${path}`, app.child.pid!)) });
      }
      return {
        history: `${days} days`,
        rows,
        computeP50: percentile(compute, 50),
        computeP99: percentile(compute, 99),
        endpoints,
      };
    } finally {
      await app.stop();
    }
  } finally {
    await database.drop();
  }
}

console.log(
  `bench:status — ${MONITORS} monitors on one page, ${CONNECTIONS} connections × ${SECONDS} s per endpoint, ` +
    `${os.availableParallelism()} cores`,
);
const server = await startTestServer();
try {
  const runs = [await run(server, DAYS), await run(server, DAYS * 10)];
  console.log(
    "\n| history | endpoint | p50 (ms) | p99 (ms) | requests/s | errors | server CPU per answer (ms) | answer (KiB, gzip) |\n|---|---|---|---|---|---|---|---|",
  );
  for (const result of runs)
    for (const endpoint of result.endpoints)
      console.log(
        `| ${result.history} | ${endpoint.name} | ${endpoint.p50} | ${endpoint.p99} | ${Math.round(endpoint.rps).toLocaleString("en")} | ${endpoint.errors} | ${endpoint.cpuMs.toFixed(2)} | ${endpoint.kib.toFixed(1)} |`,
      );
  console.log("\n| history | rows | uncached computation p50 (ms) | p99 (ms) |\n|---|---|---|---|");
  for (const result of runs)
    console.log(
      `| ${result.history} | ${result.rows} | ${result.computeP50.toFixed(1)} | ${result.computeP99.toFixed(1)} |`,
    );
  const [base, tenfold] = runs as [Run, Run];
  console.log("\n10× history vs 1× (aim ≤ 1.2):");
  for (const [i, endpoint] of base.endpoints.entries())
    console.log(`  ${endpoint.name}: p99 ${(tenfold.endpoints[i]!.p99 / Math.max(1, endpoint.p99)).toFixed(2)}×`);
  console.log(`  uncached computation: p50 ${(tenfold.computeP50 / base.computeP50).toFixed(2)}×`);
  console.log(`\nmachine: ${os.cpus()[0]?.model ?? "?"} × ${os.availableParallelism()}, Node ${process.version}`);
  // One machine-readable line, last, so runs can be compared.
  console.log(
    `BENCH ${JSON.stringify({
      bench: "status",
      monitors: MONITORS,
      runs: runs.map((result) => ({
        history: result.history,
        computeP50Ms: result.computeP50,
        computeP99Ms: result.computeP99,
        endpoints: result.endpoints.map(({ name, p50, p99, rps, errors }) => ({ name, p50, p99, rps, errors })),
      })),
    })}`,
  );
} finally {
  await server.stop();
}
