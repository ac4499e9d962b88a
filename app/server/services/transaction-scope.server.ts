/**
 * Several service calls as one change: `inOneTransaction(scope, (tx) => …)` runs them on a
 * scope whose store is one database transaction, so a call refused midway (a quota, a
 * schedule that never starts, a domain that is not the owner's to claim) rolls back the
 * calls before it and nothing is left half made. An import writes each item this way.
 *
 * The services stay as they are: a `$transaction` they open inside joins the outer one,
 * reads that could go to a replica read the transaction instead (they must see its own
 * writes), and the caches they invalidate are invalidated once the change is committed —
 * not before, when a visitor could cache what is about to change again, and not at all
 * when it is rolled back. Outside the store, what a service does is done at once (a
 * confirmation mail): call such services last, or not in here.
 */
import type { Db } from "../../../core/db/client.ts";
import type { Prisma } from "../../../core/db/generated/client.ts";
import type { Caches } from "./process/caches.server.ts";
import type { OwnerScope } from "./scope.server.ts";
import { ownershipOf } from "./ownership.server.ts";

/**
 * Long enough for what one item may do inside (a target's DNS lookup with its retries, a
 * logo decoded), so a slow lookup is not turned into a lost transaction.
 */
export const TRANSACTION_TIMEOUT_MS = 60_000;

type Tx = Prisma.TransactionClient;

/** The transaction as a store: a `$transaction` opened on it runs inside it (a callback now, a list in order). */
export function joined(tx: Tx): Db {
  const $transaction = async (work: unknown): Promise<unknown> => {
    if (typeof work === "function") return (work as (tx: Tx) => Promise<unknown>)(tx);
    const results: unknown[] = [];
    for (const query of work as Promise<unknown>[]) results.push(await query);
    return results;
  };
  return new Proxy(tx, {
    get(target, property) {
      if (property === "$transaction") return $transaction;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) as unknown as Db;
}

/** The process's caches, whose invalidations wait in `afterCommit` (reads and the rest go straight through). */
function deferred(caches: Caches, afterCommit: (() => void)[]): Caches {
  const later = <T extends object>(cache: T, method: keyof T & string): T =>
    new Proxy(cache, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== "function") return value;
        const bound = (value as (...args: unknown[]) => unknown).bind(target);
        if (property !== method) return bound;
        return (...args: unknown[]) => void afterCommit.push(() => bound(...args));
      },
    });
  return {
    ...caches,
    publicPages: later(caches.publicPages, "invalidate"),
    hosts: later(caches.hosts, "forget"),
  };
}

export async function inOneTransaction<T>(scope: OwnerScope, work: (scope: OwnerScope) => Promise<T>): Promise<T> {
  const afterCommit: (() => void)[] = [];
  const result = await scope.db.$transaction(
    (tx) => {
      const db = joined(tx);
      return work({
        ...scope,
        db,
        read: <R>(read: (db: Db) => Promise<R>) => read(db),
        // Checks read the transaction (they must see what it made), unshared.
        own: ownershipOf(scope.userId, (read) => read(db)),
        caches: deferred(scope.caches, afterCommit),
      });
    },
    { timeout: TRANSACTION_TIMEOUT_MS },
  );
  for (const invalidate of afterCommit) invalidate();
  return result;
}
