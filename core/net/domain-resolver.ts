/**
 * DNS lookups for custom-domain verification. Which servers answer is configuration
 * (DNS_SERVERS), so tests point it at a DNS server they run on 127.0.0.1.
 */
import { Resolver } from "node:dns/promises";

export interface DomainResolver {
  /** TXT records at `name`, each as its chunks (as node:dns returns them). */
  resolveTxt(name: string): Promise<string[][]>;
}

/** `servers`: "ip" or "ip:port" entries; empty: the system's resolvers. */
export function createDomainResolver(servers: string[] = []): DomainResolver {
  const resolver = new Resolver({ timeout: 3_000, tries: 2 });
  if (servers.length > 0) resolver.setServers(servers);
  return { resolveTxt: (name) => resolver.resolveTxt(name) };
}

export function parseDnsServers(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((server) => server.trim())
    .filter(Boolean);
}
