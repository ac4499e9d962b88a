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
