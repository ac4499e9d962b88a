/**
 * Rate limits on the doors attackers knock on: login, sign-up, password reset,
 * verification resends and status page subscriptions (per client address, per email
 * address from one client address under a larger per-email ceiling, per page, per
 * address on one page), and on what a signed-in user could turn against others through
 * this instance — test alerts, "check now", bulk actions, mails to subscribers, argon2
 * work on their own settings (per user). Counters live in PostgreSQL
 * (rate-limiter-flexible), so every web process shares them; if the database hiccups, an
 * in-memory limiter stands in.
 */
import type pg from "pg";
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import { clientAddressKey } from "../../../../core/net/client-address-key.ts";
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
  | "logoUpload"
  | "ownerPassword";

interface Limit {
  points: number;
  durationSeconds: number;
}

/**
 * `ipOnPage`: one address on one page (counted when `page` is given), so one visitor never
 * spends another's attempts. `emailOnIp`: one email address from one client address
 * (counted when `email` is given) — the limit that stops guessing at an account.
 * `email` alone is only a ceiling over all client addresses together, well above what one
 * address may spend and with a short window, so reaching it slows a distributed attack
 * rather than locking the owner out for long.
 */
type KeyKind = "ip" | "email" | "emailOnIp" | "user" | "page" | "ipOnPage";
export type LimitKeys = { ip: string } & Partial<Record<Exclude<KeyKind, "ip" | "ipOnPage" | "emailOnIp">, string>>;

const HOUR = 3600;

/**
 * Mails to one address (sign-up, reset, verification, subscription): 3 an hour from one
 * client address, 10 an hour from all together — an inbox is never flooded, and whoever
 * spends an address's attempts from their own client address takes none of its owner's.
 */
const MAIL_TO_ADDRESS = {
  emailOnIp: { points: 3, durationSeconds: HOUR },
  email: { points: 10, durationSeconds: HOUR },
} satisfies Partial<Record<KeyKind, Limit>>;

/**
 * Per kind of key: generous for people, useless for scripts. A key without a limit is not counted.
 *
 * Per-email limits are keyed by email AND client address (OWASP's advice against account
 * lockout: count failures per account and source, so that an attacker's failures lock out
 * only the attacker). A per-email limit alone let anyone lock a victim out by spending the
 * victim's attempts from their own address. What remains per email is a larger ceiling:
 * it bounds a guess spread over many addresses, and is only reached by one.
 */
export const LIMITS: Record<LimitedAction, Partial<Record<KeyKind, Limit>>> = {
  login: {
    ip: { points: 30, durationSeconds: 900 },
    emailOnIp: { points: 10, durationSeconds: 900 },
    // Ten addresses' worth; the 5-minute window makes the wait short for the owner.
    email: { points: 100, durationSeconds: 300 },
  },
  signup: { ip: { points: 10, durationSeconds: HOUR }, ...MAIL_TO_ADDRESS },
  reset: { ip: { points: 10, durationSeconds: HOUR }, ...MAIL_TO_ADDRESS },
  resend: { ip: { points: 10, durationSeconds: HOUR }, ...MAIL_TO_ADDRESS },
  subscribe: {
    ip: { points: 20, durationSeconds: HOUR },
    ...MAIL_TO_ADDRESS,
    page: { points: 100, durationSeconds: HOUR },
  },
  /** Test alerts reach other people's inboxes and endpoints. */
  alertTest: { user: { points: 10, durationSeconds: HOUR } },
  /** Each one is a request to someone's server. */
  checkNow: { user: { points: 120, durationSeconds: HOUR } },
  bulkAction: { user: { points: 60, durationSeconds: HOUR } },
  /** Owner's incident updates and maintenance announcements, each mailed to every subscriber. */
  subscriberMail: { user: { points: 30, durationSeconds: HOUR } },
  /** Each upload is an image decoded (up to 64 MiB of pixels) and encoded again. */
  logoUpload: { user: { points: 30, durationSeconds: HOUR } },
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
  // A client is its IPv4 address or its IPv6 /64 (core/net/client-address-key.ts).
  const client = clientAddressKey(keys.ip);
  if (kind === "ip") return client;
  if (kind === "email") return keys.email?.toLowerCase();
  if (kind === "emailOnIp") return keys.email === undefined ? undefined : `${keys.email.toLowerCase()} ${client}`;
  if (kind === "ipOnPage") return keys.page === undefined ? undefined : `${client} ${keys.page}`;
  return keys[kind];
}

/** Keys shared by many clients: counted only once the caller's own keys admit the attempt. */
const CEILINGS: readonly KeyKind[] = ["email", "page"];

/** Counts one attempt on each; throws RateLimitedError (the longest wait) if any is spent. */
async function consumeAll(counted: { key: string; limiter: RateLimiterAbstract }[]): Promise<void> {
  const results = await Promise.allSettled(counted.map(({ key, limiter }) => limiter.consume(key)));
  const refused = results.flatMap((result) =>
    result.status === "rejected" && result.reason instanceof RateLimiterRes ? [result.reason] : [],
  );
  if (refused.length > 0) {
    throw new RateLimitedError(Math.max(...refused.map((r) => r.msBeforeNext)) / 1000);
  }
  const failed = results.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
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
      return key ? [{ kind, key, limiter: limiter(action, kind, limit) }] : [];
    });
  return {
    async refund(action, keys) {
      await Promise.all(countedBy(action, keys).map(({ key, limiter: counter }) => counter.reward(key, 1)));
    },
    async consume(action, keys) {
      // The caller's own keys first; the shared ceilings only for an attempt those admit,
      // or one address hammering after its own refusal would still fill the ceiling and
      // lock everyone else out through it.
      const counted = countedBy(action, keys);
      await consumeAll(counted.filter(({ kind }) => !CEILINGS.includes(kind)));
      await consumeAll(counted.filter(({ kind }) => CEILINGS.includes(kind)));
    },
  };
}
