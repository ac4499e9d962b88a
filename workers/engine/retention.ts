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
import { makeOccurrences, type QueryRows } from "../../core/db/recurring-maintenance.ts";
import type pg from "pg";
import { RECONFIRM_DAYS } from "../../core/outbox/subscriber-links.ts";
import { withClient } from "../../core/db/pg-pool.ts";
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
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [
      PRUNE_LOCK_KEY,
    ]);
    if (!rows[0]?.locked) return null;
    try {
      const round: PartitionRound = { created: 0, dropped: 0, compacted: [], strays: 0 };
      const today = utcDay(now);
      const keepFrom = utcDay(now - retentionDays * 86_400_000);
      for (const table of PARTITIONED) {
        for (let ahead = -1; ahead <= PARTITION_DAYS_AHEAD; ahead++) {
          const made = await client.query<{ made: boolean }>("SELECT bu_ensure_day_partition($1, $2::date) AS made", [
            table,
            utcDay(now + ahead * 86_400_000),
          ]);
          if (made.rows[0]?.made) round.created += 1;
        }
        const dropped = await client.query<{ n: number }>("SELECT bu_drop_day_partitions($1, $2::date) AS n", [
          table,
          keepFrom,
        ]);
        round.dropped += dropped.rows[0]?.n ?? 0;
        const strays = await client.query(`DELETE FROM "${table}_default" WHERE "scheduledAt" < $1::date`, [keepFrom]);
        round.strays += strays.rowCount ?? 0;
        round.compacted.push(...(await compactFinishedDays(client, table, today)));
      }
      return round;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRUNE_LOCK_KEY]);
    }
  });
}

/**
 * Rebuilds the primary key of each finished day not compacted yet with fillfactor 100:
 * a day's index, filled by inserts spread over every monitor, is about two thirds full;
 * rebuilt, a third smaller. CONCURRENTLY: readers and the writer never wait for it.
 */
async function compactFinishedDays(client: pg.PoolClient, table: string, today: string): Promise<string[]> {
  const { rows } = await client.query<{ index: string }>(
    `SELECT i.relname AS index
     FROM pg_inherits h
     JOIN pg_class t ON t.oid = h.inhrelid
     JOIN pg_index x ON x.indrelid = t.oid AND x.indisprimary
     JOIN pg_class i ON i.oid = x.indexrelid
     WHERE h.inhparent = $1::regclass
       AND t.relname ~ ('^' || $2 || '_p[0-9]{8}$')
       AND to_date(right(t.relname, 8), 'YYYYMMDD') < $3::date
       AND NOT coalesce(i.reloptions @> ARRAY['fillfactor=100'], false)
     ORDER BY t.relname`,
    [`"${table}"`, table, today],
  );
  for (const { index } of rows) {
    await client.query(`ALTER INDEX "${index}" SET (fillfactor = 100)`);
    await client.query(`REINDEX INDEX CONCURRENTLY "${index}"`);
  }
  return rows.map((row) => row.index);
}

export interface HousekeepingSettings {
  /** Sent and failed alert deliveries older than this are deleted (default 30). */
  deliveryRetentionDays: number;
  /** Hourly rollups older than this are deleted; daily ones are kept (default 100). */
  hourlyRollupRetentionDays: number;
  /** Heartbeat pings are kept as long as check results (RESULTS_RETENTION_DAYS). */
  pingRetentionDays: number;
}

/** Subscribers who never confirmed are forgotten this many days after their link was mailed (it expired). */
export const UNCONFIRMED_SUBSCRIBER_DAYS = 7;

/**
 * Occurrences of recurring maintenance are deleted this long after they end (a result
 * the writer stores late, after an outage of the database, is still judged against them).
 */
export const PAST_OCCURRENCE_DAYS = 7;

/**
 * Everything else that grows with time, each with its window. `$1` is the window in
 * days where the rule has one. Deleted by physical row id in batches, so no statement
 * holds a lock for long.
 */
const HOUSEKEEPING: { name: string; table: string; where: string; days?: (s: HousekeepingSettings) => number }[] = [
  { name: "expired sessions", table: "Session", where: `"expiresAt" < now()` },
  { name: "expired email verification links", table: "EmailVerificationToken", where: `"expiresAt" < now()` },
  { name: "expired password reset links", table: "PasswordResetToken", where: `"expiresAt" < now()` },
  {
    name: "unconfirmed subscribers",
    table: "Subscriber",
    where: `"confirmedAt" IS NULL AND "confirmSentAt" < now() - make_interval(days => $1)`,
    days: () => UNCONFIRMED_SUBSCRIBER_DAYS,
  },
  {
    // Their page turned private and they did not confirm again while the link worked.
    name: "paused subscribers",
    table: "Subscriber",
    where: `"pausedAt" < now() - make_interval(days => $1)`,
    days: () => RECONFIRM_DAYS,
  },
  {
    name: "past recurring maintenance occurrences",
    table: "MaintenanceWindow",
    where: `"recurringId" IS NOT NULL AND "endsAt" < now() - make_interval(days => $1)`,
    days: () => PAST_OCCURRENCE_DAYS,
  },
  {
    name: "settled alert deliveries",
    table: "NotificationDelivery",
    where: `status IN ('SENT', 'FAILED') AND "createdAt" < now() - make_interval(days => $1)`,
    days: (s) => s.deliveryRetentionDays,
  },
  {
    name: "expired rate-limit counters",
    table: "RateLimit",
    where: `expire IS NOT NULL AND expire < (extract(epoch FROM now()) * 1000)::bigint`,
  },
  {
    name: "hourly rollups",
    table: "CheckRollup",
    where: `period = 'HOUR' AND "bucketStart" < now() - make_interval(days => $1)`,
    days: (s) => s.hourlyRollupRetentionDays,
  },
  {
    name: "heartbeat pings",
    table: "HeartbeatPing",
    where: `"receivedAt" < now() - make_interval(days => $1)`,
    days: (s) => s.pingRetentionDays,
  },
];

/** Prunes every housekeeping table; returns the rows deleted per kind (only kinds with any). */
export function pruneHousekeeping(pool: pg.Pool, settings: HousekeepingSettings): Promise<Record<string, number>> {
  return withClient(pool, async (client) => {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [
      HOUSEKEEPING_LOCK_KEY,
    ]);
    if (!rows[0]?.locked) return {};
    try {
      const deleted: Record<string, number> = {};
      for (const rule of HOUSEKEEPING) {
        const params = rule.days ? [rule.days(settings), BATCH] : [BATCH];
        const limit = rule.days ? "$2" : "$1";
        let total = 0;
        for (;;) {
          const { rowCount } = await client.query(
            `DELETE FROM "${rule.table}" WHERE ctid = ANY(ARRAY(
               SELECT ctid FROM "${rule.table}" WHERE ${rule.where} LIMIT ${limit}))`,
            params,
          );
          total += rowCount ?? 0;
          if ((rowCount ?? 0) < BATCH) break;
        }
        if (total > 0) deleted[rule.name] = total;
      }
      return deleted;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [HOUSEKEEPING_LOCK_KEY]);
    }
  });
}

/** A pg pool as the shared SQL helpers take it. */
const pgQuery =
  (pool: pg.Pool): QueryRows =>
  async <Row>(sql: string, values: unknown[]) =>
    (await pool.query(sql, values)).rows as Row[];

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
    await makeOccurrences(pgQuery(options.pool)).then(
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
