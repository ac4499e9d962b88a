/**
 * Per-account quotas, so one account cannot make this instance work (or mail, or check
 * other people's servers) without bound. Configurable per instance (MAX_*_PER_USER).
 */
import type { Db } from "../../../core/db/client.ts";
import { lockQuota } from "../../../core/db/queries/quotas.ts";
import { sqlOfPrisma } from "../../../core/db/sql.ts";
import type { OwnerScope } from "./scope.server.ts";
import type { Env } from "../../../core/env.ts";
import { ForbiddenError } from "./errors.server.ts";
import { joined, TRANSACTION_TIMEOUT_MS } from "./transaction-scope.server.ts";

export type QuotaEnv = Pick<
  Env,
  | "MAX_MONITORS_PER_USER"
  | "MAX_CHANNELS_PER_USER"
  | "MAX_STATUS_PAGES_PER_USER"
  | "MAX_API_TOKENS_PER_USER"
  | "MAX_MAINTENANCE_WINDOWS_PER_USER"
>;

const QUOTAS = {
  monitors: {
    variable: "MAX_MONITORS_PER_USER",
    label: "monitors",
    count: (db: Db, userId: string) => db.monitor.count({ where: { userId } }),
  },
  channels: {
    variable: "MAX_CHANNELS_PER_USER",
    label: "alert channels",
    count: (db: Db, userId: string) => db.notificationChannel.count({ where: { userId } }),
  },
  statusPages: {
    variable: "MAX_STATUS_PAGES_PER_USER",
    label: "status pages",
    count: (db: Db, userId: string) => db.statusPage.count({ where: { userId } }),
  },
  apiTokens: {
    variable: "MAX_API_TOKENS_PER_USER",
    label: "API tokens",
    count: (db: Db, userId: string) => db.apiToken.count({ where: { userId } }),
  },
  maintenanceWindows: {
    variable: "MAX_MAINTENANCE_WINDOWS_PER_USER",
    label: "maintenance windows not yet over (a recurring maintenance counts the most it has ahead at once)",
    // One-off windows not over, and what each recurring maintenance reserved: the most of
    // its occurrences ever made at once (core/domain/recurrence.ts, windowDemand).
    count: async (db: Db, userId: string) => {
      const [oneOff, recurring] = await Promise.all([
        db.maintenanceWindow.count({ where: { userId, recurringId: null, endsAt: { gt: new Date() } } }),
        db.recurringMaintenance.aggregate({ where: { userId }, _sum: { reservedWindows: true } }),
      ]);
      return oneOff + (recurring._sum.reservedWindows ?? 0);
    },
  },
} as const satisfies Record<
  string,
  { variable: keyof QuotaEnv; label: string; count: (db: Db, userId: string) => Promise<number> }
>;

export type QuotaKind = keyof typeof QUOTAS;

/**
 * Throws a ForbiddenError saying which quota, its size and where it is set, when `adding`
 * more would pass it. On its own it only refuses early (before a costly check such as a
 * target's DNS lookup): two creates can both pass it. What decides is `createWithinQuota`.
 */
export async function assertWithinQuota(
  { db, env, userId }: Pick<OwnerScope, "db" | "env" | "userId">,
  kind: QuotaKind,
  adding = 1,
) {
  const quota = QUOTAS[kind];
  const limit = env[quota.variable];
  const count = await quota.count(db, userId);
  if (count + adding > limit) {
    // Adding several at once (a recurring maintenance's windows), the sum is what passes the limit: say so.
    const needs = adding > 1 ? `; this needs ${adding} more, and` : ";";
    throw new ForbiddenError(
      `You have ${count} ${quota.label}${needs} this instance allows at most ${limit} per account (${quota.variable}). Delete some first, or ask the operator to raise the limit.`,
    );
  }
}

type QuotaScope = Pick<OwnerScope, "db" | "env" | "userId">;

/**
 * Counts and creates as one step: in one transaction that first takes the owner's lock
 * for this kind (core/db/queries/quotas.ts), checks the quota, then runs `create` on the
 * transaction (a `$transaction` it opens joins this one). Concurrent creates by one owner
 * queue at the lock, each counting what the one before committed, so N at quota − 1 make
 * exactly one and the rest get the quota's ForbiddenError. Inside an outer transaction
 * (an import) it joins that one, and the lock is held until it commits.
 *
 * `create` should hold only the writes: checks that may take long (DNS) go before, and
 * anything done outside the database (a mail) after, once committed.
 */
export function createWithinQuota<T>(
  scope: QuotaScope,
  kind: QuotaKind,
  create: (db: Db) => Promise<T>,
  adding = 1,
): Promise<T> {
  return scope.db.$transaction(
    async (tx) => {
      const db = joined(tx);
      await lockQuota(sqlOfPrisma(db), scope.userId, kind);
      await assertWithinQuota({ ...scope, db }, kind, adding);
      return create(db);
    },
    { timeout: TRANSACTION_TIMEOUT_MS },
  );
}
