/**
 * The Retry-After a refusal carries: a spent rate limit (RateLimitedError, recognised by
 * its code, whichever bundle's copy made it: see server/services/errors.server.ts) says
 * how long to wait; a busy database, a few seconds. tRPC answers with it over /api/trpc;
 * above it, the forms (web/forms/action-result.server.ts) and the push endpoint
 * (host/push-endpoint.server.ts) answer with it too.
 */
import { TRPCError } from "@trpc/server";
import { isServiceError } from "../server/services/errors.server.ts";
import { BUSY_RETRY_AFTER_SECONDS } from "../../core/db/busy.ts";

/**
 * Whole seconds to wait (at least 1) for a rate limit's refusal — the service error, or
 * the tRPC error it became — or undefined when the error is no rate limit.
 */
export function retryAfterSeconds(error: unknown): number | undefined {
  const cause = error instanceof TRPCError ? error.cause : error;
  if (isServiceError(cause, "RATE_LIMITED")) return Math.max(1, Math.ceil(cause.retryAfterSeconds));
  // Too many requests refused without saying for how long: a minute.
  if (error instanceof TRPCError && error.code === "TOO_MANY_REQUESTS") return 60;
  // The database had no room for the request just now (core/db/busy.ts).
  if (error instanceof TRPCError && error.code === "SERVICE_UNAVAILABLE") return BUSY_RETRY_AFTER_SECONDS;
  return undefined;
}

/** `{ "Retry-After": "N" }` for a rate-limit refusal, else no headers. */
export function retryAfterHeaders(error: unknown): Record<string, string> {
  const seconds = retryAfterSeconds(error);
  return seconds === undefined ? {} : { "Retry-After": String(seconds) };
}
