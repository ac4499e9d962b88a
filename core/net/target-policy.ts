/**
 * Which addresses a monitor (or webhook) may reach. Monitored URLs are user input: left
 * alone, they would let any user probe the operator's private network or a cloud
 * metadata service (SSRF). So a target is refused when the address it resolves to is
 * not public unicast — private, loopback, link-local, unique-local, multicast,
 * unspecified, carrier-grade NAT, cloud metadata, reserved or IPv6 transition forms —
 * unless the operator allows its network by CIDR (ALLOWED_TARGET_NETWORKS). An IPv6
 * address carrying an IPv4 address (mapped, compatible, 6to4, Teredo, NAT64, …) is
 * judged by that IPv4 address as well (judgeAddress).
 *
 * The decision is made on resolved IPs, and the check connects to exactly the IP that
 * was approved (see workers/engine/probes/http.ts), so DNS rebinding cannot swap in
 * another address between the check and the connection. Redirects go through the
 * same gate on every hop.
 */
import ipaddr from "ipaddr.js";
import { embeddedIpv4, type EmbeddingForm } from "./embedded-ipv4.ts";

export type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

export interface TargetPolicy {
  allowedNetworks: readonly Cidr[];
}

/**
 * Resolves a host name to every address it has: target-resolver.server.ts in the app,
 * injected in tests.
 */
export type Resolver = (hostname: string) => Promise<string[]>;

/** The refusal, with a message meant for the monitor's owner. */
export class TargetRefusedError extends Error {
  override name = "TargetRefusedError";
  constructor(
    readonly address: string,
    readonly kind: string,
  ) {
    super(
      `${address} is ${kind} address; only public addresses can be monitored ` +
        "(the operator can allow networks with ALLOWED_TARGET_NETWORKS)",
    );
  }
}

export class TargetResolutionError extends Error {
  override name = "TargetResolutionError";
}

/** "127.0.0.0/8,::1/128" → CIDRs. Throws with the offending entry. */
export function parseAllowedNetworks(spec: string): Cidr[] {
  return spec
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      try {
        return entry.includes("/") ? ipaddr.parseCIDR(entry) : toCidr(entry);
      } catch {
        throw new TypeError(`"${entry}" is not a CIDR network (e.g. 10.1.0.0/16 or fd00::/8)`);
      }
    });
}

/** The inverse of parseAllowedNetworks, to hand the policy to worker threads as text. */
export function formatAllowedNetworks(networks: readonly Cidr[]): string {
  return networks.map(([address, bits]) => `${address.toString()}/${bits}`).join(",");
}

function toCidr(address: string): Cidr {
  const parsed = ipaddr.parse(address);
  return [parsed, parsed.kind() === "ipv4" ? 32 : 128];
}

const CLOUD_METADATA = new Set(["169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200"]);

const RANGE_NAMES: Record<string, string> = {
  private: "a private",
  loopback: "a loopback",
  linkLocal: "a link-local",
  uniqueLocal: "a unique-local",
  multicast: "a multicast",
  unspecified: "an unspecified",
  broadcast: "a broadcast",
  carrierGradeNat: "a carrier-grade NAT",
  reserved: "a reserved",
  discard: "a discard-only",
  // No names for ipaddr.js's transition ranges (6to4, Teredo, NAT64, SIIT, mapped):
  // every address in them carries an IPv4 address, so judgeAddress names it by its form
  // (FORM_NAMES) and never asks this table.
};

/** How an IPv6 form carrying an IPv4 address is named when the form itself is refused. */
const FORM_NAMES: Record<Exclude<EmbeddingForm, "ipv4Mapped" | "isatap">, string> = {
  ipv4Compatible: "an IPv4-compatible IPv6 (deprecated)",
  ipv4Translated: "an IPv6 transition (SIIT)",
  nat64: "an IPv6 transition (NAT64)",
  nat64LocalUse: "a local-use NAT64",
  "6to4": "an IPv6 transition (6to4)",
  teredo: "an IPv6 transition (Teredo)",
};

/** A host as a URL writes it, without the brackets around an IPv6 literal. */
function unbracketed(host: string): string {
  return host.replace(/^\[|\]$/g, "");
}

/**
 * An IP address, brackets allowed. `::` with a dotted IPv4 tail is read by hand:
 * ipaddr.js reads `::127.0.0.1` as `::ffff:127.0.0.1` (mapped), while the socket would go
 * to `::7f00:1` — and that dotted form is how c-ares and /etc/hosts write such addresses.
 * Every other dotted tail (`64:ff9b::127.0.0.1`, `::ffff:0:127.0.0.1`) ipaddr.js reads right.
 */
