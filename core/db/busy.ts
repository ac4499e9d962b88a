/**
 * Whether an error only says the database had no room for the request just now: every
 * connection of the pool was taken for longer than a request waits (Prisma's P2024 and
 * P2028, "unable to start a transaction in the given time"), or PostgreSQL itself refused
 * a connection (53300 too many connections, 57P03 starting up or shutting down). Such a
 * request did nothing and may be sent again: callers answer 503 with a Retry-After, never
 * a 500 — a burst of requests a user can send is not a server fault.
 */
const BUSY_CODES = new Set(["P2024", "P2028", "53300", "57P03"]);
/** node-postgres's pool, when no connection came free within `pool_timeout` (it sets no code). */
const POOL_WAIT_EXCEEDED = "timeout exceeded when trying to connect";

export function isDatabaseBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && BUSY_CODES.has(code)) return true;
  if (error instanceof Error && error.message === POOL_WAIT_EXCEEDED) return true;
  // Prisma wraps a driver adapter's error; its original code travels in meta or cause.
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause !== undefined && cause !== error && isDatabaseBusy(cause);
}

/** How long a caller is asked to wait before sending a refused request again. */
export const BUSY_RETRY_AFTER_SECONDS = 5;
