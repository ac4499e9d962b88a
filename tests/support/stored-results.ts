/**
 * Stored check results per monitored URL, read straight from the store: tests compare
 * them with the hits their target saw ("every hit is a stored result").
 */
import pg from "pg";

export async function storedResultCounts(databaseUrl: string): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ url: string; count: string }>(
      `SELECT w.url, count(r.id) AS count FROM "Website" w LEFT JOIN "CheckResult" r ON r."websiteId" = w.id GROUP BY w.url`,
    );
    return new Map(rows.map((row) => [row.url, Number(row.count)]));
  } finally {
    await client.end();
  }
}