export function parseIp(text: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const bare = unbracketed(text);
  const compatible = /^::(\d{1,3}(?:\.\d{1,3}){3})$/.exec(bare);
  if (!compatible) return ipaddr.parse(bare);
  const [a, b, c, d] = ipaddr.IPv4.parse(compatible[1]!).octets as [number, number, number, number];
  return ipaddr.IPv6.parse(`::${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`);
}

/** A refused address as the owner is told it, and what kind of address it is. */
export interface Refusal {
  address: string;
  kind: string;
}

function allowedByOperator(ip: ipaddr.IPv4 | ipaddr.IPv6, policy: TargetPolicy): boolean {
  return policy.allowedNetworks.some(
    ([network, bits]) => network.kind() === ip.kind() && ip.match([network, bits] as never),
  );
}

/** Why this one address (no embedded forms considered) is refused, or null. */
function rangeRefusal(ip: ipaddr.IPv4 | ipaddr.IPv6, policy: TargetPolicy): string | null {
  if (allowedByOperator(ip, policy)) return null;
  if (CLOUD_METADATA.has(ip.toString())) return "a cloud metadata";
  const range = ip.range();
  if (range === "unicast") return null;
  return RANGE_NAMES[range] ?? `a ${range}`;
}

/**
 * Why `address` is refused, or null when it may be reached. An IPv6 address carrying an
 * IPv4 address (core/net/embedded-ipv4.ts) is judged by that address first — any one
 * refused refuses it, named as that address. An IPv4-mapped address is then simply that
 * IPv4 address (the socket connects to it); the tunnelling forms (IPv4-compatible, SIIT,
 * NAT64, 6to4, Teredo) are refused even around a public address unless the operator
 * allows their IPv6 network, since where the relay delivers is not ours to vouch for.
 */
export function judgeAddress(address: string, policy: TargetPolicy): Refusal | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = parseIp(address);
  } catch {
    return { address, kind: "an invalid" };
  }
  const refusal = (ip: ipaddr.IPv4 | ipaddr.IPv6, shown = ip.toString()) => {
    const kind = rangeRefusal(ip, policy);
    return kind ? { address: shown, kind } : null;
  };
  if (parsed.kind() === "ipv4") return refusal(parsed);
  const ipv6 = parsed as ipaddr.IPv6;
  const embedded = embeddedIpv4(ipv6);
  if (!embedded) return refusal(ipv6);
  if (embedded.form === "ipv4Mapped") return refusal(embedded.addresses[0]!);
  for (const inner of embedded.addresses) {
    const refused = refusal(inner, `${inner.toString()} (inside ${ipv6.toString()})`);
    if (refused) return refused;
  }
  if (embedded.form === "isatap") return refusal(ipv6);
  return allowedByOperator(ipv6, policy) ? null : { address: ipv6.toString(), kind: FORM_NAMES[embedded.form] };
}

/** Why this address is refused (its kind, e.g. "a loopback"), or null when it may be reached. */
export function refusalReason(address: string, policy: TargetPolicy): string | null {
  return judgeAddress(address, policy)?.kind ?? null;
}

export function isIpLiteral(hostname: string): boolean {
  return ipaddr.isValid(unbracketed(hostname));
}

/**
 * The address to connect to for `hostname`, after checking every address it resolves
 * to: one refused address refuses the host (an attacker controls which one a client
 * would pick). IP literals are judged as they are; URL parsing has already turned
 * decimal and hex forms (http://2130706433/, http://0x7f.1/) into dotted quads.
 */
export async function approveTarget(hostname: string, policy: TargetPolicy, resolve: Resolver): Promise<string> {
  const bare = unbracketed(hostname);
  let addresses: string[];
  if (isIpLiteral(bare)) {
    addresses = [bare];
  } else {
    try {
      addresses = await resolve(bare);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new TargetResolutionError(
        code === "ENOTFOUND" || code === "ENODATA"
          ? `${bare} does not resolve (DNS ${code})`
          : `DNS lookup of ${bare} failed (${code ?? String(error)})`,
      );
    }
    if (addresses.length === 0) throw new TargetResolutionError(`${bare} does not resolve`);
  }
  for (const address of addresses) {
    const refused = judgeAddress(address, policy);
    if (refused) throw new TargetRefusedError(refused.address, refused.kind);
  }
  // In its canonical form: the socket gets exactly the address that was judged.
  return parseIp(addresses[0]!).toString();
}
