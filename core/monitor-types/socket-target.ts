/** Where a TCP or TLS monitor connects: its typed target, and the URL the API shows for it. */
import type { Monitor } from "../db/generated/client.ts";
import { TLS_DEFAULTS } from "../domain/monitor-defaults.ts";
import type { PolicyTarget, TypeColumns } from "./module.ts";
import { host, int } from "./settings.ts";

/** A host and a port, as both types take them. */
export const socketShape = { host, port: int("Port", 1, 65_535) };

/** tcp://host:port (tls://host:port for certificate monitors): what the API and exports show as `url`. */
export function socketUrl(target: { host: string; port: number }, scheme: "tcp" | "tls"): string {
  return `${scheme}://${target.host.includes(":") ? `[${target.host}]` : target.host}:${target.port}`;
}

/** The stored host and port (a TCP or TLS monitor always has both; the TLS port defaults to 443). */
export function socketOf(monitor: Pick<Monitor, "targetHost" | "targetPort">): { host: string; port: number } {
  return { host: monitor.targetHost ?? "", port: monitor.targetPort ?? TLS_DEFAULTS.port };
}

/** What a new TCP or TLS monitor stores of its target. */
export function storedSocket(target: { host: string; port: number }, scheme: "tcp" | "tls") {
  return {
    url: socketUrl(target, scheme),
    columns: { targetHost: target.host, targetPort: target.port } satisfies Partial<TypeColumns>,
    target: { host: target.host, field: "host" } satisfies PolicyTarget,
  };
}

/**
 * What an update of host or port stores: the new target and URL, and the host for the
 * target policy when it changed. Unchanged (null) when neither is given.
 */
export function socketPatch(
  existing: Pick<Monitor, "targetHost" | "targetPort">,
  input: { host?: string; port?: number },
  scheme: "tcp" | "tls",
): { url: string; columns: Partial<TypeColumns>; target: PolicyTarget | null } | null {
  if (input.host === undefined && input.port === undefined) return null;
  const stored = socketOf(existing);
  const next = { host: input.host ?? stored.host, port: input.port ?? stored.port };
  const moved = next.host !== stored.host || next.port !== stored.port;
  return {
    url: socketUrl(next, scheme),
    columns: { targetHost: next.host, targetPort: next.port },
    target: moved ? { host: next.host, field: "host" } : null,
  };
}
