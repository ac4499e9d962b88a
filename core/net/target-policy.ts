/**
 * Which addresses a monitor (or webhook) may reach. Monitored URLs are user input: left
 * alone, they would let any user probe the operator's private network or a cloud
 * metadata service (SSRF). So a target is refused when the address it resolves to is
 * not public unicast — private, loopback, link-local, unique-local, multicast,
 * unspecified, carrier-grade NAT, cloud metadata, reserved or IPv6 transition forms —
 * unless the operator allows its network by CIDR (ALLOWED_TARGET_NETWORKS).
 *
 * The decision is made on resolved IPs, and the check connects to exactly the IP that
 * was approved (see workers/engine/http-check.ts), so DNS rebinding cannot swap in
 * another address between the check and the connection. Redirects go through the
 * same gate on every hop.
 */
import ipaddr from "ipaddr.js";

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
  "6to4": "an IPv6 transition (6to4)",
  teredo: "an IPv6 transition (Teredo)",
  rfc6052: "an IPv6 transition (NAT64)",
  rfc6145: "an IPv6 transition (SIIT)",
  discard: "a discard-only",
};

/** Normalises `::ffff:10.0.0.1` to `10.0.0.1`, so a mapped address is judged as IPv4. */
function normalise(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const parsed = ipaddr.parse(address.replace(/^\[|\]$/g, ""));
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed;
}

/** Why this address is refused, or null when it may be reached. */
export function refusalReason(address: string, policy: TargetPolicy): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = normalise(address);
  } catch {
    return "an invalid";
  }
  const allowed = policy.allowedNetworks.some(
    ([network, bits]) => network.kind() === parsed.kind() && parsed.match([network, bits] as never),
  );
  if (allowed) return null;
  if (CLOUD_METADATA.has(parsed.toString())) return "a cloud metadata";
  const range = parsed.range();
  if (range === "unicast") return null;
  return RANGE_NAMES[range] ?? `a ${range}`;
}

export function isIpLiteral(hostname: string): boolean {
  return ipaddr.isValid(hostname.replace(/^\[|\]$/g, ""));
}

/**
 * The address to connect to for `hostname`, after checking every address it resolves
 * to: one refused address refuses the host (an attacker controls which one a client
 * would pick). IP literals are judged as they are; URL parsing has already turned
 * decimal and hex forms (http://2130706433/, http://0x7f.1/) into dotted quads.
 */
export async function approveTarget(hostname: string, policy: TargetPolicy, resolve: Resolver): Promise<string> {
  const bare = hostname.replace(/^\[|\]$/g, "");
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
    const reason = refusalReason(address, policy);
    if (reason) throw new TargetRefusedError(normalise(address).toString(), reason);
  }
  return addresses[0]!;
}
