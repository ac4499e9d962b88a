/**
 * Errors services throw; app/trpc/init.server.ts maps them to tRPC codes in one place.
 */
export class ServiceError extends Error {}

/** The thing does not exist — or belongs to someone else, which callers must not learn. */
export class NotFoundError extends ServiceError {
  override name = "NotFoundError";
}

/** Input that passed the schema but breaks a rule; names the fields and why. */
export class ValidationError extends ServiceError {
  override name = "ValidationError";
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
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many attempts. Try again in ${formatWait(retryAfterSeconds)}.`);
  }
}

/** Signed in, but not allowed to do this (e.g. publish before verifying the email). */
export class ForbiddenError extends ServiceError {
  override name = "ForbiddenError";
}

/** Wrong email or password, or a dead session or token. The message never says which. */
export class AuthenticationError extends ServiceError {
  override name = "AuthenticationError";
}

function formatWait(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.ceil(seconds))} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
