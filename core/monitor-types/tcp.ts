/** TCP monitors: a port that accepts a connection (and, optionally, a TLS handshake). */
import type { MonitorTypeModule } from "./module.ts";
import { hostAndPort } from "./socket-target.ts";

export const tcp: MonitorTypeModule<"TCP"> = {
  type: "TCP",
  needsDatabaseToJudge: false,
  probeRequest: (check) => ({ kind: "tcp", ...hostAndPort(check.url), tls: check.tcpTls, timeoutMs: check.timeoutMs }),
};
