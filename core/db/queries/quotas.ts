/**
 * The lock that makes a quota check and the insert it allows one step: held from the
 * check to the end of the transaction (`pg_advisory_xact_lock`), per owner and kind of
 * thing, so two creates by one owner wait for each other, and creates by different
 * owners (or of different kinds) never do. Without it, concurrent creates all count
 * quota − 1 and all insert.
 *
 * The two-key form, in a namespace of our own (the bigint keys of migrate.ts and the
 * runners' housekeeping are another key space): the second key is a hash of owner and
 * kind, so a collision only makes two unrelated creates wait for each other.
 */
import type { Sql } from "../sql.ts";

const QUOTA_LOCK_NAMESPACE = 7_265_105;

/** Waits for, then holds until the transaction ends, the lock of `owner`'s `kind`. Inside a transaction only. */
export async function lockQuota(sql: Sql, owner: string, kind: string): Promise<void> {
  await sql.query("SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock($1::int, hashtext($2))) AS taken", [
    QUOTA_LOCK_NAMESPACE,
    `${kind}:${owner}`,
  ]);
}
