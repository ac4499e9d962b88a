/**
 * The runner's scheduler: claims due checks for its region in batches and hands them to
 * the check pool, keeping at most `concurrency` in flight. It sleeps until the next
 * poll (one second) or until a write to a monitor wakes it (LISTEN/NOTIFY), so new,
 * edited and resumed monitors are checked within a second or so.
 *
 * When the database is unreachable it keeps checking the monitors it holds (it
 * remembers what it claimed, and their grid), and the writer queues the results.
 */
import { wakeableSleep } from "./wakeable-sleep.ts";
import type pg from "pg";
import { parseStatusCodes } from "../../core/domain/status-codes.ts";
import { DNS_DEFAULTS, HTTP_DEFAULTS, TLS_DEFAULTS } from "../../core/domain/monitor-defaults.ts";
import { storedAssertions } from "../../core/domain/assertions.ts";
import type { Logger } from "../../core/logger.ts";
import { SCHEDULE_CHANNEL } from "../../core/db/channels.ts";
import type { CheckPool } from "./check-pool.ts";
import { claimDueChecks, type ClaimedCheck } from "./claim.ts";
import { isConnectionError } from "../../core/db/pg-pool.ts";
import type { ProbeRequest } from "./check-task.ts";
import type { ResultWriter } from "../results/writer.ts";
import { slotAfterCheck } from "../../core/domain/schedule.ts";
import { startListener } from "../../core/db/listener.ts";
import { checkDurationSeconds, checksTotal, scheduleLagSeconds } from "../../core/metrics/registry.ts";
import type { CheckVerdict } from "./check-task.ts";

export interface SchedulerOptions {
  pool: pg.Pool;
  databaseUrl: string;
  region: string;
  checks: CheckPool;
  writer: ResultWriter;
  logger: Logger;
  concurrency: number;
  maxBodyBytes: number;
  pollIntervalMs?: number;
  batchSize?: number;
}

export interface SchedulerStats {
  inFlight: number;
  /** Checks handed to the pool (each starts at its due time). */
  started: number;
  completed: number;
  offline: boolean;
  /** Schedule lags (ms: check start − due time) of the most recently completed checks, oldest first. */
  lagsMs: number[];
}

export interface Scheduler {
  /** Stops claiming; waits for checks in flight (at most `graceMs`). */
  stop(graceMs: number): Promise<void>;
  stats(): SchedulerStats;
  /** Checks in flight split into those running and those waiting for their due time (for /metrics). */
  inFlightNow(): { running: number; waiting: number };
  /** When a claim last succeeded, or every slot was busy (ms since epoch). */
  lastClaimAt(): number;
}

interface Held {
  check: ClaimedCheck;
  nextSlotMs: number;
  lastClaimedMs: number;
  /** The slot of the last check this runner started for the monitor. */
  lastScheduledMs: number;
}

const LAG_SAMPLES = 50_000;
/**
 * Claims reach a poll interval ahead and this much more (a claim takes time), so a
 * check due just after the next poll is already with its thread; each check then
 * waits there for its own due time.
 */
const LOOKAHEAD_MARGIN_MS = 500;
const EVICT_EVERY_MS = 30_000;

/** A stored status list that no longer parses: the default one. */
const defaultCodes = parseStatusCodes(HTTP_DEFAULTS.expectedStatusCodes);
const DEFAULT_RANGES = defaultCodes.ok ? defaultCodes.ranges : [];

/** Where a TCP or TLS monitor connects: its url is tcp://host:port or tls://host:port, as the API stores it. */
function hostAndPort(url: string): { host: string; port: number } {
  const target = new URL(url);
  return { host: target.hostname.replace(/^\[|\]$/g, ""), port: Number(target.port) || TLS_DEFAULTS.port };
}

