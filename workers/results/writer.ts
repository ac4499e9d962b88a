/**
 * The queue in front of the store: results are pushed as checks finish and written in
 * batches, one transaction per flush (store.ts applies what plan.ts decides).
 *
 * While the database is unreachable, results wait in memory (up to `queueLimit`; past
 * it the oldest are dropped and counted) and are flushed on reconnect, in order.
 *
 * Writes are idempotent: a result is keyed by (monitor, region, scheduled time), and
 * only results stored for the first time move states, incidents and rollups, so a batch
 * retried after a lost COMMIT acknowledgement changes nothing twice. A batch PostgreSQL
 * refuses for its data (not its connection) is split until the record at fault is
 * found; that record is stored without its outside-world text, and the others as they are.
 */
import { resultsDroppedTotal, resultsWrittenTotal, writerBatchSize } from "../../core/metrics/registry.ts";
import type pg from "pg";
import { isConnectionError } from "../../core/db/pg-pool.ts";
import type { Logger } from "../../core/logger.ts";
import { storableCheckRecord, strippedCheckRecord, type CheckResultRecord } from "./record.ts";
import { writeBatch } from "./store.ts";

export type { CheckResultRecord };

export interface ResultWriterOptions {
  pool: pg.Pool;
  logger: Logger;
  queueLimit: number;
  flushIntervalMs?: number;
  maxBatch?: number;
  /** Alert once per certificate when it expires within this many days (default 14). */
  tlsExpiryAlertDays?: number;
}

export interface ResultWriter {
  push(record: CheckResultRecord): void;
  /** Flushes everything queued; resolves once the queue is empty (or `timeoutMs` passed). */
  drain(timeoutMs: number): Promise<void>;
  stop(): void;
  /** `repaired`: results stored without their error text and snapshot, which PostgreSQL refused. */
  stats(): { queued: number; written: number; dropped: number; repaired: number };
  /** When the writer last had nothing waiting or wrote a batch (ms since epoch). */
  lastProgressAt(): number;
}

/** PostgreSQL refused the data (SQLSTATE classes 22 data exception, 23 integrity, 54 limits). */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" && /^(22|23|54)/.test(code);
}

export function createResultWriter(options: ResultWriterOptions): ResultWriter {
  const { pool, logger, queueLimit } = options;
  const flushIntervalMs = options.flushIntervalMs ?? 200;
  const maxBatch = options.maxBatch ?? 2_000;
  const queue: CheckResultRecord[] = [];
  let written = 0;
  let dropped = 0;
  let repaired = 0;
  let lastProgressAt = Date.now();
  let flushing: Promise<void> | null = null;
  let backoffMs = 0;
  let failuresInARow = 0;
  let stopped = false;

  const tlsExpiryAlertDays = options.tlsExpiryAlertDays ?? 14;

  /** Writes `batch`; on a data error, halves it until the bad record is alone. */
  const store = async (batch: CheckResultRecord[]): Promise<void> => {
    try {
      await writeBatch(pool, batch, tlsExpiryAlertDays);
    } catch (error) {
      if (!isDataError(error)) throw error;
      if (batch.length > 1) {
        // Halves are written in order; one already stored is skipped on a retry (idempotent).
        const middle = Math.ceil(batch.length / 2);
        await store(batch.slice(0, middle));
        await store(batch.slice(middle));
        return;
      }
      const [record] = batch as [CheckResultRecord];
      logger.error(
        { err: error, monitorId: record.monitorId, region: record.region },
        "a check result was refused by PostgreSQL; storing it without its error text and response snapshot",
      );
      try {
        await writeBatch(pool, [strippedCheckRecord(record)], tlsExpiryAlertDays);
        repaired += 1;
      } catch (stillRefused) {
        if (!isDataError(stillRefused)) throw stillRefused;
        dropped += 1;
        resultsDroppedTotal.inc();
        logger.error({ err: stillRefused, monitorId: record.monitorId }, "a check result could not be stored at all");
      }
    }
  };

  const flushOnce = async () => {
    const batch = queue.slice(0, maxBatch);
    if (batch.length === 0) return;
    try {
      await store(batch);
      queue.splice(0, batch.length);
      written += batch.length;
      writerBatchSize.observe(batch.length);
      resultsWrittenTotal.inc(batch.length);
      lastProgressAt = Date.now();
      if (backoffMs > 0) logger.info({ queued: queue.length }, "database reachable again: flushing queued results");
      backoffMs = 0;
      failuresInARow = 0;
    } catch (error) {
      failuresInARow += 1;
      backoffMs = Math.min(5_000, Math.max(200, backoffMs * 2));
      if (isConnectionError(error)) {
        if (failuresInARow === 1)
          logger.warn({ err: error, queued: queue.length }, "database unreachable: queueing results");
      } else if (failuresInARow >= 5) {
        // Not a connection problem and not going away: drop this batch rather than block all others.
        queue.splice(0, batch.length);
        dropped += batch.length;
        resultsDroppedTotal.inc(batch.length);
        failuresInARow = 0;
        logger.error({ err: error, dropped: batch.length }, "could not write results; batch dropped");
      } else {
        logger.error({ err: error }, "could not write results; retrying");
      }
    }
  };

  const kick = () => {
    if (queue.length === 0) lastProgressAt = Date.now();
    if (flushing || stopped) return;
    flushing = (async () => {
      while (queue.length > 0) {
        if (backoffMs > 0) await new Promise((resolve) => setTimeout(resolve, backoffMs));
        await flushOnce();
        if (backoffMs === 0 && queue.length < maxBatch) break;
      }
    })().finally(() => {
      flushing = null;
    });
  };

  const timer = setInterval(kick, flushIntervalMs);
  timer.unref();

  return {
    push(record) {
      queue.push(storableCheckRecord(record));
      if (queue.length > queueLimit) {
        const excess = queue.length - queueLimit;
        queue.splice(0, excess);
        dropped += excess;
        resultsDroppedTotal.inc(excess);
        logger.error({ dropped: excess, queueLimit }, "result queue full: oldest results dropped");
      }
      if (queue.length >= maxBatch) kick();
    },
    async drain(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (queue.length > 0 && Date.now() < deadline) {
        kick();
        await (flushing ?? Promise.resolve());
        if (queue.length > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(backoffMs || 50, 500)));
      }
      if (queue.length > 0) logger.error({ lost: queue.length }, "results still unwritten at shutdown");
    },
    stop() {
      stopped = true;
      clearInterval(timer);
    },
    stats: () => ({ queued: queue.length, written, dropped, repaired }),
    lastProgressAt: () => lastProgressAt,
  };
}
