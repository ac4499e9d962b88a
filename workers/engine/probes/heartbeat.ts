/**
 * A heartbeat monitor's "check": no network, only its last ping against the clock
 * (core/domain/heartbeat.ts), as an outcome like any other probe's — so the state
 * machine, incidents, alerts and status pages treat it the same.
 */
import type { CheckOutcome } from "./outcome.ts";
import type { HeartbeatProbeRequest } from "../../../core/monitor-types/probe-request.ts";
import { heartbeatVerdict } from "../../../core/domain/heartbeat.ts";

export function judgeHeartbeat(request: HeartbeatProbeRequest, nowMs = Date.now()): CheckOutcome {
  const verdict = heartbeatVerdict(request.rule, request.lastPing, request.watchedSinceMs, nowMs);
  return {
    status: verdict.status,
    statusCode: null,
    responseTimeMs: 0,
    timings: { dnsMs: null, connectMs: null, tlsMs: null, ttfbMs: null, downloadMs: null },
    tlsExpiresAt: null,
    errorClass: verdict.status === "DOWN" ? "heartbeat" : null,
    error: verdict.error,
    snapshot: null,
  };
}
