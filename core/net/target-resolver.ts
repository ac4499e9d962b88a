/**
 * Resolving the host names of monitored URLs and webhook targets. Not `dns.lookup`:
 * that runs getaddrinfo on libuv's four worker threads, shared with password hashing
 * and file reads, so a few host names whose DNS never answers would stall every other
 * user's checks (false DOWN) and every login. Instead:
 *  - /etc/hosts first (re-read at most every 30 s), so `localhost` and names an operator
 *    pins there resolve as they would with the system resolver;
 *  - then c-ares (`dns.Resolver`: asynchronous sockets, no thread), A and AAAA at once,
 *    with a timeout and a bounded number of lookups in flight. A lookup that times out
 *    fails that check alone, as a DNS error.
 * DNS_SERVERS chooses the servers asked (default: the system's, from /etc/resolv.conf).
 */
import { Resolver } from "node:dns/promises";
import { readFile } from "node:fs/promises";
import { isIP } from "node:net";
import type { Resolver as HostResolver } from "./target-policy.ts";

export interface TargetResolverOptions {
  /** "ip" or "ip:port" entries; empty: the system's resolvers. */
  servers?: readonly string[];
  /** Per try, in ms (default 2 s), and tries per server (default 2). */
  timeoutMs?: number;
  tries?: number;
  /** Lookups in flight at once (default 256); more wait their turn. */
  maxConcurrent?: number;
  hostsFile?: string;
}

const HOSTS_TTL_MS = 30_000;

/** "127.0.0.1 localhost" lines → name → addresses, in file order. Pure. */
export function parseHostsFile(text: string): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    const [address, ...aliases] = line.replace(/#.*/, "").trim().split(/\s+/);
    if (!address || isIP(address) === 0) continue;
    for (const alias of aliases) {
      const name = alias.toLowerCase();
      names.set(name, [...(names.get(name) ?? []), address]);
    }
  }
  return names;
}

function hostsFileReader(file: string): () => Promise<Map<string, string[]>> {
  let cached: { at: number; names: Promise<Map<string, string[]>> } | undefined;
  return () => {
    if (!cached || Date.now() - cached.at > HOSTS_TTL_MS) {
      cached = {
        at: Date.now(),
        names: readFile(file, "utf8").then(parseHostsFile, () => new Map<string, string[]>()),
      };
    }
    return cached.names;
  };
}

/** At most `max` calls of `task` running at once. */
function limiter(max: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

class DnsError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * The addresses of a name's A and AAAA answers (settled, in that order), or the DNS error
 * they add up to: "does not resolve" (ENOTFOUND, ENODATA) only when neither failed for
 * another reason, else the first other failure (a timeout named as one). Pure.
 */
export function addressesOf(name: string, answers: readonly PromiseSettledResult<string[]>[]): string[] {
  const addresses = answers.flatMap((answer) => (answer.status === "fulfilled" ? answer.value : []));
  if (addresses.length > 0) return addresses;
  // c-ares rejects a query without records (ENODATA) rather than answering none; an error
  // without a code is a failure of the lookup, not an answer.
  const codes = answers.map((answer) =>
    answer.status === "fulfilled" ? "ENODATA" : ((answer.reason as { code?: string }).code ?? "ESERVFAIL"),
  );
  const failure = codes.find((code) => code !== "ENOTFOUND" && code !== "ENODATA");
  if (failure === undefined) {
    throw new DnsError(`${name} does not resolve`, codes.includes("ENOTFOUND") ? "ENOTFOUND" : "ENODATA");
  }
  throw new DnsError(
    failure === "ETIMEOUT" ? `DNS lookup of ${name} timed out` : `DNS lookup of ${name} failed`,
    failure,
  );
}

async function resolveAddresses(resolver: Resolver, name: string): Promise<string[]> {
  return addressesOf(name, await Promise.allSettled([resolver.resolve4(name), resolver.resolve6(name)]));
}

export function createTargetResolver(options: TargetResolverOptions = {}): HostResolver {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 2_000, tries: options.tries ?? 2 });
  if (options.servers?.length) resolver.setServers([...options.servers]);
  const hosts = hostsFileReader(options.hostsFile ?? "/etc/hosts");
  const limit = limiter(options.maxConcurrent ?? 256);
  return async (hostname) => {
    const name = hostname.toLowerCase().replace(/\.$/, "");
    const pinned = (await hosts()).get(name);
    if (pinned?.length) return pinned;
    return limit(() => resolveAddresses(resolver, name));
  };
}
