/** What the benchmarks share: percentiles, and history seeded as the engine leaves it. */
import os from "node:os";
import type pg from "pg";

/** The p-th percentile (nearest rank); NaN when there are no values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Hourly rollups for every monitor over the last `days` (`checksPerHour` successful
 * checks of ~80 ms each; now and then an hour with `downtimeSeconds` of downtime), then
 * the daily rollups summed from them, as the result writer would have left them.
 */
export async function seedRollups(
  pool: pg.Pool,
  {
    days,
    checksPerHour,
    downtimeChance,
    downtimeSeconds,
  }: {
    days: number;
    checksPerHour: number;
    downtimeChance: number;
    downtimeSeconds: number;
  },
): Promise<void> {
  await pool.query(
    `INSERT INTO "CheckRollup" ("websiteId", period, "bucketStart", checks, failures, "downtimeSeconds",
       "responseTimeSumMs", "responseTimeCount", "ttfbSumMs", histogram)
     SELECT w.id, 'HOUR', h, $2, 0, CASE WHEN random() < $3 THEN $4 ELSE 0 END, $2 * 80, $2, $2 * 60,
            ARRAY[0,0,0,0,$2 * 5 / 6,$2 / 8,$2 / 24,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]
     FROM "Website" w,
          generate_series(date_trunc('hour', now() - make_interval(days => $1)), now(), interval '1 hour') AS h`,
    [days, checksPerHour, downtimeChance, downtimeSeconds],
  );
  await pool.query(
    `INSERT INTO "CheckRollup" ("websiteId", period, "bucketStart", checks, failures, "downtimeSeconds",
       "responseTimeSumMs", "responseTimeCount", histogram)
     SELECT "websiteId", 'DAY', date_trunc('day', "bucketStart"), sum(checks), sum(failures), sum("downtimeSeconds"),
            sum("responseTimeSumMs"), sum("responseTimeCount"), ARRAY[]::int[]
     FROM "CheckRollup" WHERE period = 'HOUR' GROUP BY 1, 3`,
  );
}

/** The results as a Markdown table of metric and value, as docs/benchmarks.md keeps them. */
export function printTable(rows: readonly (readonly [string, string])[]): void {
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\n| ${"metric".padEnd(width)} | value |\n|${"-".repeat(width + 2)}|-------|`);
  for (const [label, value] of rows) console.log(`| ${label.padEnd(width)} | ${value} |`);
}

/** One line naming the machine and the versions the figures were measured on. */
export async function printMachine(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ v: string }>("SELECT current_setting('server_version') AS v");
  console.log(
    `\nmachine: ${os.cpus()[0]?.model ?? "?"} × ${os.availableParallelism()}, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, PostgreSQL ${rows[0]!.v}`,
  );
}
