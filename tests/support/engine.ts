/**
 * Helpers for engine tests: monitors written straight to the store (so tests may use
 * intervals shorter than the API allows), runners in process or as child processes, and
 * polling until the store shows what a user would see.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import type { Db } from "../../core/db/client.ts";
import { createLogger } from "../../core/logger.ts";
import { startRunner, type AlertOptions, type Runner } from "../../workers/engine/runner.ts";
import { repoRoot } from "./test-database.ts";

/** Each test gets its own region, so its runners only ever claim its own monitors. */
export function uniqueRegion(): string {
  return `t-${randomBytes(4).toString("hex")}`;
}

export interface FastMonitor {
  url: string;
  regions: string[];
  intervalSeconds?: number;
  timeoutMs?: number;
  failureThreshold?: number;
  recoveryThreshold?: number;
  downQuorum?: number;
  keyword?: string;
}

export async function createFastMonitor(db: Db, userId: string, monitor: FastMonitor) {
  const created = await db.monitor.create({
    data: {
      userId,
      url: monitor.url,
      name: monitor.url,
      intervalSeconds: monitor.intervalSeconds ?? 1,
      timeoutMs: monitor.timeoutMs ?? 800,
      failureThreshold: monitor.failureThreshold ?? 1,
      recoveryThreshold: monitor.recoveryThreshold ?? 1,
      regions: monitor.regions,
      downQuorum: monitor.downQuorum ?? 1,
      keyword: monitor.keyword ?? null,
      phaseMs: 0,
    },
  });
  await db.monitorSchedule.createMany({ data: monitor.regions.map((region) => ({ monitorId: created.id, region })) });
  return created;
}

/** Many monitors at once, their phases spread over the interval (as the API spreads them). */
export async function createFastMonitors(
  db: Db,
  userId: string,
  urls: string[],
  options: { intervalSeconds: number; region: string },
) {
  const monitors = await db.monitor.createManyAndReturn({
    data: urls.map((url, i) => ({
      userId,
      url,
      name: url,
      intervalSeconds: options.intervalSeconds,
      timeoutMs: 800,
      regions: [options.region],
      phaseMs: Math.floor((i * options.intervalSeconds * 1000) / urls.length),
    })),
  });
  await db.monitorSchedule.createMany({
    data: monitors.map((monitor) => ({ monitorId: monitor.id, region: options.region })),
  });
  return monitors;
}

/** Alerts as a test runner sends them: no SMTP unless given, quick retries. */
export const TEST_ALERTS: AlertOptions = {
  appUrl: "http://127.0.0.1:3000",
  mailFrom: "Better Uptime <alerts@example.test>",
  tlsExpiryDays: 14,
  retryBaseMs: 500,
  retryMaxMs: 5_000,
};

export function startTestRunner(
  databaseUrl: string,
  options: {
    region: string;
    allowedNetworks?: string;
    workerFilename?: string;
    concurrency?: number;
    dnsServers?: string;
    extraCaCerts?: string;
    alerts?: Partial<AlertOptions>;
  },
): Runner {
  return startRunner({
    databaseUrl,
    region: options.region,
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? "silent"),
    concurrency: options.concurrency ?? 100,
    threads: 1,
    allowedNetworks: options.allowedNetworks ?? "127.0.0.0/8",
    dnsServers: options.dnsServers,
    extraCaCerts: options.extraCaCerts,
    maxBodyBytes: 1024 * 1024,
    retentionDays: 30,
    queueLimit: 100_000,
    workerFilename: options.workerFilename,
    pollIntervalMs: 200,
    alerts: { ...TEST_ALERTS, ...options.alerts },
  });
}

/** `npm run runner` as a child process, from source. */
export function spawnRunner(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "workers/runner.ts")], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, NODE_ENV: "test", LOG_LEVEL: "warn", CHECK_WORKER_THREADS: "1", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    if (process.env.TEST_LOG_LEVEL) process.stderr.write(chunk);
  });
  return child;
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

/** Polls until `check` returns a truthy value; fails with `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
