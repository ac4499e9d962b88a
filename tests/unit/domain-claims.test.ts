/**
 * Who holds a custom domain (core/domain/domain-claims.ts): the holder keeps it until its
 * own record is gone; a later proof waits and takes over by itself.
 */
import { describe, expect, it } from "vitest";
import {
  settleClaims,
  txtValue,
  type Claim,
  type ClaimUpdate,
  type TxtLookup,
} from "../../core/domain/domain-claims.ts";

const DOMAIN = "status.victim.example";
const NOW = new Date("2026-12-07T12:00:00Z");
const EARLIER = new Date("2026-12-06T12:00:00Z");

function claim(id: string, status: Claim["status"], waitingSince: Date | null = null): Claim {
  return { id, status, verificationToken: `token-${id}`, waitingSince, createdAt: new Date("2026-12-01T00:00:00Z") };
}
/** The TXT records published at _better-uptime.<domain>: the values of these claims. */
const published = (...ids: string[]): TxtLookup => ({ records: ids.map((id) => [txtValue(`token-${id}`)]) });
const error = (code: string): TxtLookup => ({ error: { code } });
const byId = (updates: ClaimUpdate[]) => Object.fromEntries(updates.map(({ id, ...rest }) => [id, rest]));

describe("a later proof does not move a verified domain", () => {
  it("waits while the holder's value is still published, with the reason", () => {
    const updates = settleClaims(
      DOMAIN,
      [claim("a", "VERIFIED"), claim("b", "PENDING")],
      published("a", "b"),
      { claimId: "b" },
      NOW,
    );
    expect(byId(updates)).toEqual({
      a: { status: "VERIFIED", failureReason: null, waitingSince: null, lastCheckedAt: NOW },
      b: {
        status: "PENDING",
        failureReason: expect.stringMatching(/^status\.victim\.example is verified for another status page/) as unknown,
        waitingSince: NOW,
        verifiedAt: null,
        lastCheckedAt: NOW,
      },
    });
  });

  it("takes over at once when the holder's value is gone, the holder failing first", () => {
    const updates = settleClaims(
      DOMAIN,
      [claim("a", "VERIFIED"), claim("b", "PENDING", EARLIER)],
      published("b"),
      { claimId: "b" },
      NOW,
    );
    expect(updates.map((update) => [update.id, update.status])).toEqual([
      ["a", "FAILED"],
      ["b", "VERIFIED"],
    ]);
    expect(updates[0]!.failureReason).toBe(
      `The TXT record at _better-uptime.${DOMAIN} is "${txtValue("token-b")}", not "${txtValue("token-a")}". Correct it, then verify again.`,
    );
  });

  it("a claim without its own value published cannot make the holder fail, even when the holder's is gone", () => {
    const updates = settleClaims(
      DOMAIN,
      [claim("a", "VERIFIED"), claim("b", "PENDING")],
      published(),
      { claimId: "b" },
      NOW,
    );
    expect(byId(updates)).toEqual({
      b: expect.objectContaining({ status: "FAILED", failureReason: expect.stringMatching(/^No TXT record found/) }),
    });
  });
});

describe("the holder's own checks and the daily re-check", () => {
  it("the holder whose record is gone fails, and the longest-waiting claim still published takes over", () => {
    const claims = [
      claim("a", "VERIFIED"),
      claim("late", "PENDING", NOW),
      claim("early", "PENDING", EARLIER),
      claim("gone", "PENDING", EARLIER),
      claim("plain", "PENDING"), // never proved: the re-check leaves it to its owner
    ];
    const updates = settleClaims(DOMAIN, claims, published("late", "early"), "recheck", NOW);
    expect(Object.fromEntries(updates.map((update) => [update.id, update.status]))).toEqual({
      a: "FAILED",
      early: "VERIFIED",
      late: "PENDING",
      gone: "FAILED",
    });
    expect(updates.at(-1)).toMatchObject({ id: "early", status: "VERIFIED" }); // after every FAILED
    expect(byId(updates).late).toMatchObject({ waitingSince: NOW });
  });

  it("the holder verifying again keeps the domain while its value is published", () => {
    const updates = settleClaims(
      DOMAIN,
      [claim("a", "VERIFIED"), claim("b", "PENDING", EARLIER)],
      published("a", "b"),
      { claimId: "a" },
      NOW,
    );
    expect(byId(updates)).toMatchObject({
      a: { status: "VERIFIED" },
      b: { status: "PENDING", waitingSince: EARLIER },
    });
  });

  it("a DNS timeout is no verdict: nothing changes at the re-check, and a holder who asks keeps the domain", () => {
    const claims = [claim("a", "VERIFIED"), claim("b", "PENDING", EARLIER)];
    expect(settleClaims(DOMAIN, claims, error("ETIMEOUT"), "recheck", NOW)).toEqual([]);
    expect(settleClaims(DOMAIN, claims, error("ETIMEOUT"), { claimId: "a" }, NOW)).toEqual([
      { id: "a", status: "VERIFIED", failureReason: expect.stringMatching(/timed out/) as unknown, waitingSince: null },
    ]);
    // A claim not yet verified is told to try again, as before.
    expect(byId(settleClaims(DOMAIN, claims, error("ETIMEOUT"), { claimId: "b" }, NOW))).toEqual({
      b: expect.objectContaining({ status: "FAILED", failureReason: expect.stringMatching(/timed out/) }),
    });
  });

  it("no such record (NXDOMAIN) is a verdict: the holder fails and nobody takes over", () => {
    const updates = settleClaims(
      DOMAIN,
      [claim("a", "VERIFIED"), claim("b", "PENDING", EARLIER)],
      error("ENOTFOUND"),
      "recheck",
      NOW,
    );
    expect(updates.map((update) => [update.id, update.status])).toEqual([
      ["a", "FAILED"],
      ["b", "FAILED"],
    ]);
  });

  it("with no holder, a proven claim verifies at once", () => {
    expect(settleClaims(DOMAIN, [claim("b", "FAILED")], published("b"), { claimId: "b" }, NOW)).toEqual([
      { id: "b", status: "VERIFIED", failureReason: null, waitingSince: null, verifiedAt: NOW, lastCheckedAt: NOW },
    ]);
  });
});
