/**
 * Heartbeat (push) monitors: the monitored job calls its push URL; the engine judges
 * the silence. Pure: the runner evaluates a heartbeat monitor at its deadline (last ping
 * + period + grace) with these rules, and the claim (workers/engine/claim.ts) mirrors
 * `nextHeartbeatCheckMs` in SQL.
 */
import type { CheckStatus } from "./status.ts";
import { formatDuration } from "../text/format.ts";

export interface LastPing {
  atMs: number;
  /** The job reported a failure (`?status=down`). */
  failed: boolean;
  message: string | null;
}

export interface HeartbeatRule {
  periodSeconds: number;
  graceSeconds: number;
}

export interface HeartbeatVerdict {
  status: CheckStatus;
  error: string | null;
}

const windowMs = (rule: HeartbeatRule) => (rule.periodSeconds + rule.graceSeconds) * 1000;

/**
 * UP while the last ping is at most period + grace old and did not report a failure.
 * `watchedSinceMs` (when the monitor was created or resumed) names the silence of a
 * monitor that never got a ping.
 */
export function heartbeatVerdict(
  rule: HeartbeatRule,
  lastPing: LastPing | null,
  watchedSinceMs: number,
  nowMs: number,
): HeartbeatVerdict {
  if (!lastPing || nowMs - lastPing.atMs > windowMs(rule)) {
    const silentSinceMs = lastPing ? lastPing.atMs : watchedSinceMs;
    const silence = formatSilence((nowMs - silentSinceMs) / 1000);
    return {
      status: "DOWN",
      error: lastPing
        ? `no ping for ${silence} (expected every ${formatSilence(rule.periodSeconds)})`
        : `no ping received in ${silence} since monitoring began`,
    };
  }
  if (lastPing.failed) {
    return {
      status: "DOWN",
      error: lastPing.message ? `the job reported a failure: ${lastPing.message}` : "the job reported a failure",
    };
  }
  return { status: "UP", error: null };
}

/**
 * When to judge next: at the last ping's deadline while it is ahead; once it has passed
 * (the monitor is DOWN, or never pinged), again every period until a ping comes.
 */
export function nextHeartbeatCheckMs(rule: HeartbeatRule, lastPingAtMs: number | null, nowMs: number): number {
  const deadline = lastPingAtMs === null ? -Infinity : lastPingAtMs + windowMs(rule);
  return deadline > nowMs ? deadline : nowMs + rule.periodSeconds * 1000;
}

/** "45 s", "6 min", "2 h 5 min": a silence to the minute once it is a minute long. */
function formatSilence(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  return formatDuration(s).replace(/ 0 (min|h)$/, "");
}
