/**
 * Limits on heartbeat pings, kept in memory by the process (each ping is already a
 * write; a shared counter would be a second one) and built once by the composition root
 * (caches.server.ts), so /api/push and /api/trpc count together:
 *  - per push token: far above any cron job, far below a flood;
 *  - per client address (an IPv6 client by its /64: core/net/client-address-key.ts), on unknown tokens. The per-token limit cannot slow guessing
 *    (every guess is a new token); this one does. An address that has used it up is
 *    refused (429) before its token is even looked up — from it, a real token and a guess
 *    look the same until the window passes, so a guess can never be told apart.
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
  private readonly guessesPerAddress: number;

  constructor(limits = PUSH_LIMITS) {
    this.guessesPerAddress = limits.unknownTokensPerAddress.points;
    this.perToken = new RateLimiterMemory({ points: limits.pingsPerTokenPerMinute, duration: 60 });
    this.unknownPerAddress = new RateLimiterMemory({
      points: limits.unknownTokensPerAddress.points,
      duration: limits.unknownTokensPerAddress.durationSeconds,
    });
  }

  /** Before a ping is looked up: seconds to wait for an address out of guesses or a token out of pings, else null. */
  async admit(token: string, address: string): Promise<number | null> {
    const guesses = await this.unknownPerAddress.get(clientAddressKey(address));
    if (guesses && guesses.consumedPoints >= this.guessesPerAddress) return waitOf(guesses);
    return this.perToken.consume(token).then(() => null, waitOf);
  }

  /** After a token turned out unknown: counts it against the address; seconds to wait once past the limit, else null. */
  async unknownToken(address: string): Promise<number | null> {
    return this.unknownPerAddress.consume(clientAddressKey(address)).then(() => null, waitOf);
  }
}
