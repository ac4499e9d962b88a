/**
 * Keeps the raw check results' day partitions (CheckResult, CheckError; see the
 * compact_results migration): makes the next days' partitions ahead of time, drops whole
 * days older than the retention period (no DELETE of a thousand rows a second), and
 * compacts each finished day once — its primary key rebuilt full (fillfactor 100), since
 * nothing is inserted into a past day any more. Also prunes everything else that grows:
 * expired sessions and links, unconfirmed and long-paused subscribers, past occurrences of recurring
 * maintenance, settled alert deliveries, rate-limit counters, old hourly rollups. One runner does this at a time (advisory
 * locks); the others skip the round.
 */
import { makeOccurrences } from "../../core/db/recurring-maintenance.ts";
import type pg from "pg";
import { RECONFIRM_DAYS } from "../../core/outbox/subscriber-links.ts";
import { withClient } from "../../core/db/pg-pool.ts";
import {
  advisoryUnlock,
  compactIndex,
  deleteDefaultPartitionStrays,
  deleteHousekeepingBatch,
  dropDayPartitions,
  ensureDayPartition,
  HOUSEKEEPING,
  tryAdvisoryLock,
  uncompactedDayIndexes,
  type HousekeepingSettings,
} from "../../core/db/queries/retention.ts";
import { sqlOfClient, sqlOfPool, type Sql } from "../../core/db/sql.ts";
import type { Logger } from "../../core/logger.ts";

const PRUNE_LOCK_KEY = 7_265_102;
const HOUSEKEEPING_LOCK_KEY = 7_265_104;
const BATCH = 5_000;
const PARTITIONED = ["CheckResult", "CheckError"] as const;
/** Day partitions made ahead of today. */
export const PARTITION_DAYS_AHEAD = 7;

export interface PartitionRound {
  created: number;
  dropped: number;
  /** Finished days whose primary key was rebuilt full. */
  compacted: string[];
  /** Rows past retention deleted from the default partition (results of a clock far off). */
  strays: number;
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function maintainResultPartitions(
  pool: pg.Pool,
  retentionDays: number,
  now = Date.now(),
): Promise<PartitionRound | null> {
  return withClient(pool, async (client) => {
    const sql = sqlOfClient(client);
    if (!(await tryAdvisoryLock(sql, PRUNE_LOCK_KEY))) return null;
    try {
      const round: PartitionRound = { created: 0, dropped: 0, compacted: [], strays: 0 };
      const today = utcDay(now);
      const keepFrom = utcDay(now - retentionDays * 86_400_000);
      for (const table of PARTITIONED) {
        for (let ahead = -1; ahead <= PARTITION_DAYS_AHEAD; ahead++) {
          if (await ensureDayPartition(sql, table, utcDay(now + ahead * 86_400_000))) round.created += 1;
        }
        round.dropped += await dropDayPartitions(sql, table, keepFrom);
        round.strays += await deleteDefaultPartitionStrays(sql, table, keepFrom);
        round.compacted.push(...(await compactFinishedDays(sql, table, today)));
      }
      return round;
    } finally {
      await advisoryUnlock(sql, PRUNE_LOCK_KEY);
    }
  });
}

/**
 * Rebuilds the primary key of each finished day not compacted yet with fillfactor 100:
 * a day's index, filled by inserts spread over every monitor, is about two thirds full;
 * rebuilt, a third smaller. CONCURRENTLY: readers and the writer never wait for it.
 */
async function compactFinishedDays(sql: Sql, table: string, today: string): Promise<string[]> {
  const indexes = await uncompactedDayIndexes(sql, table, today);
  for (const index of indexes) await compactIndex(sql, index);
  return indexes;
}

/** Subscribers who never confirmed are forgotten this many days after their link was mailed (it expired). */
export const UNCONFIRMED_SUBSCRIBER_DAYS = 7;

/**
 * Occurrences of recurring maintenance are deleted this long after they end (a result
 * the writer stores late, after an outage of the database, is still judged against them).
 */
export const PAST_OCCURRENCE_DAYS = 7;

/** Prunes every housekeeping table; returns the rows deleted per kind (only kinds with any). */
export function pruneHousekeeping(pool: pg.Pool, settings: HousekeepingSettings): Promise<Record<string, number>> {
  const windows = {
    ...settings,
    unconfirmedSubscriberDays: UNCONFIRMED_SUBSCRIBER_DAYS,
    pausedSubscriberDays: RECONFIRM_DAYS,
    pastOccurrenceDays: PAST_OCCURRENCE_DAYS,
  };
  return withClient(pool, async (client) => {
    const sql = sqlOfClient(client);
    if (!(await tryAdvisoryLock(sql, HOUSEKEEPING_LOCK_KEY))) return {};
    try {
      const deleted: Record<string, number> = {};
      for (const rule of HOUSEKEEPING) {
        const days = rule.days ? rule.days(windows) : null;
        let total = 0;
        for (;;) {
          const rowCount = await deleteHousekeepingBatch(sql, rule, days, BATCH);
          total += rowCount;
          if (rowCount < BATCH) break;
        }
        if (total > 0) deleted[rule.name] = total;
      }
      return deleted;
    } finally {
      await advisoryUnlock(sql, HOUSEKEEPING_LOCK_KEY);
    }
  });
}

/** Prunes (and makes recurring maintenance ahead) every `everyMs` (first run after a minute). */
export function startRetention(options: {
  pool: pg.Pool;
  retentionDays: number;
  housekeeping: HousekeepingSettings;
  logger: Logger;
  everyMs?: number;
}) {
  const everyMs = options.everyMs ?? 10 * 60_000;
  const run = async () => {
    await maintainResultPartitions(options.pool, options.retentionDays).then(
      (round) =>
        round &&
        (round.created > 0 || round.dropped > 0 || round.compacted.length > 0 || round.strays > 0) &&
        options.logger.info(round, "check result partitions maintained"),
      (error: unknown) => options.logger.warn({ err: error }, "maintaining check result partitions failed"),
    );
    await makeOccurrences(sqlOfPool(options.pool)).then(
      (made) => made > 0 && options.logger.info({ made }, "recurring maintenance occurrences made"),
      (error: unknown) => options.logger.warn({ err: error }, "making recurring maintenance occurrences failed"),
    );
    await pruneHousekeeping(options.pool, options.housekeeping).then(
      (deleted) => Object.keys(deleted).length > 0 && options.logger.info({ deleted }, "old records pruned"),
      (error: unknown) => options.logger.warn({ err: error }, "pruning old records failed"),
    );
  };
  const first = setTimeout(() => void run(), Math.min(60_000, everyMs));
  const timer = setInterval(() => void run(), everyMs);
  first.unref();
  timer.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
