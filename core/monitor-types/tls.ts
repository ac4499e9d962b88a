/** TLS certificate monitors: valid, for the right name, and not about to expire. */
import type { MonitorTypeModule } from "./module.ts";
import { hostAndPort } from "./socket-target.ts";

/** A TLS monitor without its own threshold (the API always stores one). */
const DEFAULT_TLS_EXPIRY_DAYS = 14;

export const tls: MonitorTypeModule<"TLS"> = {
  type: "TLS",
  needsDatabaseToJudge: false,
  probeRequest: (check) => ({
    kind: "tls",
    ...hostAndPort(check.url),
    expiryDays: check.tlsExpiryDays ?? DEFAULT_TLS_EXPIRY_DAYS,
    timeoutMs: check.timeoutMs,
  }),
};
