/**
 * Argon2 work, with bounded concurrency in two lanes, so that nobody without an account
 * can take the CPU and memory that signing in needs.
 *
 * - `accounts`: everything for a user account — log in, sign up, change or reset a
 *   password — and an owner setting a page's password.
 * - `unlocks`: anonymous visitors trying a private page's password.
 *
 * Each lane runs at most `concurrency` hashes at once and lets at most `waiting` more
 * queue behind them; past that it answers at once with a RateLimitedError (429 with
 * Retry-After), never an open-ended wait.
 *
 * What "slots reserved for sign-in" means here: @node-rs/argon2 runs each hash on
 * libuv's thread pool (UV_THREADPOOL_SIZE, 4 threads by default), the same pool that
 * serves dns.lookup, fs and zlib, and that pool is one FIFO queue with no priorities.
 * So the reservation is made before the pool: the unlock lane never has more than ONE
 * hash in that pool, the accounts lane at most two, so a sign-in's hash finds at most
 * one visitor's hash ahead of it, and one thread always stays free for fs, DNS and zlib
 * (1 + 2 < 4). Memory is bounded the same way: at most three hashes of the policy's
 * 19 MiB at once, and no hash costlier than the policy is verified at all
 * (crypto.server.ts). One set of lanes per process: the composition root builds it and
 * hands it to both bundles through the load context, like the caches.
 */
import pLimit, { type LimitFunction } from "p-limit";
import type { Logger } from "../../../../core/logger.ts";
import { RateLimitedError } from "../errors.server.ts";
import { hashPassword, verifyPassword } from "./crypto.server.ts";

export type PasswordLane = "accounts" | "unlocks";

export interface LaneLimit {
  /** Hashes running at once. */
  concurrency: number;
  /** Hashes queued behind those; one more is refused. */
  waiting: number;
  /** What the refusal's Retry-After says. */
  retryAfterSeconds: number;
}

export const PASSWORD_LANES: Record<PasswordLane, LaneLimit> = {
  // Sign-ins queue rather than fail: they are few (rate-limited per address and email)
  // and a person is waiting; the bound only keeps a flood from holding memory.
  accounts: { concurrency: 2, waiting: 64, retryAfterSeconds: 5 },
  // A visitor told "busy, retry in 2 s" loses nothing; a queue of guesses would.
  unlocks: { concurrency: 1, waiting: 4, retryAfterSeconds: 2 },
};

/** The lane is full: one more would wait too long or hold too much memory. */
export class PasswordWorkBusyError extends RateLimitedError {
  constructor(retryAfterSeconds: number) {
    super(retryAfterSeconds);
    this.message = `Too many password attempts are being checked right now. Try again in ${retryAfterSeconds} seconds.`;
  }
}

/**
 * A limit on concurrent jobs with a bounded queue: a job past both is refused with
 * `busy(retryAfterSeconds)` (a RateLimitedError: 429 with Retry-After), not queued.
 */
export function boundedLane(
  limit: LaneLimit,
  busy: (retryAfterSeconds: number) => Error = (seconds) => new PasswordWorkBusyError(seconds),
): <T>(job: () => Promise<T>) => Promise<T> {
  const run: LimitFunction = pLimit(limit.concurrency);
  return (job) => {
    // Both counts move synchronously when a job is added, so this check cannot race.
    if (run.activeCount + run.pendingCount >= limit.concurrency + limit.waiting) {
      return Promise.reject(busy(limit.retryAfterSeconds));
    }
    return run(job);
  };
}

export interface PasswordWork {
  hash(lane: PasswordLane, password: string): Promise<string>;
  /**
   * False for a wrong password and for a stored hash outside the policy (see
   * crypto.server.ts), which is logged with `subject` (whose hash: `{ pageId }`, `{ userId }`).
   */
  verify(
    lane: PasswordLane,
    passwordHash: string | null,
    password: string,
    subject?: Record<string, string>,
  ): Promise<boolean>;
}

export function createPasswordWork({
  logger,
  lanes = PASSWORD_LANES,
}: {
  logger: Pick<Logger, "warn">;
  lanes?: Record<PasswordLane, LaneLimit>;
}): PasswordWork {
  const queues = { accounts: boundedLane(lanes.accounts), unlocks: boundedLane(lanes.unlocks) };
  return {
    hash: (lane, password) => queues[lane](() => hashPassword(password)),
    verify: (lane, passwordHash, password, subject) =>
      verifyPassword(passwordHash, password, logger, queues[lane], subject),
  };
}
