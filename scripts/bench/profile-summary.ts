/**
 * npm run bench:profile — where the runner's CPU goes. Runs `bench:engine` with every
 * runner thread profiling the measured window (CPU_PROFILE_DIR), then sums the
 * threads' samples by what the code does: claiming, the thread hop, validation,
 * the HTTP check itself, the state machine, SQL, rollups, the writer, GC. Only runner
 * threads write profiles (the target, another process, does not).
 *
 *   BENCH_PROFILE_DIR (a temp dir)  where the profiles go (kept, for a closer look in
 *                                   Chrome DevTools' Performance panel)
 * Other BENCH_* variables as for bench:engine; the capacity phase is skipped
 * (BENCH_CAPACITY=0: no bare loop either), so the profile is the steady state.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** First match wins: more specific categories first. */
const CATEGORIES: [string, RegExp][] = [
  // Waiting is not work: the event loop's idle time, and piscina threads waiting for a task.
  ["idle", /^\(idle\) |^atomicsWaitLoop /],
  ["garbage collection", /^\(garbage collector\) /],
  ["V8 and libuv internals", /^\(program\) /],
  ["validation (zod)", /node_modules\/zod\//],
  [
    "thread hop (lanes, structured clone)",
    /node_modules\/piscina\/|internal\/worker|messageport|workers\/engine\/check-(task|lane|pool)\.ts/,
  ],
  ["claim and schedule", /workers\/engine\/(claim|scheduler)\.ts/],
  ["state machine and plan", /workers\/results\/plan\.ts|core\/domain\/(transitions|schedule)\.ts/],
  ["rollups", /core\/domain\/rollups\.ts/],
  ["writer queue and records", /workers\/results\/(writer|record)\.ts|core\/text\/storable\.ts/],
  [
    "SQL (pg driver, statements)",
    /node_modules\/pg(-protocol|-pool|-types)?\/|workers\/results\/(store|incidents)\.ts/,
  ],
  ["DNS and target policy", /core\/net\/|node_modules\/ipaddr/],
  [
    "errors built with stack traces",
    /source_map\/prepare_stack_trace|^captureLargerStackTrace |undici\/lib\/core\/errors/,
  ],
  [
    "HTTP check (undici, sockets, TLS)",
    /node_modules\/undici\/|workers\/engine\/(http-check|guarded-connector|check\.worker)\.ts|node:(net|tls|_http|internal\/stream)|internal\/(stream|net|tls|http)/,
  ],
  ["logging", /node_modules\/pino/],
  ["module loading and compiling (start-up)", /node_modules\/(tsx|esbuild)\/|internal\/modules/],
];

function categorise(frame: ProfileNode["callFrame"]): string {
  const key = `${frame.functionName} ${frame.url}`;
  for (const [name, pattern] of CATEGORIES) if (pattern.test(key)) return name;
  if (frame.url) return "other JavaScript";
  // Native functions by name: socket calls are the HTTP check's and the SQL client's I/O.
  if (/^(connect|writev|writeBuffer|writeLatin1String|writeUtf8String|close|shutdown|read)$/.test(frame.functionName))
    return "socket system calls (checks and SQL)";
  if (/^(postMessage|receiveMessageOnPort|MessageChannel)$/.test(frame.functionName))
    return "thread hop (lanes, structured clone)";
  return "other native";
}

/** Self time (ms) per category, and whether the thread ran runner code at all. */
function summarise(profile: Profile): { byCategory: Map<string, number>; runner: boolean } {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byCategory = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const category = categorise(nodes.get(id)!.callFrame);
    byCategory.set(category, (byCategory.get(category) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  const urls = profile.nodes.map((node) => node.callFrame.url);
  return {
    byCategory,
    runner: urls.some((url) => /workers\/(engine|results)\//.test(url)),
  };
}

const dir = process.env.BENCH_PROFILE_DIR ?? mkdtempSync(path.join(tmpdir(), "bu-profile-"));
console.log(`bench:profile — profiles in ${dir}`);
// Every runner thread profiles the measured window itself (workers/engine/thread-profile.ts).
const warmupMs = Number(process.env.BENCH_WARMUP ?? 15) * 1000;
const windowMs = Number(process.env.BENCH_SECONDS ?? 30) * 1000;
const run = spawnSync("npx", ["tsx", path.join(import.meta.dirname, "engine.ts")], {
  stdio: ["ignore", "pipe", "inherit"],
  env: {
    ...process.env,
    BENCH_CAPACITY: "0",
    CPU_PROFILE_DIR: dir,
    CPU_PROFILE_DELAY_MS: String(warmupMs),
    CPU_PROFILE_MS: String(windowMs),
  },
  encoding: "utf8",
});
process.stdout.write(run.stdout);
const benchLine = run.stdout.split("\n").find((line) => line.startsWith("BENCH "));
const bench = benchLine ? (JSON.parse(benchLine.slice(6)) as { checks_per_s?: number }) : {};

const totals = new Map<string, number>();
let threads = 0;
for (const file of readdirSync(dir).filter((name) => name.endsWith(".cpuprofile"))) {
  const { byCategory, runner } = summarise(JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Profile);
  if (!runner) continue;
  threads += 1;
  for (const [category, ms] of byCategory) totals.set(category, (totals.get(category) ?? 0) + ms);
}
totals.delete("idle");
if (threads === 0) {
  console.error("bench:profile: no runner profile was written (did bench:engine fail above?)");
  process.exit(1);
}
const busy = [...totals.values()].reduce((sum, ms) => sum + ms, 0);
const rows = [...totals.entries()].sort((a, b) => b[1] - a[1]);
const width = Math.max(...rows.map(([name]) => name.length));
console.log(`\nrunner threads profiled: ${threads}; busy CPU ${(busy / 1000).toFixed(1)} s\n`);
console.log(`| ${"where".padEnd(width)} | CPU s | share |\n|${"-".repeat(width + 2)}|-------|-------|`);
for (const [name, ms] of rows) {
  console.log(
    `| ${name.padEnd(width)} | ${(ms / 1000).toFixed(1).padStart(5)} | ${((100 * ms) / busy).toFixed(1).padStart(4)} % |`,
  );
}
console.log(
  `BENCH ${JSON.stringify({
    bench: "profile",
    threads,
    busy_cpu_s: busy / 1000,
    checks_per_s: bench.checks_per_s ?? null,
    shares: Object.fromEntries(rows.map(([name, ms]) => [name, ms / busy])),
  })}`,
);
