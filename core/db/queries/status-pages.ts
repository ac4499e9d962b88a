/** Status page statements the model API cannot say (services in app/server/services/status-pages/). */
import type { Sql } from "../sql.ts";

/** Locks every claim of a custom domain, in id order, until the transaction ends: one settles them at a time. */
export async function lockDomainClaims(sql: Sql, domain: string): Promise<void> {
  await sql.query(`SELECT id FROM "StatusPageDomain" WHERE domain = $1 ORDER BY id FOR UPDATE`, [domain]);
}
