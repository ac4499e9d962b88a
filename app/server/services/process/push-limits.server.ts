/**
 * Limits on heartbeat pings, kept in memory by the process (each ping is already a
 * write; a shared counter would be a second one) and built once by the composition root
 * (caches.server.ts), so /api/push and /api/trpc count together:
 *  - per push token: far above any cron job, far below a flood;
 *  - per client address (an IPv6 client by its /64: core/net/client-address-key.ts), on
 *    unknown tokens. The per-token limit cannot slow guessing (every guess is a new
 *    token); this one does. It counts and refuses only unknown tokens, AFTER the lookup:
 *    a real token is never held back by guesses sent from its address — a NAT, an office
 *    or a /64 is shared with others, and one neighbour's mistakes must not silence every
 *    cron job behind it. Telling a hit apart gains a guesser nothing: tokens are 192
 *    random bits (monitor-types.server.ts).
 */
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { clientAddressKey } from "../../../../core/net/client-address-key.ts";

export const PUSH_LIMITS = {
  pingsPerTokenPerMinute: 60,
  unknownTokensPerAddress: { points: 30, durationSeconds: 600 },
};

/**
 * Seconds until the limit lets a request through again. Answers, not errors: this object
 * is built in the server bundle and called from the Remix bundle too, where an error
 * class of the other bundle's would not be recognised (the caller throws its own).
 */
function waitOf(error: unknown): number {
  if (error instanceof RateLimiterRes) return Math.max(1, Math.ceil(error.msBeforeNext / 1000));
  throw error;
}

export class PushLimits {
  private readonly perToken: RateLimiterMemory;
  private readonly unknownPerAddress: RateLimiterMemory;

  constructor(limits = PUSH_LIMITS) {
    this.perToken = new RateLimiterMemory({ points: limits.pingsPerTokenPerMinute, duration: 60 });
    this.unknownPerAddress = new RateLimiterMemory({
      points: limits.unknownTokensPerAddress.points,
      duration: limits.unknownTokensPerAddress.durationSeconds,
    });
  }

  /** Before a ping is looked up: counts it against its token; seconds to wait once the token is out of pings, else null. */
  async admit(token: string): Promise<number | null> {
    return this.perToken.consume(token).then(() => null, waitOf);
  }

  /**
   * After a token turned out unknown: forgets its count (a guess leaves no entry behind)
   * and counts it against the address; seconds to wait once past the limit, else null.
   */
  async unknownToken(token: string, address: string): Promise<number | null> {
    await this.perToken.delete(token);
    return this.unknownPerAddress.consume(clientAddressKey(address)).then(() => null, waitOf);
  }
}
