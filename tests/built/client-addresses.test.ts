/**
 * Per-address limits on the BUILT server count an IPv6 client by its /64 and an
 * IPv4-mapped IPv6 client as its IPv4 address (core/net/client-address-key.ts): a host
 * that owns a /64 cannot start afresh by moving to the next of its 2^64 addresses.
 * Shown on the per-address limit of unknown push tokens (guesses are cheap to send).
 */
import { afterAll, describe, expect, it } from "vitest";
import { PUSH_LIMITS } from "../../app/server/services/process/push-limits.server.ts";
import { builtDb, builtUrl } from "../support/built-client.ts";
import { callerFor } from "../support/caller.ts";
import { createUser, unique } from "../support/factories.ts";

const db = builtDb();
afterAll(() => db.$disconnect());

/** A guessed push token from `ip` (sent as X-Forwarded-For: a header only, no traffic goes there). */
async function guessFrom(ip: string, token = unique("guess")): Promise<number> {
  const response = await fetch(`${builtUrl()}/api/push/${token}`, { headers: { "x-forwarded-for": ip } });
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

  it("a real push token is looked up first: another client's guesses from the same address never hold it back", async () => {
    const owner = callerFor(db, { user: await createUser(db) });
    const heartbeat = await owner.monitor.create({ type: "HEARTBEAT", periodSeconds: 3600 });
    const real = new URL(heartbeat.pushUrl!).pathname.split("/").at(-1)!;
    // A guesser behind the cron job's address (a NAT, or the same /64) spends its guesses.
    const shared = "2001:db8:64:9::1";
    await spend((n) => `2001:db8:64:9::${(n + 1).toString(16)}`);
    expect(await guessFrom(shared)).toBe(429);
    // The cron job's real token, from that address, is still recorded.
    expect(await guessFrom(shared, real)).toBe(200);
    expect(await db.heartbeatPing.count({ where: { monitorId: heartbeat.id } })).toBe(1);
  });
});
