/**
 * What an API client sees over HTTP for bad input: 400 with the wrong fields named,
 * never a 500 and never internals.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "../../app/server/services/auth/api-tokens.server.ts";
import type * as Errors from "../../app/server/services/errors.server.ts";
import { handleTrpcRequest } from "../../app/trpc/http.server.ts";
import { ownerScope, testContext } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createUser } from "../support/factories.ts";

const db = testDb();
afterAll(() => db.$disconnect());
let token: string;
beforeAll(async () => {
  const user = await createUser(db);
  token = (await createApiToken(ownerScope(db, user.id), { name: "api-errors test" })).token;
});

/** A POST to /api/trpc as a script would send it, authenticated with an API token. */
async function call(path: string, body: string, context = testContext(db)) {
  const response = await handleTrpcRequest(
    new Request(`http://127.0.0.1:3000/api/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body,
    }),
    context,
  );
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as { error: { message: string; data: Record<string, unknown> } },
  };
}

// The error classes as the built server's own bundle holds them: the same file under
// another module id, so another copy of each class (services/errors.server.ts).
const otherBundle = (await import(
  /* @vite-ignore */ `${"../../app/server/services/errors.server.ts"}?other-bundle`
)) as typeof Errors;

describe("API errors over HTTP", () => {
  it("names each wrong field with its reason", async () => {
    const { status, body } = await call(
      "monitor.create",
      JSON.stringify({ url: "ftp://127.0.0.1/", intervalSeconds: 1, expectedStatusCodes: "abc" }),
    );
    expect(status).toBe(400);
    expect(body.error.data).toMatchObject({
      code: "BAD_REQUEST",
      fieldErrors: {
        url: ["Only http:// and https:// URLs can be monitored"],
        intervalSeconds: ["Interval (seconds) must be between 10 and 86400"],
        expectedStatusCodes: ['"abc" is not a status code or range (e.g. 200, 200-299, 3xx)'],
      },
    });
  });

  it("reports service-level rules the same way", async () => {
    const { status, body } = await call(
      "monitor.create",
      JSON.stringify({ url: "http://127.0.0.1/", intervalSeconds: 10, timeoutMs: 20_000 }),
    );
    expect(status).toBe(400);
    expect(body.error.data.fieldErrors).toEqual({ timeoutMs: ["The timeout must be shorter than the interval"] });
  });

  it("answers malformed JSON with 400, not 500", async () => {
    const { status } = await call("monitor.create", "{not json");
    expect(status).toBe(400);
  });

  it("answers input nested too deeply with a message that says so, naming where", async () => {
    const { status, body } = await call("monitor.create", `${'{"a":'.repeat(100)}1${"}".repeat(100)}`);
    expect(status).toBe(400);
    const where = Array.from({ length: 32 }, () => "a").join(".");
    expect(body.error.data.fieldErrors).toEqual({
      [where]: ["Nested too deeply (objects and arrays may nest at most 32 levels)."],
    });
    expect(body.error.message).toContain("Nested too deeply");
    expect(body.error.message).not.toContain("NUL");
  });

  it("still names a NUL as a control character", async () => {
    const { status, body } = await call(
      "monitor.create",
      JSON.stringify({ url: "http://127.0.0.1/", name: "a\u0000" }),
    );
    expect(status).toBe(400);
    expect(body.error.data.fieldErrors).toEqual({
      name: ["Remove the control character (NUL) or broken character from this text."],
    });
  });

  it("answers a spent rate limit with 429, Retry-After and retryAfterSeconds, whichever bundle's class threw it", async () => {
    for (const RateLimitedError of [
      otherBundle.RateLimitedError,
      (await import("../../app/server/services/errors.server.ts")).RateLimitedError,
    ]) {
      const rateLimits = {
        consume: () => Promise.reject(new RateLimitedError(119.5)),
        refund: () => Promise.resolve(),
      };
      const context = testContext(db, { rateLimits });
      const { status, headers, body } = await call("notification.test", JSON.stringify({ id: "any" }), context);
      expect(status).toBe(429);
      expect(headers.get("retry-after")).toBe("120");
      expect(body.error.message).toBe("Too many attempts. Try again in 2 minutes.");
      expect(body.error.data).toMatchObject({ code: "TOO_MANY_REQUESTS", retryAfterSeconds: 120 });
    }
  });
});
