import { approveTarget, TargetRefusedError, TargetResolutionError } from "../../../../core/net/target-policy.ts";
import { ValidationError } from "../errors.server.ts";
import type { Scope } from "../scope.server.ts";

/**
 * Refuses, as a field error on `field` (`url`, or `host` for a TCP monitor), a URL whose host is or resolves to an address the
 * target policy refuses. A host that does not resolve yet is accepted: its checks will
 * say "DNS" until it does. Checks re-apply the policy at connect time, on every hop.
 */
export async function assertTargetAllowed(
  ctx: Pick<Scope, "env" | "resolve">,
  url: string,
  field = "url",
): Promise<void> {
  try {
    await approveTarget(new URL(url).hostname, { allowedNetworks: ctx.env.ALLOWED_TARGET_NETWORKS }, ctx.resolve);
  } catch (error) {
    if (error instanceof TargetRefusedError) throw new ValidationError({ [field]: [error.message] });
    if (error instanceof TargetResolutionError) return;
    throw error;
  }
}
