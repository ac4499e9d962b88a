/**
 * Deletes raw check results older than the retention period, in small batches so the
 * table is never locked for long. Rollups keep the history. One runner prunes at a
 * time (advisory lock); the others skip the round.
 */
import type pg from "pg";
import { withClient } from "../../app/server/db/pg-pool.server.ts";
import type { Logger } from "../../app/server/logger.server.ts";

const PRUNE_LOCK_KEY = 7_265_102;
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

/** Prunes every `everyMs` (first run after a minute). */
export function startRetention(options: { pool: pg.Pool; retentionDays: number; logger: Logger; everyMs?: number }) {
  const everyMs = options.everyMs ?? 10 * 60_000;
  const run = () =>
    pruneResults(options.pool, options.retentionDays).then(
      (deleted) => deleted > 0 && options.logger.info({ deleted }, "old check results pruned"),
      (error: unknown) => options.logger.warn({ err: error }, "pruning check results failed"),
    );
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
