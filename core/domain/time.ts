/** Time units in milliseconds, and the one way we floor a time onto a grid. */
export const SECOND_MS = 1_000;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** `ms` floored to a multiple of `size` (hour and day buckets, in UTC). */
export const floorTo = (ms: number, size: number) => Math.floor(ms / size) * size;
