/**
 * Per-address limits on the BUILT server count an IPv6 client by its /64 and an
 * IPv4-mapped IPv6 client as its IPv4 address (core/net/client-address-key.ts): a host
 * that owns a /64 cannot start afresh by moving to the next of its 2^64 addresses.
 * Shown on the per-address limit of unknown push tokens (guesses are cheap to send).
 */
import { describe, expect, it } from "vitest";
import { PUSH_LIMITS } from "../../app/server/services/monitors/push-limits.server.ts";
import { builtUrl } from "../support/built-client.ts";
import { unique } from "../support/factories.ts";

/** A guessed push token from `ip` (sent as X-Forwarded-For: a header only, no traffic goes there). */
async function guessFrom(ip: string): Promise<number> {
  const response = await fetch(`${builtUrl()}/api/push/${unique("guess")}`, { headers: { "x-forwarded-for": ip } });
  await response.body?.cancel();
  return response.status;
}

/** Spends an address's unknown-token guesses, each from a different address of `addresses`. */
async function spend(addresses: (n: number) => string): Promise<void> {
  for (let n = 1; n <= PUSH_LIMITS.unknownTokensPerAddress.points; n += 1) {
    expect(await guessFrom(addresses(n))).toBe(404);
  }
}

describe("client addresses of per-address limits (built server)", () => {
  it("an IPv6 client is its /64: new addresses in it are refused, another /64 is not", async () => {
    await spend((n) => `2001:db8:64:1::${n.toString(16)}`);
    expect(await guessFrom("2001:db8:64:1:ffff:ffff:ffff:fffe")).toBe(429);
    expect(await guessFrom("2001:db8:64:2::1")).toBe(404);
  });

  it("an IPv4-mapped IPv6 client is its IPv4 address", async () => {
    await spend(() => "::ffff:198.51.100.240");
    expect(await guessFrom("198.51.100.240")).toBe(429);
    expect(await guessFrom("198.51.100.241")).toBe(404);
  });
});
