/** Rows in each of the app's tables (a partitioned table counts its partitions' rows). */
import pg from "pg";
import { connectionSettingsFromUrl } from "../../connection.mjs";
import type { TableCounts } from "./manifest.ts";

export async function tableRowCounts(url: string): Promise<TableCounts> {
  const settings = connectionSettingsFromUrl(url);
  const client = new pg.Client({ ...settings.poolConfig });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname`,
      [settings.schema ?? "public"],
    );
    const counts: TableCounts = {};
    for (const { name } of rows) {
      const result = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${client.escapeIdentifier(name)}`);
      counts[name] = Number(result.rows[0]!.n);
    }
    return counts;
  } finally {
    await client.end().catch(() => undefined);
  }
}
