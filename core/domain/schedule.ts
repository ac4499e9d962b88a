/**
 * The check grid: a monitor with interval I and phase P is due at P + k·I (epoch ms).
 * Advancing to the next slot after "now" (not "last + I") means no drift, and no burst
 * of catch-up checks after downtime; random phases spread monitors over the interval.
 */

/** The first slot strictly after `nowMs` on the monitor's grid. */
export function nextSlotAfter(nowMs: number, intervalMs: number, phaseMs: number): number {
  return Math.floor((nowMs - phaseMs) / intervalMs + 1) * intervalMs + phaseMs;
}

/** A phase in [0, interval), so monitors created together do not all fire at once. */
export function randomPhaseMs(intervalSeconds: number, random: () => number = Math.random): number {
  return Math.floor(random() * intervalSeconds * 1000);
}

/**
 * The slot after a check that ran at `nowMs`: the first grid point at least half an
 * interval later. On-grid checks get the very next slot; an off-grid one (a new or
 * edited monitor, "check now") does not get a near-duplicate check moments later.
 * Mirrored in SQL by workers/engine/claim.ts.
 */
export function slotAfterCheck(nowMs: number, intervalMs: number, phaseMs: number): number {
  return nextSlotAfter(nowMs + intervalMs / 2, intervalMs, phaseMs);
}
