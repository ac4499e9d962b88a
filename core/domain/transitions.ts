/**
 * The monitor state machine, as pure functions (after Uptime Kuma's, without its file).
 *
 * Per region, each check result moves counters and maybe the confirmed status:
 *   - a failure: DOWN once `failureThreshold` failures run in a row; before that, an UP
 *     region shows PENDING ("confirming"), and a DOWN region stays DOWN;
 *   - a success: a DOWN region comes back UP only after `recoveryThreshold` successes
 *     in a row (it stays DOWN meanwhile, so its incident stays open); any other region
 *     is UP at once;
 *   - no verdict (the runner failed, not the target): nothing changes.
 *
 * Per monitor: DOWN when at least `downQuorum` of its regions are DOWN; otherwise UP
 * when any region is UP; otherwise PENDING. An incident opens when the monitor becomes
 * DOWN with none open, and resolves when it is UP again.
 */
import type { CheckStatus, MonitorStatus } from "./status.ts";

export type Status = MonitorStatus;
export type Verdict = CheckStatus | null;

export interface RegionState {
  status: Status;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
}

export interface Thresholds {
  failureThreshold: number;
  recoveryThreshold: number;
}

export function applyCheck(state: RegionState, verdict: Verdict, thresholds: Thresholds): RegionState {
  if (verdict === null) return state;
  if (verdict === "DOWN") {
    const consecutiveFailures = state.consecutiveFailures + 1;
    const confirmed = consecutiveFailures >= thresholds.failureThreshold;
    const status = confirmed ? "DOWN" : state.status === "UP" ? "PENDING" : state.status;
    return { status, consecutiveFailures, consecutiveSuccesses: 0 };
  }
  const consecutiveSuccesses = state.consecutiveSuccesses + 1;
  const status = state.status !== "DOWN" || consecutiveSuccesses >= thresholds.recoveryThreshold ? "UP" : "DOWN";
  return { status, consecutiveFailures: 0, consecutiveSuccesses };
}

export function monitorStatus(regionStatuses: readonly Status[], downQuorum: number): Status {
  const down = regionStatuses.filter((status) => status === "DOWN").length;
  if (down >= Math.max(1, downQuorum)) return "DOWN";
  if (regionStatuses.includes("UP")) return "UP";
  return "PENDING";
}

export type IncidentChange = "open" | "resolve" | null;

export function incidentChange(hasOpenIncident: boolean, status: Status): IncidentChange {
  if (!hasOpenIncident && status === "DOWN") return "open";
  if (hasOpenIncident && status === "UP") return "resolve";
  return null;
}
