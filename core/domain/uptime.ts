/**
 * Uptime arithmetic, pure and shared by the dashboard, status pages and badges.
 *
 * Uptime over a window = 1 − confirmed downtime ÷ window length, where downtime is
 * incident time (confirmed DOWN → confirmed UP). Resolved incidents are summed in the
 * rollups; a still-open incident counts up to now.
 */

/** Seconds of an incident that started at `startedAtMs` (and is still open) inside [windowStartMs, nowMs]. */
export function openIncidentSeconds(startedAtMs: number | null, windowStartMs: number, nowMs: number): number {
  if (startedAtMs === null) return 0;
  return Math.max(0, nowMs - Math.max(windowStartMs, startedAtMs)) / 1000;
}

/**
 * Percentage with three decimals, rounded down: never 100 when there was downtime, never
 * below 0; null when the window is empty.
 */
export function uptimePercent(downtimeSeconds: number, windowSeconds: number): number | null {
  if (windowSeconds <= 0) return null;
  const ratio = 1 - Math.min(downtimeSeconds, windowSeconds) / windowSeconds;
  // The epsilon keeps binary fractions from flooring 99.95 to 99.949; real downtime
  // (at least a second in 90 days) stays far below it.
  return Math.floor(ratio * 100_000 + 1e-6) / 1000;
}

/** A colour class for a day's (or period's) uptime, as on status pages. */
export function uptimeTone(percent: number | null): "none" | "good" | "minor" | "major" | "down" {
  if (percent === null) return "none";
  if (percent >= 99.9) return "good";
  if (percent >= 99) return "minor";
  if (percent >= 95) return "major";
  return "down";
}
