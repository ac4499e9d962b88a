/**
 * Errors services throw; app/trpc/init.server.ts maps them to tRPC codes in one place.
 *
 * Recognise them with `isServiceError(error, code)`, never with `instanceof`: the built
 * server (build/server/main.js) and the Remix bundle each compile this module in, so an
 * error thrown by an object the composition root built (the rate limits, say) is an
 * instance of the *other* copy's class. The brand below is a registered symbol and the
 * code a string, both the same in every copy (docs/decisions/006-errors-by-code.md).
 */

/** What kind of refusal, stable across bundles; each maps to one tRPC code. */
export type ServiceErrorCode = "NOT_FOUND" | "INVALID" | "RATE_LIMITED" | "FORBIDDEN" | "UNAUTHENTICATED";

/** Marks our service errors apart from others that carry a `code` (Node's, Prisma's, tRPC's). */
const BRAND = Symbol.for("better-uptime.service-error");

export abstract class ServiceError extends Error {
  abstract readonly code: ServiceErrorCode;
  readonly [BRAND] = true;
}

/** The thing does not exist — or belongs to someone else, which callers must not learn. */
export class NotFoundError extends ServiceError {
  override name = "NotFoundError";
  readonly code = "NOT_FOUND";
}

/** Input that passed the schema but breaks a rule; names the fields and why. */
export class ValidationError extends ServiceError {
  override name = "ValidationError";
  readonly code = "INVALID";
  constructor(readonly fieldErrors: Record<string, string[]>) {
    super(
      Object.entries(fieldErrors)
        .map(([field, messages]) => `${field}: ${messages.join(", ")}`)
        .join("; "),
    );
  }
}

/** Too many attempts; try again later. Says when, not why (no account enumeration). */
export class RateLimitedError extends ServiceError {
  override name = "RateLimitedError";
  readonly code = "RATE_LIMITED";
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many attempts. Try again in ${formatWait(retryAfterSeconds)}.`);
  }
}

/** Signed in, but not allowed to do this (e.g. publish before verifying the email). */
export class ForbiddenError extends ServiceError {
  override name = "ForbiddenError";
  readonly code = "FORBIDDEN";
}

/** Wrong email or password, or a dead session or token. The message never says which. */
export class AuthenticationError extends ServiceError {
  override name = "AuthenticationError";
  readonly code = "UNAUTHENTICATED";
}

interface ServiceErrors {
  NOT_FOUND: NotFoundError;
  INVALID: ValidationError;
  RATE_LIMITED: RateLimitedError;
  FORBIDDEN: ForbiddenError;
  UNAUTHENTICATED: AuthenticationError;
}

/**
 * Whether `error` is one of our service errors (of `code`, when given), whichever
 * bundle's copy of this module made it.
 */
export function isServiceError(error: unknown): error is ServiceError;
export function isServiceError<C extends ServiceErrorCode>(error: unknown, code: C): error is ServiceErrors[C];
export function isServiceError(error: unknown, code?: ServiceErrorCode): boolean {
  return (
    error instanceof Error &&
    (error as Partial<Record<typeof BRAND, unknown>>)[BRAND] === true &&
    (code === undefined || (error as { code?: unknown }).code === code)
  );
}

function formatWait(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.ceil(seconds))} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
