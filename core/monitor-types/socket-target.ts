import { TLS_DEFAULTS } from "../domain/monitor-defaults.ts";

/** Where a TCP or TLS monitor connects: its url is tcp://host:port or tls://host:port, as the API stores it. */
export function hostAndPort(url: string): { host: string; port: number } {
  const target = new URL(url);
  return { host: target.hostname.replace(/^\[|\]$/g, ""), port: Number(target.port) || TLS_DEFAULTS.port };
}
