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
