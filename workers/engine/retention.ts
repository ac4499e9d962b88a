/**
 * Deletes raw check results older than the retention period, in small batches so the
 * table is never locked for long (rollups keep the history), and prunes everything else
 * that grows: expired sessions and links, unconfirmed subscribers, settled alert
 * deliveries, rate-limit counters, old hourly rollups. One runner prunes at a time
 * (advisory lock); the others skip the round.
 */
import type pg from "pg";
import { withClient } from "../../core/db/pg-pool.ts";
import type { Logger } from "../../core/logger.ts";

const PRUNE_LOCK_KEY = 7_265_102;
const HOUSEKEEPING_LOCK_KEY = 7_265_104;
const BATCH = 5_000;

export function pruneResults(pool: pg.Pool, retentionDays: number): Promise<number> {
  return withClient(pool, async (client) => {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [
      PRUNE_LOCK_KEY,
    ]);
    if (!rows[0]?.locked) return 0;
    try {
      let total = 0;
      for (;;) {
        const { rowCount } = await client.query(
          `DELETE FROM "CheckResult" WHERE id IN (
             SELECT id FROM "CheckResult" WHERE "checkedAt" < now() - make_interval(days => $1) LIMIT $2)`,
          [retentionDays, BATCH],
        );
        total += rowCount ?? 0;
        if ((rowCount ?? 0) < BATCH) return total;
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRUNE_LOCK_KEY]);
    }
  });
}

export interface HousekeepingSettings {
  /** Sent and failed alert deliveries older than this are deleted (default 30). */
  deliveryRetentionDays: number;
  /** Hourly rollups older than this are deleted; daily ones are kept (default 100). */
  hourlyRollupRetentionDays: number;
}

/** Subscribers who never confirmed are forgotten after this many days. */
export const UNCONFIRMED_SUBSCRIBER_DAYS = 7;

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
    where: `"confirmedAt" IS NULL AND "createdAt" < now() - make_interval(days => $1)`,
    days: () => UNCONFIRMED_SUBSCRIBER_DAYS,
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

/** Prunes every `everyMs` (first run after a minute). */
export function startRetention(options: {
  pool: pg.Pool;
  retentionDays: number;
  housekeeping: HousekeepingSettings;
  logger: Logger;
  everyMs?: number;
}) {
  const everyMs = options.everyMs ?? 10 * 60_000;
  const run = async () => {
    await pruneResults(options.pool, options.retentionDays).then(
      (deleted) => deleted > 0 && options.logger.info({ deleted }, "old check results pruned"),
      (error: unknown) => options.logger.warn({ err: error }, "pruning check results failed"),
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
