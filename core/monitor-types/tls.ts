/** TLS certificate monitors: valid, for the right name, and not about to expire. */
import { TLS_DEFAULTS } from "../domain/monitor-defaults.ts";
import type { MonitorTypeModule } from "./module.ts";
import { hostAndPort } from "./socket-target.ts";

export const tls: MonitorTypeModule<"TLS"> = {
  type: "TLS",
  needsDatabaseToJudge: false,
  probeRequest: (check) => ({
    kind: "tls",
    ...hostAndPort(check.url),
    // A TLS monitor without its own threshold (the API always stores one).
    expiryDays: check.tlsExpiryDays ?? TLS_DEFAULTS.expiryDays,
    timeoutMs: check.timeoutMs,
  }),
};