export function toCheckRequest(check: ClaimedCheck, maxBodyBytes: number): ProbeRequest {
  switch (check.type) {
    case "TCP":
      return { kind: "tcp", ...hostAndPort(check.url), tls: check.tcpTls, timeoutMs: check.timeoutMs };
    case "TLS":
      return {
        kind: "tls",
        ...hostAndPort(check.url),
        // A TLS monitor without its own threshold (the API always stores one).
        expiryDays: check.tlsExpiryDays ?? TLS_DEFAULTS.expiryDays,
        timeoutMs: check.timeoutMs,
      };
    case "DNS":
      return {
        kind: "dns",
        hostname: check.url,
        recordType: check.dnsRecordType ?? DNS_DEFAULTS.recordType,
        resolver: check.dnsResolver,
        expectedValue: check.expectedValue,
        timeoutMs: check.timeoutMs,
      };
    case "HEARTBEAT":
      return {
        kind: "heartbeat",
        rule: { periodSeconds: check.intervalSeconds, graceSeconds: check.heartbeatGraceSeconds },
        lastPing: check.lastPingAt && {
          atMs: check.lastPingAt.getTime(),
          failed: check.lastPingFailed ?? false,
          message: check.lastPingMessage,
        },
        watchedSinceMs: check.createdAt.getTime(),
      };
    case "HTTP": {
      const codes = parseStatusCodes(check.expectedStatusCodes);
      return {
        url: check.url,
        method: check.method,
        headers: check.headers,
        body: check.body,
        expectedStatus: codes.ok ? codes.ranges : DEFAULT_RANGES,
        keyword: check.keyword,
        keywordMode: check.keywordMode,
        keywordIgnoreCase: check.keywordIgnoreCase,
        assertions: storedAssertions(check.assertions),
        maxResponseMs: check.maxResponseMs,
        ignoreTlsErrors: check.ignoreTlsErrors,
        followRedirects: check.followRedirects,
        maxRedirects: check.maxRedirects,
        timeoutMs: check.timeoutMs,
        maxBodyBytes,
      };
    }
  }
}

/** A finished check in the metrics: its type, result and duration, and how late it started. */
function countCheck(type: ClaimedCheck["type"], verdict: CheckVerdict, lagMs: number): void {
  const result = verdict.status === null ? "error" : verdict.status === "UP" ? "up" : "down";
  checksTotal.inc({ type, result });
  if (verdict.status !== null) checkDurationSeconds.observe({ type }, verdict.responseTimeMs / 1000);
  scheduleLagSeconds.observe(lagMs / 1000);
}

