/**
 * Rate limits on the doors attackers knock on: login, sign-up, password reset,
 * verification resends and status page subscriptions, each per client IP and per email address. Counters live in
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

export type LimitedAction = "login" | "signup" | "reset" | "resend" | "subscribe";

interface Limit {
  points: number;
  durationSeconds: number;
}

/** [per IP, per email]: generous for people, useless for scripts. */
export const LIMITS: Record<LimitedAction, { ip: Limit; email: Limit }> = {
  login: { ip: { points: 30, durationSeconds: 900 }, email: { points: 10, durationSeconds: 900 } },
  signup: { ip: { points: 10, durationSeconds: 3600 }, email: { points: 3, durationSeconds: 3600 } },
  reset: { ip: { points: 10, durationSeconds: 3600 }, email: { points: 3, durationSeconds: 3600 } },
  resend: { ip: { points: 10, durationSeconds: 3600 }, email: { points: 3, durationSeconds: 3600 } },
  subscribe: { ip: { points: 20, durationSeconds: 3600 }, email: { points: 3, durationSeconds: 3600 } },
};

export interface RateLimits {
  /** Counts one attempt; throws RateLimitedError once a limit is used up. */
  consume(action: LimitedAction, keys: { ip: string; email?: string }): Promise<void>;
}

export function createRateLimits(pool: pg.Pool, limits = LIMITS): RateLimits {
  const limiters = new Map<string, RateLimiterAbstract>();
  const limiter = (action: LimitedAction, kind: "ip" | "email") => {
    const name = `${action}:${kind}`;
    let existing = limiters.get(name);
    if (!existing) {
      const { points, durationSeconds } = limits[action][kind];
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
  return {
    async consume(action, keys) {
      const attempts: Promise<unknown>[] = [limiter(action, "ip").consume(keys.ip)];
      if (keys.email) attempts.push(limiter(action, "email").consume(keys.email.toLowerCase()));
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
