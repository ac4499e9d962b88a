/**
 * Piscina worker: serves one lane of HTTP checks (check-lane.ts), many at once. Never
 * touches the database: it takes checks and returns their outcomes.
 */
import { parseAllowedNetworks } from "../../core/net/target-policy.ts";
import { createTargetResolver } from "../../core/net/target-resolver.ts";
import { parseDnsServers } from "../../core/net/domain-resolver.ts";
import { serveLane, type Checker } from "./check-lane.ts";
import type { CheckerConfig, ProbeRequest } from "./check-task.ts";
import { runTcpCheck } from "./tcp-check.ts";
import { runCheck, type CheckOutcome } from "./http-check.ts";
import { runDnsCheck } from "./dns-check.ts";
import { runTlsCheck } from "./tls-check.ts";
import { judgeHeartbeat } from "./heartbeat-check.ts";
import { profileThisThread } from "./thread-profile.ts";
import tls from "node:tls";

profileThisThread("check-worker");

/** One target policy and one resolver (its c-ares channel reused) per lane; each probe by its kind. */
export function createChecker(config: CheckerConfig): Checker {
  const policy = { allowedNetworks: parseAllowedNetworks(config.allowedNetworks) };
  const servers = parseDnsServers(config.dnsServers);
  const resolve = createTargetResolver({ servers });
  const trustedCa = config.extraCaCerts ? [...tls.rootCertificates, config.extraCaCerts] : undefined;
  const deps = { policy, resolve, trustedCa };
  return (request: ProbeRequest): Promise<CheckOutcome> => {
    if (!("kind" in request)) return runCheck(request, deps);
    switch (request.kind) {
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

export default serveLane(createChecker);
