/** Where a TCP or TLS monitor connects, and how that is written in its stored `url`. */
import { TLS_DEFAULTS } from "../domain/monitor-defaults.ts";
import { host, int } from "./settings.ts";

/** A host and a port, as both types take them. */
export const socketShape = { host, port: int("Port", 1, 65_535) };

/** tcp://host:port (tls://host:port for certificate monitors): how the target is stored and shown. */
export function socketUrl(target: { host: string; port: number }, scheme: "tcp" | "tls"): string {
  return `${scheme}://${target.host.includes(":") ? `[${target.host}]` : target.host}:${target.port}`;
}

/** The host and port of a stored tcp://host:port or tls://host:port (bracketed IPv6 unwrapped). */
export function hostAndPort(url: string): { host: string; port: number } {
  const target = new URL(url);
  return { host: target.hostname.replace(/^\[|\]$/g, ""), port: Number(target.port) || TLS_DEFAULTS.port };
}

/**
 * What an update of host or port stores: the new URL, and the host for the target
 * policy when the URL changed. Unchanged (null) when neither is given.
 */
export function socketPatch(
  storedUrl: string,
  input: { host?: string; port?: number },
  scheme: "tcp" | "tls",
): { url: string; target: { host: string; field: string } | null } | null {
  if (input.host === undefined && input.port === undefined) return null;
  const stored = hostAndPort(storedUrl);
  const host = input.host ?? stored.host;
  const url = socketUrl({ host, port: input.port ?? stored.port }, scheme);
  return { url, target: url === storedUrl ? null : { host, field: "host" } };
}
