/**
 * npm run bench:unlock — sign-in latency while anonymous visitors hammer a private
 * status page's password form (issue 25), against the built app on 127.0.0.1.
 *
 * BENCH_WORKERS (30) concurrent unlock workers, each sending wrong passwords one after
 * another for BENCH_SECONDS (15), each attempt from a new address (X-Forwarded-For, with
 * TRUST_PROXY=loopback) so no per-address limit stops them: only the unlock lane does.
 * Meanwhile signed-out users sign in through the login form one after another (a new
 * user every few sign-ins, within the login limits). Prints sign-in latency without and
 * with the flood, the unlocks' answers, and the app's peak memory. docs/benchmarks.md
 * keeps the results.
 *
 * BENCH_PAGE_HASH=costly stores the page's password hash at m=65536,t=3 (as an import
 * file could before issue 25; the attack used m=1048576,t=10) instead of the policy's.
 * BENCH_BUILD_ROOT runs another checkout's build (its build/server/main.js) instead, to
 * measure the same load against an older version.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { hash } from "@node-rs/argon2";
import pg from "pg";
import { applyMigrations } from "../../core/ops/migrate.ts";
import { ARGON2_OPTIONS, hashPassword } from "../../app/server/services/crypto.server.ts";
import { startApp } from "../../tests/support/app-process.ts";
import { closedPort } from "../../tests/support/ports.ts";
import { repoRoot, startTestServer } from "../../tests/support/test-database.ts";
import { cpuBetween, cpuSnapshot } from "./proc-cpu.ts";
import { percentile, printMachine, printTable } from "./shared.ts";

const WORKERS = Number(process.env.BENCH_WORKERS ?? 30);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const BASELINE_SIGN_INS = 10;
const BUILD_ROOT = process.env.BENCH_BUILD_ROOT ?? repoRoot;
const COSTLY = process.env.BENCH_PAGE_HASH === "costly";
const SLUG = "bench-private";
const PASSWORD = "bench member password";
/** Sign-ins per user, below the login limit of 10 per address per 15 minutes. */
const SIGN_INS_PER_USER = 5;
const USERS = 60;

let addresses = 0;
/** A new documentation address (2001:db8::/32) for every request: only a header, never a packet. */
const nextAddress = () => `2001:db8:bench::${(++addresses).toString(16)}`;

async function seed(pool: pg.Pool): Promise<void> {
  const [pageHash, memberHash] = await Promise.all([
    COSTLY
      ? hash("the page's password", { ...ARGON2_OPTIONS, memoryCost: 65_536, timeCost: 3 })
      : hashPassword("the page's password"),
    hashPassword(PASSWORD),
  ]);
  await pool.query(
    `INSERT INTO "User" (id, email, "emailVerified", "passwordHash", "updatedAt")
     SELECT 'member' || i, 'member' || i || '@example.test', true, $1, now() FROM generate_series(1, $2) AS i`,
    [memberHash, USERS],
  );
  await pool.query(
    `INSERT INTO "StatusPage" (id, "userId", name, slug, "isPublished", visibility, "accessPasswordHash", "accessToken", "updatedAt")
     VALUES ('bench-page', 'member1', 'Payroll', $1, true, 'PRIVATE', $2, 'bench-token', now())`,
    [SLUG, pageHash],
  );
}

/** Peak resident memory of a process (VmHWM), in MiB. */
function peakMemoryMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((entry) => entry.startsWith("VmHWM:"));
  return Number(line?.split(/\s+/)[1] ?? NaN) / 1024;
}

let signIns = 0;
/** One sign-in through the login form; its latency, or NaN when it was refused. */
async function signIn(baseUrl: string): Promise<{ ms: number; ok: boolean; status: number }> {
  const user = Math.floor(signIns++ / SIGN_INS_PER_USER) + 1;
  if (user > USERS) throw new Error("bench:unlock ran out of users to sign in (raise USERS)");
  const started = performance.now();
  const response = await fetch(`${baseUrl}/login`, {
    method: "POST",
    headers: { "x-forwarded-for": nextAddress() },
    body: new URLSearchParams({ email: `member${user}@example.test`, password: PASSWORD }),
    redirect: "manual",
  });
  await response.arrayBuffer();
  const ms = performance.now() - started;
  const ok =
    response.status >= 300 && response.status < 400 && /__session=/.test(response.headers.get("set-cookie") ?? "");
  return { ms, ok, status: response.status };
}

interface UnlockRun {
  statuses: Map<number, number>;
  latencies: Map<number, number[]>;
}

