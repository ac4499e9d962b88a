/**
 * Piscina worker: runs HTTP checks, many at once (the pool sets concurrentTasksPerWorker).
 * Never touches the database: it takes a check and returns its outcome.
 */
import { parseAllowedNetworks, type Resolver, type TargetPolicy } from "../../core/net/target-policy.ts";
import { createTargetResolver } from "../../core/net/target-resolver.ts";
import { parseDnsServers } from "../../core/net/domain-resolver.ts";
import type { CheckTask } from "./check-task.ts";
import { runCheck, type CheckOutcome } from "./http-check.ts";
import { profileThisThread } from "./thread-profile.ts";

profileThisThread("check-worker");

const policies = new Map<string, TargetPolicy>();

function policyFor(spec: string): TargetPolicy {
  let policy = policies.get(spec);
  if (!policy) {
    policy = { allowedNetworks: parseAllowedNetworks(spec) };
    policies.set(spec, policy);
  }
  return policy;
}

const resolvers = new Map<string, Resolver>();

/** One resolver per thread (and DNS_SERVERS value): its c-ares channel is reused. */
function resolverFor(dnsServers: string): Resolver {
  let resolver = resolvers.get(dnsServers);
  if (!resolver) {
    resolver = createTargetResolver({ servers: parseDnsServers(dnsServers) });
    resolvers.set(dnsServers, resolver);
  }
  return resolver;
}

export default function check(task: CheckTask): Promise<CheckOutcome> {
  return runCheck(task.request, { policy: policyFor(task.allowedNetworks), resolve: resolverFor(task.dnsServers) });
}
