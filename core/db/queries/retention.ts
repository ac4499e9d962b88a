/**
 * The housekeeping's statements (workers/engine/retention.ts): the one-runner-at-a-time
 * session locks, the results' day partitions (made ahead, dropped past retention, each
 * finished day's primary key rebuilt full once), and the batched deletes of everything
 * else that grows. Table and index names are ours (never input): they are quoted into the
 * text, since identifiers cannot be parameters.
 */
import type { Sql } from "../sql.ts";

/** Takes the session-level advisory lock `key` if free (released by `advisoryUnlock`, on the same connection). */
export async function tryAdvisoryLock(sql: Sql, key: number): Promise<boolean> {
  const rows = await sql.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [key]);
  return rows[0]?.locked === true;
}

export async function advisoryUnlock(sql: Sql, key: number): Promise<void> {
  await sql.query("SELECT pg_advisory_unlock($1)", [key]);
}

/** Makes `table`'s partition of `day` (YYYY-MM-DD) unless it exists; true when it made one. */
export async function ensureDayPartition(sql: Sql, table: string, day: string): Promise<boolean> {
  const made = await sql.query<{ made: boolean }>("SELECT bu_ensure_day_partition($1, $2::date) AS made", [table, day]);
  return made[0]?.made === true;
}

/** Drops `table`'s day partitions before `keepFrom` (YYYY-MM-DD); returns how many. */
export async function dropDayPartitions(sql: Sql, table: string, keepFrom: string): Promise<number> {
  const dropped = await sql.query<{ n: number }>("SELECT bu_drop_day_partitions($1, $2::date) AS n", [table, keepFrom]);
  return dropped[0]?.n ?? 0;
}

/** Deletes the rows before `keepFrom` from `table`'s default partition (results of a clock far off). */
export function deleteDefaultPartitionStrays(sql: Sql, table: string, keepFrom: string): Promise<number> {
  return sql.execute(`DELETE FROM "${table}_default" WHERE "scheduledAt" < $1::date`, [keepFrom]);
}

/** The primary keys of `table`'s day partitions before `today` not yet rebuilt with fillfactor 100, oldest first. */
export async function uncompactedDayIndexes(sql: Sql, table: string, today: string): Promise<string[]> {
  const rows = await sql.query<{ index: string }>(
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
  return rows.map((row) => row.index);
}

/** Rebuilds an index full (fillfactor 100), CONCURRENTLY: readers and the writer never wait for it. */
export async function compactIndex(sql: Sql, index: string): Promise<void> {
  await sql.execute(`ALTER INDEX "${index}" SET (fillfactor = 100)`);
  await sql.execute(`REINDEX INDEX CONCURRENTLY "${index}"`);
}

export interface HousekeepingSettings {
  /** Sent and failed alert deliveries older than this are deleted (default 30). */
  deliveryRetentionDays: number;
  /** Hourly rollups older than this are deleted; daily ones are kept (default 100). */
  hourlyRollupRetentionDays: number;
  /** Heartbeat pings are kept as long as check results (RESULTS_RETENTION_DAYS). */
  pingRetentionDays: number;
}

/** The windows of the rules: the instance's settings and the fixed ones the engine states. */
export interface HousekeepingWindows extends HousekeepingSettings {
  unconfirmedSubscriberDays: number;
  pausedSubscriberDays: number;
  pastOccurrenceDays: number;
}

/** A kind of row that grows with time: `where` picks those past their window (`$1` in days, when it has one). */
export interface HousekeepingRule {
  name: string;
  table: string;
  where: string;
  days?: (windows: HousekeepingWindows) => number;
}

/** Everything else that grows with time, each with its window. */
export const HOUSEKEEPING: HousekeepingRule[] = [
  { name: "expired sessions", table: "Session", where: `"expiresAt" < now()` },
  { name: "expired email verification links", table: "EmailVerificationToken", where: `"expiresAt" < now()` },
  { name: "expired password reset links", table: "PasswordResetToken", where: `"expiresAt" < now()` },
  {
    name: "unconfirmed subscribers",
    table: "Subscriber",
    where: `"confirmedAt" IS NULL AND "confirmSentAt" < now() - make_interval(days => $1)`,
    days: (w) => w.unconfirmedSubscriberDays,
  },
  {
    // Their page turned private and they did not confirm again while the link worked.
    name: "paused subscribers",
    table: "Subscriber",
    where: `"pausedAt" < now() - make_interval(days => $1)`,
    days: (w) => w.pausedSubscriberDays,
  },
  {
    name: "past recurring maintenance occurrences",
    table: "MaintenanceWindow",
    where: `"recurringId" IS NOT NULL AND "endsAt" < now() - make_interval(days => $1)`,
    days: (w) => w.pastOccurrenceDays,
  },
  {
    name: "settled alert deliveries",
    table: "NotificationDelivery",
    where: `status IN ('SENT', 'FAILED') AND "createdAt" < now() - make_interval(days => $1)`,
    days: (w) => w.deliveryRetentionDays,
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
    days: (w) => w.hourlyRollupRetentionDays,
  },
  {
    name: "heartbeat pings",
    table: "HeartbeatPing",
    where: `"receivedAt" < now() - make_interval(days => $1)`,
    days: (w) => w.pingRetentionDays,
  },
];

/**
 * Deletes up to `batch` rows of `rule`'s table that its condition picks, by physical row
 * id, so no statement holds a lock for long; returns how many.
 */
export function deleteHousekeepingBatch(sql: Sql, rule: HousekeepingRule, days: number | null, batch: number) {
  const params = days === null ? [batch] : [days, batch];
  const limit = days === null ? "$1" : "$2";
  return sql.execute(
    `DELETE FROM "${rule.table}" WHERE ctid = ANY(ARRAY(
               SELECT ctid FROM "${rule.table}" WHERE ${rule.where} LIMIT ${limit}))`,
    params,
  );
}
