/**
 * The Retry-After a refusal carries: a TOO_MANY_REQUESTS error's cause says how long to
 * wait (RateLimitedError's `retryAfterSeconds`). Read by its field, not by its class: the
 * built server and the Remix bundle each carry a copy of the error classes.
 */
import { TRPCError } from "@trpc/server";

/** Whole seconds to wait (at least 1), or undefined when the error is no rate limit. */
export function retryAfterSeconds(error: unknown): number | undefined {
  if (!(error instanceof TRPCError) || error.code !== "TOO_MANY_REQUESTS") return undefined;
  const seconds = (error.cause as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof seconds === "number" && Number.isFinite(seconds) ? Math.max(1, Math.ceil(seconds)) : 60;
}

/** `{ "Retry-After": "N" }` for a rate-limit refusal, else no headers. */
export function retryAfterHeaders(error: unknown): Record<string, string> {
  const seconds = retryAfterSeconds(error);
  return seconds === undefined ? {} : { "Retry-After": String(seconds) };
}
