import { approveTarget, TargetRefusedError, TargetResolutionError } from "../../../../core/net/target-policy.ts";
import { ValidationError } from "../errors.server.ts";
import type { Scope } from "../scope.server.ts";

/**
 * Refuses, as a field error on `field` (`url`; `host` or `resolver` for other monitor
 * types), a URL whose host is or resolves to an address the target policy refuses. A host that does not resolve yet is accepted: its checks will
 * say "DNS" until it does. Checks re-apply the policy at connect time, on every hop.
 */
export async function assertTargetAllowed(
  ctx: Pick<Scope, "env" | "resolve">,
  url: string,
  field = "url",
): Promise<void> {
  await assertHostAllowed(ctx, new URL(url).hostname, field);
}

/** The same for a bare host name or IP address. */
export async function assertHostAllowed(
  ctx: Pick<Scope, "env" | "resolve">,
  host: string,
  field: string,
): Promise<void> {
  try {
    await approveTarget(host, { allowedNetworks: ctx.env.ALLOWED_TARGET_NETWORKS }, ctx.resolve);
  } catch (error) {
    if (error instanceof TargetRefusedError) throw new ValidationError({ [field]: [error.message] });
    if (error instanceof TargetResolutionError) return;
    throw error;
  }
}
