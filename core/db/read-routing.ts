/**
 * Reads that may lag a little (public status pages, badges, feeds, dashboard lists) go
 * to a streaming replica when one is configured (DATABASE_REPLICA_URL); everything else,
 * and every read of a user who has just written, goes to the primary. The replica is
 * watched: unreachable, or more than `maxLagMs` behind the primary, and reads go to the
 * primary until it is back (each change logged). A replica read that fails is tried once
 * more on the primary, so a replica going away between two looks costs no answer.
 */
import type { Logger } from "../logger.ts";
import { createDb, type Db } from "./client.ts";
import { currentWalLsn, replicaLag } from "./queries/health.ts";
import { sqlOfPrisma } from "./sql.ts";

export type ReplicaState = "none" | "starting" | "in use" | "lagging" | "unreachable";

export interface ReadRouting {
  /** `read` runs on the replica when it is usable and `fresh` is false, else on the primary. */
  read<T>(fresh: boolean, read: (db: Db) => Promise<T>): Promise<T>;
  state(): { replica: ReplicaState; lagMs: number | null };
  /** How long after a write its writer's reads stay on the primary (0 without a replica). */
  freshForMs: number;
  stop(): Promise<void>;
}

/** Without a replica: every read on the primary. */
export function primaryOnly(primary: Db): ReadRouting {
  return {
    read: (_fresh, read) => read(primary),
    state: () => ({ replica: "none", lagMs: null }),
    freshForMs: 0,
    stop: () => Promise.resolve(),
  };
}

export interface ReadRoutingOptions {
  primary: Db;
  replicaUrl: string | undefined;
  maxLagMs: number;
  logger: Logger;
  /** How often the replica's lag is measured. */
  checkEveryMs?: number;
}

export function createReadRouting(options: ReadRoutingOptions): ReadRouting {
  const { primary, replicaUrl, maxLagMs, logger } = options;
  if (!replicaUrl) return primaryOnly(primary);
  const replica = createDb(replicaUrl);
  let state: ReplicaState = "starting";
  let measuring = false;
  let lagMs: number | null = null;

  const become = (next: ReplicaState, details: Record<string, unknown> = {}) => {
    if (next === "unreachable") lagMs = null; // no lag known for a replica we cannot reach
    if (next === state) return;
    state = next;
    if (next === "in use") logger.info(details, "database replica in use for reads");
    else if (next === "lagging") logger.warn(details, "database replica lagging: reads go to the primary");
    else logger.warn(details, "database replica unreachable: reads go to the primary");
  };

  /** Lag = 0 once the replica has replayed all the primary had written when we asked. */
  const measure = async () => {
    if (measuring) return; // a look still waiting (an unreachable host): no pile-up
    measuring = true;
    try {
      const row = await replicaLag(sqlOfPrisma(replica), await currentWalLsn(sqlOfPrisma(primary)));
      lagMs = row?.caughtUp ? 0 : (row?.lagMs ?? null);
      if (lagMs !== null && lagMs <= maxLagMs) become("in use");
      else become("lagging", { lagMs, maxLagMs });
    } catch (error) {
      lagMs = null;
      become("unreachable", { err: error });
    } finally {
      measuring = false;
    }
  };
  void measure();
  const timer = setInterval(() => void measure(), options.checkEveryMs ?? 2_000);
  timer.unref();

  return {
    async read(fresh, read) {
      if (fresh || state !== "in use") return read(primary);
      try {
        return await read(replica);
      } catch (error) {
        become("unreachable", { err: error });
        return read(primary);
      }
    },
    state: () => ({ replica: state, lagMs }),
    // A replica in use is at most maxLagMs behind, as of its last look.
    freshForMs: maxLagMs + (options.checkEveryMs ?? 2_000),
    async stop() {
      clearInterval(timer);
      await replica.$disconnect();
    },
  };
}
