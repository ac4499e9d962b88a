/**
 * Service errors are recognised by their code, whichever copy of their module made them.
 * The built server holds two copies (its own bundle and the Remix bundle), and a spent
 * rate limit thrown by one copy answered 500 through the other's `instanceof`. Here the
 * second copy is the same file imported under another module id, as the second bundle is.
 */
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { actionError, actionErrorLine, orHttpError } from "../../app/web/forms/action-result.server.ts";
import * as errors from "../../app/server/services/errors.server.ts";

// The same file under another module id: a second instance of every class, as in the build.
const otherCopy = (await import(
  /* @vite-ignore */ `${"../../app/server/services/errors.server.ts"}?other-bundle`
)) as typeof errors;

describe("service errors across module copies", () => {
  it("the second copy really is another class (the hazard this guards against)", () => {
    expect(otherCopy.RateLimitedError).not.toBe(errors.RateLimitedError);
    expect(new otherCopy.RateLimitedError(5)).not.toBeInstanceOf(errors.RateLimitedError);
  });

  it("isServiceError knows either copy's errors, by code", () => {
    for (const error of [new otherCopy.RateLimitedError(5), new errors.RateLimitedError(5)]) {
      expect(errors.isServiceError(error)).toBe(true);
      expect(errors.isServiceError(error, "RATE_LIMITED")).toBe(true);
      expect(errors.isServiceError(error, "NOT_FOUND")).toBe(false);
    }
    expect(errors.isServiceError(new otherCopy.ValidationError({ name: ["Required"] }), "INVALID")).toBe(true);
    expect(errors.isServiceError(new otherCopy.AuthenticationError("no"), "UNAUTHENTICATED")).toBe(true);
  });

  it("isServiceError is not fooled by other errors that carry a code", () => {
    expect(errors.isServiceError(new TRPCError({ code: "NOT_FOUND" }), "NOT_FOUND")).toBe(false);
    expect(errors.isServiceError(Object.assign(new Error("dns"), { code: "ENOTFOUND" }))).toBe(false);
    expect(errors.isServiceError({ code: "RATE_LIMITED", retryAfterSeconds: 1 }, "RATE_LIMITED")).toBe(false);
    expect(errors.isServiceError(null)).toBe(false);
  });

  it("a form action answers the other copy's spent rate limit with 429, its message and Retry-After", () => {
    const limited = new otherCopy.RateLimitedError(90.2);
    const thrown = new TRPCError({ code: "TOO_MANY_REQUESTS", message: limited.message, cause: limited });
    const result = actionError(thrown);
    expect(result.init?.status).toBe(429);
    expect(result.data).toEqual({ formError: "Too many attempts. Try again in 2 minutes." });
    expect(new Headers(result.init?.headers).get("retry-after")).toBe("91");
    expect(actionErrorLine(thrown)).toEqual({
      message: "Too many attempts. Try again in 2 minutes.",
      status: 429,
      headers: { "Retry-After": "91" },
    });
  });

  it("a form action shows the other copy's field errors as field errors (400)", () => {
    const invalid = new otherCopy.ValidationError({ url: ["Not allowed"] });
    const result = actionError(new TRPCError({ code: "BAD_REQUEST", message: invalid.message, cause: invalid }));
    expect(result.init?.status).toBe(400);
    expect(result.data).toEqual({ fieldErrors: { url: ["Not allowed"] } });
  });

  it("a loader's spent rate limit is a 429 response with Retry-After", async () => {
    const limited = new otherCopy.RateLimitedError(3);
    const thrown = await orHttpError(
      Promise.reject(new TRPCError({ code: "TOO_MANY_REQUESTS", message: limited.message, cause: limited })),
    ).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(429);
    expect((thrown as Response).headers.get("retry-after")).toBe("3");
  });
});
