/**
 * How a check result is kept compact in the database (see the compact_results
 * migration): error classes as small integers, durations as smallints. Pure, and the
 * same rules as the SQL functions `bu_ms16` / `bu_ms`.
 */
import { ERROR_CLASSES, type ErrorClass } from "./error-class.ts";

export { ERROR_CLASSES, type ErrorClass };

/** 0 for none, else the class's code. */
export function errorCode(errorClass: string | null): number {
  if (errorClass === null) return 0;
  const index = (ERROR_CLASSES as readonly string[]).indexOf(errorClass);
  return index < 0 ? ERROR_CLASSES.indexOf("http") + 1 : index + 1;
}

export function errorClassOf(code: number): ErrorClass | null {
  return code > 0 ? (ERROR_CLASSES[code - 1] ?? null) : null;
}

const SMALLINT_MAX = 32_767;
/** Beyond SMALLINT_MAX ms, durations are kept in tens of milliseconds, negative. */
const COARSE_UNIT_MS = 10;
const COARSE_MAX_MS = 32_768 * COARSE_UNIT_MS;

/** A duration (ms) as stored: exact to 32,767 ms, then to 10 ms up to 327,680 ms; absent → 0. */
export function encodeMs(ms: number | null | undefined): number {
  if (ms === null || ms === undefined || !(ms > 0)) return 0;
  if (ms <= SMALLINT_MAX) return Math.round(ms);
  return -Math.round(Math.min(ms, COARSE_MAX_MS) / COARSE_UNIT_MS);
}

export function decodeMs(stored: number): number {
  return stored >= 0 ? stored : -stored * COARSE_UNIT_MS;
}
