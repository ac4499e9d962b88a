/** Every row of every table of the app's schema, as text: two databases compare table by table. */
import pg from "pg";

export type TableSnapshot = Record<string, string[]>;

export async function snapshotTables(url: string): Promise<TableSnapshot> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`,
    );
    const snapshot: TableSnapshot = {};
    for (const { name } of tables) {
      const { rows } = await client.query<{ row: string }>(
        `SELECT t::text AS row FROM ${client.escapeIdentifier(name)} t ORDER BY 1`,
      );
      snapshot[name] = rows.map((row) => row.row);
    }
    return snapshot;
  } finally {
    await client.end();
  }
}

/**
 * Per monitor, the checks its hourly rollups count and the results stored: the writer
 * changes both in one transaction, so a consistent copy never shows them apart.
 */
export async function rollupsDisagreeingWithResults(url: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `WITH counted AS (
         SELECT w.id, (SELECT count(*) FROM "CheckResult" c WHERE c."monitorKey" = w.key AND c.status IS NOT NULL)::int AS stored,
                (SELECT coalesce(sum(r.checks), 0) FROM "CheckRollup" r WHERE r."websiteId" = w.id AND r.period = 'HOUR')::int AS rolled
         FROM "Website" w)
       SELECT * FROM counted WHERE stored <> rolled`,
    );
    return rows;
  } finally {
    await client.end();
  }
}

export async function storedResults(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "CheckResult"`);
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}
