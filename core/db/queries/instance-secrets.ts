/**
 * InstanceSecret: keys of this instance's kept in the database (link signing), so every
 * process — the runner that writes a mail, the web process that follows its link — reads
 * the same one without sharing configuration.
 */
import type { Sql } from "../sql.ts";

interface SecretRow {
  value: string;
}

/**
 * The secret named `name`, stored as `fresh` first if there is none. Several processes
 * may race: one insert wins (ON CONFLICT waits for a racing commit), all read the winner.
 */
export async function instanceSecret(sql: Sql, name: string, fresh: string): Promise<string | undefined> {
  await sql.execute(`INSERT INTO "InstanceSecret" (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [
    name,
    fresh,
  ]);
  const [row] = await sql.query<SecretRow>(`SELECT value FROM "InstanceSecret" WHERE name = $1`, [name]);
  return row?.value;
}
