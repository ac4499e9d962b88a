/**
 * Piscina worker: serves one lane of HTTP checks (check-lane.ts), many at once. Never
 * touches the database: it takes checks and returns their outcomes.
 */
import { parseAllowedNetworks } from "../../core/net/target-policy.ts";
import { createTargetResolver } from "../../core/net/target-resolver.ts";
import { parseDnsServers } from "../../core/net/domain-resolver.ts";
import { serveLane, type Checker } from "./check-lane.ts";
import { isTcpRequest, type CheckerConfig } from "./check-task.ts";
import { runTcpCheck } from "./tcp-check.ts";
import { runCheck } from "./http-check.ts";
import { profileThisThread } from "./thread-profile.ts";

profileThisThread("check-worker");

/** One target policy and one resolver (its c-ares channel reused) per lane. */
export function createChecker(config: CheckerConfig): Checker {
  const policy = { allowedNetworks: parseAllowedNetworks(config.allowedNetworks) };
  const resolve = createTargetResolver({ servers: parseDnsServers(config.dnsServers) });
  return (request) =>
    isTcpRequest(request) ? runTcpCheck(request, { policy, resolve }) : runCheck(request, { policy, resolve });
}

export default serveLane(createChecker);