export function startScheduler(options: SchedulerOptions): Scheduler {
  const { pool, region, checks, writer, logger, concurrency } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const batchSize = options.batchSize ?? 500;

  let stopping = false;
  let offline = false;
  let inFlight = 0;
  let started = 0;
  let completed = 0;
  // Ring buffer of recent lags: O(1) per check.
  const lagsMs = new Array<number>(LAG_SAMPLES);
  let lagCount = 0;
  const held = new Map<string, Held>();
  const running = new Set<string>();
  /** When each check in flight starts (epoch ms), by dispatch number. */
  const startTimes = new Map<number, number>();
  let dispatched = 0;
  let lastEviction = Date.now();
  let lastClaimAt = Date.now();
  let waitingForRoom = false;
  /** Free slots worth waking a full pool's loop for (else it claims at its next poll): a tenth of it, a batch at most. */
  const roomWorthClaiming = Math.max(1, Math.min(batchSize, Math.ceil(concurrency / 10)));

  const { sleep, wake } = wakeableSleep();

  const listener = startListener({
    databaseUrl: options.databaseUrl,
    channel: SCHEDULE_CHANNEL,
    onNotify: () => wake(),
    logger,
  });

  /** Hands a check to the pool, to start at its slot (at once if that has passed). */
  function dispatch(check: ClaimedCheck, leaseUntil: Date | null, slot: Date): void {
    inFlight += 1;
    started += 1;
    running.add(check.monitorId);
    const startAt = new Date(Math.max(Date.now(), slot.getTime()));
    const dispatchNumber = ++dispatched;
    startTimes.set(dispatchNumber, startAt.getTime());
    // A result is keyed by its slot (so a retried write stores nothing twice). Back from
    // an outage, the first claim may hand out a slot this runner already checked from
    // memory: this check is then an extra one, keyed by when it runs.
    const entry = held.get(check.monitorId);
    const scheduledAt = entry && slot.getTime() <= entry.lastScheduledMs ? startAt : slot;
    if (entry) entry.lastScheduledMs = Math.max(entry.lastScheduledMs, scheduledAt.getTime());
    void checks
      .run(toCheckRequest(check, options.maxBodyBytes), startAt)
      .then(({ verdict, startedAt }) => {
        const lagMs = Math.max(0, startedAt.getTime() - scheduledAt.getTime());
        lagsMs[lagCount++ % LAG_SAMPLES] = lagMs;
        countCheck(check.type, verdict, lagMs);
        writer.push({ monitorId: check.monitorId, region, scheduledAt, checkedAt: startedAt, leaseUntil, verdict });
      })
      .finally(() => {
        startTimes.delete(dispatchNumber);
        inFlight -= 1;
        completed += 1;
        running.delete(check.monitorId);
        // Only a loop waiting for room needs waking, and only once there is room for a
        // worthwhile claim: a claim per finished check would cost more than the check.
        if (waitingForRoom && concurrency - inFlight >= roomWorthClaiming) wake();
      });
  }

  /** Offline: run the held monitors whose slot has come, on their own grid. */
  function runHeldDue(capacity: number): void {
    const now = Date.now();
    for (const entry of held.values()) {
      if (capacity <= 0) break;
      if (entry.nextSlotMs > now || running.has(entry.check.monitorId)) continue;
      // Pings cannot be received (nor read) without the database: judging a heartbeat
      // from memory would call it DOWN for silence we cannot hear.
      if (entry.check.type === "HEARTBEAT") continue;
      const scheduledAt = new Date(entry.nextSlotMs);
      entry.nextSlotMs = slotAfterCheck(now, entry.check.intervalSeconds * 1000, entry.check.phaseMs);
      dispatch(entry.check, null, scheduledAt);
      capacity -= 1;
    }
  }

  function evictStale(now: number): void {
    for (const [id, entry] of held) {
      if (now - entry.lastClaimedMs > 2 * entry.check.intervalSeconds * 1000 + 60_000) held.delete(id);
    }
    lastEviction = now;
  }

  const loop = (async () => {
    while (!stopping) {
      const capacity = concurrency - inFlight;
      if (capacity <= 0) {
        lastClaimAt = Date.now(); // busy, not stuck: every slot is taken by a running check
        waitingForRoom = true;
        await sleep(pollIntervalMs);
        waitingForRoom = false;
        continue;
      }
      const limit = Math.min(batchSize, capacity);
      let claimed: ClaimedCheck[];
      try {
        claimed = await claimDueChecks(pool, region, limit, stopping ? 0 : pollIntervalMs + LOOKAHEAD_MARGIN_MS);
        lastClaimAt = Date.now();
        if (offline) logger.info("database reachable again: claiming checks");
        offline = false;
      } catch (error) {
        if (!isConnectionError(error)) logger.error({ err: error }, "claiming checks failed");
        else if (!offline) logger.warn({ held: held.size }, "database unreachable: checking held monitors from memory");
        offline = isConnectionError(error);
        if (offline) runHeldDue(capacity);
        await sleep(pollIntervalMs);
        continue;
      }
      const now = Date.now();
      for (const check of claimed) {
        held.set(check.monitorId, {
          check,
          nextSlotMs: check.leasedSlot.getTime(),
          lastClaimedMs: now,
          lastScheduledMs: held.get(check.monitorId)?.lastScheduledMs ?? 0,
        });
        // Sent now, started by its thread at its due time; in flight (capacity) meanwhile.
        dispatch(check, check.leaseUntil, check.scheduledAt);
      }
      if (now - lastEviction > EVICT_EVERY_MS) evictStale(now);
      if (claimed.length < limit) await sleep(pollIntervalMs);
    }
  })();

  return {
    async stop(graceMs) {
      stopping = true;
      wake();
      await loop;
      await listener.stop();
      const deadline = Date.now() + graceMs;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
      if (inFlight > 0) logger.warn({ inFlight }, "checks still running at shutdown");
    },
    lastClaimAt: () => lastClaimAt,
    inFlightNow() {
      const now = Date.now();
      let waiting = 0;
      for (const startAtMs of startTimes.values()) if (startAtMs > now) waiting += 1;
      return { running: startTimes.size - waiting, waiting };
    },
    stats: () => ({
      inFlight,
      started,
      completed,
      offline,
      lagsMs:
        lagCount <= LAG_SAMPLES
          ? lagsMs.slice(0, lagCount)
          : [...lagsMs.slice(lagCount % LAG_SAMPLES), ...lagsMs.slice(0, lagCount % LAG_SAMPLES)],
    }),
  };
}
