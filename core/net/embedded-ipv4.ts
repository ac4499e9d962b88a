/**
 * IPv6 addresses that carry an IPv4 address inside them. A packet to one of these may
 * end up at that IPv4 address (a mapped socket, a 6to4 relay, a Teredo relay, a NAT64
 * gateway, an ISATAP router), so the target policy judges the IPv4 address too:
 * `http://[::127.0.0.1]/` must be refused as loopback, like `http://127.0.0.1/`. Pure.
 *
 * Forms (the IPv4 address's bits in brackets):
 *  - IPv4-mapped        ::ffff:0:0/96          [96–127]
 *  - IPv4-compatible    ::/96 (deprecated)     [96–127]  (not :: and ::1)
 *  - IPv4-translated    ::ffff:0:0:0/96 (SIIT) [96–127]
 *  - NAT64              64:ff9b::/96           [96–127]
 *  - local-use NAT64    64:ff9b:1::/48         [96–127] and the /48 layout of RFC 6052
 *                                              [48–63, 72–87]: both are judged
 *  - 6to4               2002::/16              [16–47]
 *  - Teredo             2001::/32              the server [32–63] and the client
 *                                              [96–127], the latter inverted (obfuscated)
 *  - ISATAP             any prefix, interface id 0:5efe or 200:5efe [96–127]
 * Operators' own NAT64 or 6rd prefixes cannot be recognised from the address alone:
 * those networks stay refused unless the operator allows them (ALLOWED_TARGET_NETWORKS).
 */
import ipaddr from "ipaddr.js";

export type EmbeddingForm =
  "ipv4Mapped" | "ipv4Compatible" | "ipv4Translated" | "nat64" | "nat64LocalUse" | "6to4" | "teredo" | "isatap";

export interface EmbeddedIpv4 {
  form: EmbeddingForm;
  /** Every IPv4 address the form carries (Teredo: server and client). */
  addresses: ipaddr.IPv4[];
}

function ipv4(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/** The IPv4 address(es) `address` carries, or null for an IPv6 address that carries none. */
export function embeddedIpv4(address: ipaddr.IPv6): EmbeddedIpv4 | null {
  const p = address.parts as [number, number, number, number, number, number, number, number];
  const last = ipv4(p[6], p[7]);
  const zeroesUpTo = (n: number) => p.slice(0, n).every((part) => part === 0);
  if (zeroesUpTo(5) && p[5] === 0xffff) return { form: "ipv4Mapped", addresses: [last] };
  if (zeroesUpTo(6)) {
    // :: (unspecified) and ::1 (loopback) are judged as what they are.
    return p[6] === 0 && p[7] <= 1 ? null : { form: "ipv4Compatible", addresses: [last] };
  }
  if (zeroesUpTo(4) && p[4] === 0xffff && p[5] === 0) return { form: "ipv4Translated", addresses: [last] };
  if (p[0] === 0x64 && p[1] === 0xff9b) {
    if (p.slice(2, 6).every((part) => part === 0)) {
      return { form: "nat64", addresses: [last] };
    }
    if (p[2] === 1) {
      // RFC 8215 leaves the prefix length to the operator: read both common layouts; a
      // layout whose field is all zeroes is not the one in use (unless both are).
      const layouts = [last, ipv4(p[3], ((p[4] & 0xff) << 8) | (p[5] >> 8))];
      const used = layouts.filter((candidate) => candidate.toString() !== "0.0.0.0");
      return { form: "nat64LocalUse", addresses: used.length > 0 ? used : layouts };
    }
  }
  if (p[0] === 0x2002) return { form: "6to4", addresses: [ipv4(p[1], p[2])] };
  if (p[0] === 0x2001 && p[1] === 0) {
    return { form: "teredo", addresses: [ipv4(p[2], p[3]), ipv4(~p[6] & 0xffff, ~p[7] & 0xffff)] };
  }
  if ((p[4] === 0 || p[4] === 0x200) && p[5] === 0x5efe) return { form: "isatap", addresses: [last] };
  return null;
}