/** WORKERS loops of wrong passwords, each attempt from a new address, until `until`. */
async function flood(baseUrl: string, until: () => boolean): Promise<UnlockRun> {
  const run: UnlockRun = { statuses: new Map(), latencies: new Map() };
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, worker) => {
      for (let attempt = 0; !until(); attempt++) {
        const started = performance.now();
        const response = await fetch(`${baseUrl}/status/${SLUG}`, {
          method: "POST",
          headers: { "x-forwarded-for": nextAddress() },
          body: new URLSearchParams({ intent: "unlock", password: `guess ${worker}-${attempt}` }),
          redirect: "manual",
        }).catch(() => null);
        await response?.arrayBuffer();
        const status = response?.status ?? 0;
        run.statuses.set(status, (run.statuses.get(status) ?? 0) + 1);
        const latencies = run.latencies.get(status) ?? [];
        latencies.push(performance.now() - started);
        run.latencies.set(status, latencies);
      }
    }),
  );
  return run;
}

const server = await startTestServer();
const database = await server.createDatabase("bu_bench_unlock");
await applyMigrations(database.url);
const pool = new pg.Pool({ connectionString: database.url, max: 2 });
console.log(
  `bench:unlock — ${WORKERS} concurrent unlock workers for ${SECONDS} s while users sign in` +
    (COSTLY ? ", page hash m=65536,t=3" : ", page hash at the policy") +
    (BUILD_ROOT === repoRoot ? "" : ` (build of ${BUILD_ROOT})`),
);
await seed(pool);
const app = await startApp(
  { DATABASE_URL: database.url, RUNNER_ENABLED: "false", LOG_LEVEL: "error", TRUST_PROXY: "loopback" },
  await closedPort(),
  BUILD_ROOT,
);
try {
  const quiet: number[] = [];
  for (let i = 0; i < BASELINE_SIGN_INS; i++) {
    const result = await signIn(app.baseUrl);
    if (!result.ok) throw new Error(`a sign-in without load failed (${result.status})`);
    quiet.push(result.ms);
  }

  const before = cpuSnapshot(app.child.pid!);
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  const flooding = flood(app.baseUrl, () => performance.now() >= deadline);
  await new Promise((resolve) => setTimeout(resolve, 500)); // let the flood fill the lanes first
  const loaded: number[] = [];
  const signInStatuses = new Map<number, number>();
  while (performance.now() < deadline - 1_000) {
    const result = await signIn(app.baseUrl);
    signInStatuses.set(result.status, (signInStatuses.get(result.status) ?? 0) + 1);
    if (result.ok) loaded.push(result.ms);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const unlocks = await flooding;
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuBetween(before, cpuSnapshot(app.child.pid!));
  const peak = peakMemoryMiB(app.child.pid!);

  const total = [...unlocks.statuses.values()].reduce((sum, n) => sum + n, 0);
  const fmt = (values: number[]) => [50, 95, 100].map((p) => percentile(values, p).toFixed(0)).join(" / ");
  const signInsTried = [...signInStatuses.values()].reduce((sum, n) => sum + n, 0);
  printTable([
    ["sign-in without load, p50 / p95 / max (ms)", fmt(quiet)],
    ["sign-ins during the flood (succeeded / tried)", `${loaded.length} / ${signInsTried}`],
    ["sign-in during the flood, p50 / p95 / max (ms)", fmt(loaded)],
    ["unlock attempts (per s)", `${total} (${(total / elapsed).toFixed(0)}/s)`],
    ["unlock answers by status", [...unlocks.statuses].map(([status, n]) => `${status || "error"}: ${n}`).join(", ")],
    ["unlock judged (400), p50 / p95 / max (ms)", fmt(unlocks.latencies.get(400) ?? [])],
    ["unlock refused busy (429), p50 / p95 / max (ms)", fmt(unlocks.latencies.get(429) ?? [])],
    ["app CPU during the flood (ms per s)", (cpu.targetMs / elapsed).toFixed(0)],
    ["app peak memory (MiB, VmHWM)", peak.toFixed(0)],
  ]);
  await printMachine(pool);
  console.log(
    `BENCH ${JSON.stringify({
      bench: "unlock",
      workers: WORKERS,
      seconds: SECONDS,
      page_hash: COSTLY ? "m=65536,t=3" : "policy",
      build: BUILD_ROOT === repoRoot ? "this checkout" : BUILD_ROOT,
      sign_in_quiet_p50_ms: percentile(quiet, 50),
      sign_in_flood_p50_ms: percentile(loaded, 50),
      sign_in_flood_p95_ms: percentile(loaded, 95),
      sign_in_flood_max_ms: percentile(loaded, 100),
      sign_ins_ok: loaded.length,
      sign_ins_tried: signInsTried,
      unlock_attempts: total,
      unlock_400: unlocks.statuses.get(400) ?? 0,
      unlock_429: unlocks.statuses.get(429) ?? 0,
      unlock_other: total - (unlocks.statuses.get(400) ?? 0) - (unlocks.statuses.get(429) ?? 0),
      app_cpu_ms_per_s: cpu.targetMs / elapsed,
      app_peak_mib: peak,
    })}`,
  );
} finally {
  await app.stop();
  await pool.end();
  await database.drop();
  await server.stop();
}
