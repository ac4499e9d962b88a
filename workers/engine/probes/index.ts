/**
 * The probes, one per monitor type (core/monitor-types/ makes their requests): what a
 * check thread runs for a request, by its `kind`. One target policy and one resolver
 * (its c-ares channel reused) per lane.
 */
import tls from "node:tls";
import type { ProbeRequest } from "../../../core/monitor-types/probe-request.ts";
import { parseDnsServers } from "../../../core/net/domain-resolver.ts";
import { parseAllowedNetworks } from "../../../core/net/target-policy.ts";
import { createTargetResolver } from "../../../core/net/target-resolver.ts";
import { runDnsCheck } from "./dns.ts";
import { judgeHeartbeat } from "./heartbeat.ts";
import { runCheck } from "./http.ts";
import type { CheckOutcome } from "./outcome.ts";
import { runTcpCheck } from "./tcp.ts";
import { runTlsCheck } from "./tls.ts";

/** What every probe of a runner shares. */
export interface ProbeConfig {
  /** ALLOWED_TARGET_NETWORKS as text. */
  allowedNetworks: string;
  /** DNS_SERVERS as text ("" for the system's). */
  dnsServers: string;
  /** PEM certificates checks trust besides Node's own (EXTRA_CA_CERTS); "" for none. */
  extraCaCerts: string;
}

export type Probe = (request: ProbeRequest) => Promise<CheckOutcome>;

export function createProbe(config: ProbeConfig): Probe {
  const policy = { allowedNetworks: parseAllowedNetworks(config.allowedNetworks) };
  const servers = parseDnsServers(config.dnsServers);
  const resolve = createTargetResolver({ servers });
  const trustedCa = config.extraCaCerts ? [...tls.rootCertificates, config.extraCaCerts] : undefined;
  const deps = { policy, resolve, trustedCa };
  return (request) => {
    switch (request.kind) {
      case "http":
        return runCheck(request, deps);
      case "tcp":
        return runTcpCheck(request, deps);
      case "dns":
        return runDnsCheck(request, { policy, servers });
      case "tls":
        return runTlsCheck(request, deps);
      case "heartbeat":
        return Promise.resolve(judgeHeartbeat(request));
    }
  };
}
