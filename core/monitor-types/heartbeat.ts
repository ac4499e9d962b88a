/** Heartbeat (push) monitors: DOWN when no ping came within the period and its grace. */
import type { MonitorTypeModule } from "./module.ts";

export const heartbeat: MonitorTypeModule<"HEARTBEAT"> = {
  type: "HEARTBEAT",
  // Pings cannot be received (nor read) without the database: judging a heartbeat from
  // memory would call it DOWN for silence nobody could hear.
  needsDatabaseToJudge: true,
  probeRequest: (check) => ({
    kind: "heartbeat",
    rule: { periodSeconds: check.intervalSeconds, graceSeconds: check.heartbeatGraceSeconds },
    lastPing: check.lastPingAt && {
      atMs: check.lastPingAt.getTime(),
      failed: check.lastPingFailed ?? false,
      message: check.lastPingMessage,
    },
    watchedSinceMs: check.createdAt.getTime(),
  }),
};
