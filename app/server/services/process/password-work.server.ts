/**
 * Argon2 work, with bounded concurrency in three lanes, so that neither visitors without
 * an account nor signed-in users flooding their own settings can take the CPU and memory
 * that signing in needs.
 *
 * - `signIn`: the public doors of an account — log in, sign up, reset a password.
 * - `owner`: a signed-in owner's own operations — change the password or the email
 *   (checking the current password) and set a private page's password. Each of these is
 *   also rate-limited per user BEFORE it reaches the lane (the `ownerPassword` limit,
 *   rate-limits.server.ts), so one account cannot keep the lane full.
 * - `unlocks`: anonymous visitors trying a private page's password.
 *
 * Each lane runs at most `concurrency` hashes at once and lets at most `waiting` more
 * queue behind them; past that it answers at once with a RateLimitedError (429 with
 * Retry-After), never an open-ended wait.
 *
 * What "slots reserved for sign-in" means here: @node-rs/argon2 runs each hash on
 * libuv's thread pool (UV_THREADPOOL_SIZE, 4 threads by default), the same pool that
 * serves dns.lookup, fs and zlib, and that pool is one FIFO queue with no priorities.
 * So the reservation is made before the pool: the owner and unlock lanes together never
 * have more than ONE hash in that pool (they share one slot, each with its own queue),
 * the sign-in lane at most two, so a sign-in's hash finds at most one other hash ahead of
 * it, and one thread always stays free for fs, DNS and zlib (1 + 2 < 4). Memory is
 * bounded the same way: at most three hashes of the policy's 19 MiB at once, and no hash
 * costlier than the policy is verified at all (crypto.server.ts). One set of lanes per
 * process: the composition root builds it and hands it to both bundles through the load
 * context, like the caches.
 */
import pLimit, { type LimitFunction } from "p-limit";
import type { Logger } from "../../../../core/logger.ts";
import type { RateLimits } from "./rate-limits.server.ts";
import { RateLimitedError } from "../errors.server.ts";
import { hashPassword, verifyPassword } from "../crypto.server.ts";

export type PasswordLane = "signIn" | "owner" | "unlocks";

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
  signIn: { concurrency: 2, waiting: 64, retryAfterSeconds: 5 },
  // Owners' settings: rare for a person, and each user's share is capped before this lane.
  owner: { concurrency: 1, waiting: 8, retryAfterSeconds: 5 },
  // A visitor told "busy, retry in 2 s" loses nothing; a queue of guesses would.
  unlocks: { concurrency: 1, waiting: 4, retryAfterSeconds: 2 },
};

/** The lanes that share one thread of libuv's pool between them (see the header). */
const SHARING_ONE_SLOT: readonly PasswordLane[] = ["owner", "unlocks"];

/** The lane is full: one more would wait too long or hold too much memory. */
export class PasswordWorkBusyError extends RateLimitedError {
  /** Stable across bundles (services/errors.server.ts): "refused because busy", not "limit spent". */
  readonly busy = true;
  constructor(retryAfterSeconds: number) {
    super(retryAfterSeconds);
    this.message = `Too many password attempts are being checked right now. Try again in ${retryAfterSeconds} seconds.`;
  }
}

/** Whether `error` is a lane's "busy" refusal, whichever bundle's copy of the class made it. */
export function isPasswordWorkBusy(error: unknown): boolean {
  return error instanceof Error && (error as { busy?: unknown }).busy === true;
}

export interface LaneOptions {
  /** A slot the job must also hold to run (several lanes, one thread). */
  shared?: LimitFunction;
  /** The refusal of a job past the limit and the queue (default PasswordWorkBusyError). */
  busy?: (retryAfterSeconds: number) => Error;
}

/**
 * A limit on concurrent jobs with a bounded queue: a job past both is refused with
 * `busy(retryAfterSeconds)` (429 with Retry-After), not queued.
 */
export function boundedLane(limit: LaneLimit, options: LaneOptions = {}): <T>(job: () => Promise<T>) => Promise<T> {
  const { shared, busy = (seconds) => new PasswordWorkBusyError(seconds) } = options;
  const run: LimitFunction = pLimit(limit.concurrency);
  return (job) => {
    // Both counts move synchronously when a job is added, so this check cannot race.
    if (run.activeCount + run.pendingCount >= limit.concurrency + limit.waiting) {
      return Promise.reject(busy(limit.retryAfterSeconds));
    }
    return run(shared ? () => shared(job) : job);
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
  const oneSlot = pLimit(1);
  const laneOf = (lane: PasswordLane) =>
    boundedLane(lanes[lane], { shared: SHARING_ONE_SLOT.includes(lane) ? oneSlot : undefined });
  const queues = { signIn: laneOf("signIn"), owner: laneOf("owner"), unlocks: laneOf("unlocks") };
  return {
    hash: (lane, password) => queues[lane](() => hashPassword(password)),
    verify: (lane, passwordHash, password, subject) =>
      verifyPassword(passwordHash, password, logger, queues[lane], subject),
  };
}

/**
 * Every owner operation that runs argon2 (checking the current password, hashing a new
 * one, a page's password) counts against the user's `ownerPassword` limit FIRST, before
 * any hash work: one account looping on them is refused (429) on its own, and never fills
 * the owner lane everyone shares (password-work.server.ts).
 */
export function countOwnerPasswordWork(ctx: {
  rateLimits: RateLimits;
  clientIp: string;
  userId: string;
}): Promise<void> {
  return ctx.rateLimits.consume("ownerPassword", { ip: ctx.clientIp, user: ctx.userId });
}
