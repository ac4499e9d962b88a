/**
 * Rate limits on the doors attackers knock on: login, sign-up, password reset,
 * verification resends and status page subscriptions (per client IP, per email address,
 * per page, per address on one page), and on what a signed-in user could turn against others through this
 * instance — test alerts, "check now", bulk actions, mails to subscribers (per user).
 * Counters live in
 * PostgreSQL (rate-limiter-flexible), so every web process shares them; if the database
 * hiccups, an in-memory limiter stands in.
 */
import type pg from "pg";
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import { RateLimitedError } from "../errors.server.ts";

export type LimitedAction =
  | "login"
  | "signup"
  | "reset"
  | "resend"
  | "subscribe"
  | "alertTest"
  | "checkNow"
  | "bulkAction"
  | "subscriberMail"
  | "pageUnlock"
  | "ownerPassword";

interface Limit {
  points: number;
  durationSeconds: number;
}

/** `ipOnPage`: one address on one page (counted when `page` is given), so one visitor never spends another's attempts. */
type KeyKind = "ip" | "email" | "user" | "page" | "ipOnPage";
export type LimitKeys = { ip: string } & Partial<Record<Exclude<KeyKind, "ip" | "ipOnPage">, string>>;

const HOUR = 3600;

/** Per kind of key: generous for people, useless for scripts. A key without a limit is not counted. */
export const LIMITS: Record<LimitedAction, Partial<Record<KeyKind, Limit>>> = {
  login: { ip: { points: 30, durationSeconds: 900 }, email: { points: 10, durationSeconds: 900 } },
  signup: { ip: { points: 10, durationSeconds: HOUR }, email: { points: 3, durationSeconds: HOUR } },
  reset: { ip: { points: 10, durationSeconds: HOUR }, email: { points: 3, durationSeconds: HOUR } },
  resend: { ip: { points: 10, durationSeconds: HOUR }, email: { points: 3, durationSeconds: HOUR } },
  subscribe: {
    ip: { points: 20, durationSeconds: HOUR },
    email: { points: 3, durationSeconds: HOUR },
    page: { points: 100, durationSeconds: HOUR },
  },
  /** Test alerts reach other people's inboxes and endpoints. */
  alertTest: { user: { points: 10, durationSeconds: HOUR } },
  /** Each one is a request to someone's server. */
  checkNow: { user: { points: 120, durationSeconds: HOUR } },
  bulkAction: { user: { points: 60, durationSeconds: HOUR } },
  /** Owner's incident updates and maintenance announcements, each mailed to every subscriber. */
  subscriberMail: { user: { points: 30, durationSeconds: HOUR } },
  /**
   * Passwords of private status pages: guessing one is slow. Per address on the page, and
   * per address over all pages — never page-wide, or one visitor could lock out everyone
   * who holds the password (issue 25). What all visitors together cost is bounded by the
   * unlock lane (password-work.server.ts), which answers "busy" rather than "refused".
   */
  pageUnlock: { ipOnPage: { points: 20, durationSeconds: 900 }, ip: { points: 60, durationSeconds: 900 } },
  /**
   * A signed-in owner's own argon2 work — changing the password or the email (each checks
   * the current password), setting a page's password. Counted before any hash, so one
   * account looping on these never fills the owner lane (password-work.server.ts) for
   * everyone else: a person needs a handful an hour.
   */
  ownerPassword: { user: { points: 10, durationSeconds: 900 } },
};

export interface RateLimits {
  /** Counts one attempt; throws RateLimitedError once a limit is used up. */
  consume(action: LimitedAction, keys: LimitKeys): Promise<void>;
  /**
   * Gives back the attempt `consume` counted, for a call refused for a reason that is not
   * the caller's (the password lane was busy): a person told "busy, retry" keeps their attempts.
   */
  refund(action: LimitedAction, keys: LimitKeys): Promise<void>;
}

function keyOf(kind: KeyKind, keys: LimitKeys): string | undefined {
  if (kind === "email") return keys.email?.toLowerCase();
  if (kind === "ipOnPage") return keys.page === undefined ? undefined : `${keys.ip} ${keys.page}`;
  return keys[kind];
}

export function createRateLimits(pool: pg.Pool, limits = LIMITS): RateLimits {
  const limiters = new Map<string, RateLimiterAbstract>();
  const limiter = (action: LimitedAction, kind: KeyKind, limit: Limit) => {
    const name = `${action}:${kind}`;
    let existing = limiters.get(name);
    if (!existing) {
      const { points, durationSeconds } = limit;
      existing = new RateLimiterPostgres({
        storeClient: pool,
        tableName: "RateLimit",
        tableCreated: true, // created by our migrations
        keyPrefix: name,
        points,
        duration: durationSeconds,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: name, points, duration: durationSeconds }),
      });
      limiters.set(name, existing);
    }
    return existing;
  };
  /** Each counted key of `action` for `keys`, with its limiter. */
  const countedBy = (action: LimitedAction, keys: LimitKeys) =>
    (Object.entries(limits[action]) as [KeyKind, Limit][]).flatMap(([kind, limit]) => {
      const key = keyOf(kind, keys);
      return key ? [{ key, limiter: limiter(action, kind, limit) }] : [];
    });
  return {
    async refund(action, keys) {
      await Promise.all(countedBy(action, keys).map(({ key, limiter: counter }) => counter.reward(key, 1)));
    },
    async consume(action, keys) {
      const attempts = countedBy(action, keys).map(({ key, limiter: counter }) => counter.consume(key));
      const results = await Promise.allSettled(attempts);
      const refused = results.flatMap((result) =>
        result.status === "rejected" && result.reason instanceof RateLimiterRes ? [result.reason] : [],
      );
      if (refused.length > 0) {
        throw new RateLimitedError(Math.max(...refused.map((r) => r.msBeforeNext)) / 1000);
      }
      const failed = results.find((result) => result.status === "rejected");
      if (failed) throw failed.reason;
    },
  };
}
