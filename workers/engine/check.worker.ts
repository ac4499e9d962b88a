/**
 * Piscina worker: runs HTTP checks, many at once (the pool sets concurrentTasksPerWorker).
 * Never touches the database: it takes a check and returns its outcome.
 */
import { parseAllowedNetworks, systemResolver, type TargetPolicy } from "../../app/server/net/target-policy.server.ts";
import type { CheckTask } from "./check-task.ts";
import { runCheck, type CheckOutcome } from "./http-check.ts";

const policies = new Map<string, TargetPolicy>();

function policyFor(spec: string): TargetPolicy {
  let policy = policies.get(spec);
  if (!policy) {
    policy = { allowedNetworks: parseAllowedNetworks(spec) };
    policies.set(spec, policy);
  }
  return policy;
}

export default function check(task: CheckTask): Promise<CheckOutcome> {
  return runCheck(task.request, { policy: policyFor(task.allowedNetworks), resolve: systemResolver });
}
