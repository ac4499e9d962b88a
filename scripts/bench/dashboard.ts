/**
 * npm run bench:dashboard — the monitor list page with 1,000 monitors and 30 days of
 * rollups, served by the built app on 127.0.0.1. Prints loader and page timings (p50,
 * p99) and the page's weight; docs/benchmarks.md keeps the results.
 *
 *   BENCH_MONITORS (1000), BENCH_DAYS (30), BENCH_REQUESTS (300)
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";
import pg from "pg";
import { applyMigrations } from "../../core/db/migrate.ts";
import { sessionCookie } from "../../app/server/auth/session-cookie.server.ts";
import { newToken, sha256 } from "../../app/server/services/auth/crypto.server.ts";
import { startApp } from "../../tests/support/app-process.ts";
import { closedPort } from "../../tests/support/ports.ts";
import { startTestServer } from "../../tests/support/test-database.ts";
import { percentile, seedRollups } from "./shared.ts";

const MONITORS = Number(process.env.BENCH_MONITORS ?? 1_000);
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
  await pool.query("ANALYZE");
  const token = newToken();
  await pool.query(`INSERT INTO "Session" (id, "userId", "expiresAt") VALUES ($1, 'bench', now() + interval '1 day')`, [
    sha256(token),
  ]);
  return token;
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
  const page = await time(`${app.baseUrl}/monitors`, cookie, Math.round(REQUESTS / 3));
  if (loader.status !== 200 || page.status !== 200)
    throw new Error(`unexpected status ${loader.status}/${page.status}`);

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
    ["list loader p50 (ms)", percentile(loader.ms, 50).toFixed(1)],
    ["list loader p99 (ms)", percentile(loader.ms, 99).toFixed(1)],
    ["full page (SSR) p50 (ms)", percentile(page.ms, 50).toFixed(1)],
    ["full page (SSR) p99 (ms)", percentile(page.ms, 99).toFixed(1)],
    ["HTML (raw / gzip)", `${kib(html.length)} / ${kib(gzipSync(html).length)}`],
    [`JS + CSS (${new Set(assets).size} files, raw / gzip)`, `${kib(assetBytes)} / ${kib(assetGzip)}`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\n| ${"metric".padEnd(width)} | value |\n|${"-".repeat(width + 2)}|-------|`);
  for (const [label, value] of rows) console.log(`| ${label.padEnd(width)} | ${value} |`);
  console.log(
    `\nmachine: ${os.cpus()[0]?.model ?? "?"} × ${os.availableParallelism()}, Node ${process.version}, ` +
      `PostgreSQL ${(await pool.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v}`,
  );
  // One machine-readable line, last, so runs can be compared.
  console.log(
    `BENCH ${JSON.stringify({
      bench: "dashboard",
      monitors: MONITORS,
      days: DAYS,
      loaderP50Ms: percentile(loader.ms, 50),
      loaderP99Ms: percentile(loader.ms, 99),
      pageP50Ms: percentile(page.ms, 50),
      pageP99Ms: percentile(page.ms, 99),
      htmlBytes: html.length,
      htmlGzipBytes: gzipSync(html).length,
    })}`,
  );
} finally {
  await app.stop();
  await pool.end();
  await database.drop();
  await server.stop();
}
