/** DNS monitors: a name that resolves (to an expected value, when one is given). */
import { DNS_DEFAULTS } from "../domain/monitor-defaults.ts";
import type { MonitorTypeModule } from "./module.ts";

export const dns: MonitorTypeModule<"DNS"> = {
  type: "DNS",
  needsDatabaseToJudge: false,
  probeRequest: (check) => ({
    kind: "dns",
    // A DNS monitor's url is the name it looks up.
    hostname: check.url,
    recordType: check.dnsRecordType ?? DNS_DEFAULTS.recordType,
    resolver: check.dnsResolver,
    expectedValue: check.expectedValue,
    timeoutMs: check.timeoutMs,
  }),
};
