import type { RunnerLiveness } from "../../../core/runner/liveness.ts";
import type { Db } from "../../../core/db/client.ts";
import { oldestPendingAlertSeconds, ping } from "../../../core/db/queries/health.ts";
import { sqlOfPrisma } from "../../../core/db/sql.ts";
import type { ReplicaState } from "../../../core/db/read-routing.ts";

export type { RunnerLiveness };

export interface RunnerHealth {
  /** Why the runner is considered stuck, or null. */
  stalled: string | null;
  lastClaimSecondsAgo: number;
  lastFlushSecondsAgo: number;
  lastAlertClaimSecondsAgo: number;
  writerQueue: number;
}

export interface Health {
  status: "ok" | "degraded";
  database: "up" | "down";
  /** This process's runner; null when it runs none (RUNNER_ENABLED=false). */
  runner: RunnerHealth | null;
  /** Age of the oldest alert not delivered yet (retrying included), null when none or unknown. */
  oldestPendingAlertSeconds: number | null;
  /**
   * The read replica (DATABASE_REPLICA_URL), as last measured. Informational: when it is
   * unreachable or lagging, reads go to the primary and nothing is degraded.
   */
  replica: { state: ReplicaState; lagSeconds: number | null };
  uptimeSeconds: number;
}

export interface HealthOptions {
  liveness?: RunnerLiveness;
  replica?: { replica: ReplicaState; lagMs: number | null };
  /** A runner loop silent for longer than this is stuck. */
  stallAfterMs: number;
  now?: number;
}

const DATABASE_TIMEOUT_MS = 2_000;

/** Why a runner is stuck (pure): a loop that has made no progress for longer than `stallAfterMs`. */
export function runnerStall(liveness: RunnerLiveness, now: number, stallAfterMs: number): string | null {
  const silent = (at: number) => now - at > stallAfterMs;
  const seconds = (at: number) => Math.round((now - at) / 1000);
  if (silent(liveness.lastClaimAt)) return `no checks claimed for ${seconds(liveness.lastClaimAt)} s`;
  if (silent(liveness.lastFlushAt))
    return `${liveness.writerQueue} results unwritten for ${seconds(liveness.lastFlushAt)} s`;
  if (silent(liveness.lastAlertClaimAt)) return `no alerts claimed for ${seconds(liveness.lastAlertClaimAt)} s`;
  return null;
}

function withinTimeout<T>(promise: Promise<T>, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), DATABASE_TIMEOUT_MS)));
  return Promise.race([promise.catch(() => fallback), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Whether the app can do its job: the database answers a query quickly, and the runner
 * in this process (if any) is making progress.
 */
export async function checkHealth({ db }: { db: Db }, options: HealthOptions): Promise<Health> {
  const now = options.now ?? Date.now();
  const sql = sqlOfPrisma(db);
  const databaseUp = await withinTimeout(
    ping(sql).then(() => true),
    false,
  );
  const oldest = databaseUp ? await withinTimeout(oldestPendingAlertSeconds(sql), null) : null;
  const liveness = options.liveness;
  const runner: RunnerHealth | null = liveness
    ? {
        stalled: runnerStall(liveness, now, options.stallAfterMs),
        lastClaimSecondsAgo: Math.round((now - liveness.lastClaimAt) / 1000),
        lastFlushSecondsAgo: Math.round((now - liveness.lastFlushAt) / 1000),
        lastAlertClaimSecondsAgo: Math.round((now - liveness.lastAlertClaimAt) / 1000),
        writerQueue: liveness.writerQueue,
      }
    : null;
  return {
    status: databaseUp && !runner?.stalled ? "ok" : "degraded",
    database: databaseUp ? "up" : "down",
    runner,
    oldestPendingAlertSeconds: oldest === null ? null : Math.round(oldest),
    replica: {
      state: options.replica?.replica ?? "none",
      lagSeconds: options.replica?.lagMs == null ? null : Math.round(options.replica.lagMs / 100) / 10,
    },
    uptimeSeconds: Math.round(process.uptime()),
  };
}
