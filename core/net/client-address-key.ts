/**
 * The key a per-address rate limit counts a client by. Pure.
 *
 * - IPv4: the address itself.
 * - IPv6: its /64 prefix. One host (one customer line, one cloud instance) is routinely
 *   handed a whole /64 and can use any of its 2^64 addresses, so counting per address
 *   would give it 2^64 fresh budgets; the /64 is the smallest block one subscriber owns
 *   (RFC 6177, and the prefix SLAAC hosts live in).
 * - IPv4-mapped IPv6 (`::ffff:192.0.2.1`, as a dual-stack socket reports IPv4 clients):
 *   judged as the IPv4 address, so one client is one key however its address is written.
 * - Anything that is not an IP address ("unknown") is kept as it is.
 */
import ipaddr from "ipaddr.js";

export function clientAddressKey(address: string): string {
  const bare = address.trim().replace(/%.*$/, ""); // a zone index (fe80::1%eth0) names no other host
  if (!ipaddr.isValid(bare)) return address;
  const parsed = ipaddr.parse(bare);
  if (parsed.kind() === "ipv4") return parsed.toString();
  const ipv6 = parsed as ipaddr.IPv6;
  if (ipv6.isIPv4MappedAddress()) return ipv6.toIPv4Address().toString();
  const prefix = ipv6.parts.slice(0, 4).map((part) => part.toString(16));
  return `${prefix.join(":")}::/64`;
}
