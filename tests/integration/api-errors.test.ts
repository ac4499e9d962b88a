/**
 * What an API client sees over HTTP for bad input: 400 with the wrong fields named,
 * never a 500 and never internals; and for each refusal of the request scope (not signed
 * in, not verified, a token where a session is needed, not theirs) its own status and
 * message.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApiToken } from "../../app/server/services/auth/api-tokens.server.ts";
import { createRateLimits, LIMITS } from "../../app/server/services/process/rate-limits.server.ts";
import { createPgPool } from "../../core/db/pg-pool.ts";
import { SESSION_FIRST_MESSAGE, VERIFY_FIRST_MESSAGE } from "../../app/trpc/init.server.ts";
import type * as Errors from "../../app/server/services/errors.server.ts";
import { handleTrpcRequest } from "../../app/trpc/http.server.ts";
import { callerFor, ownerScope, testContext } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createUser, unique } from "../support/factories.ts";

const db = testDb();
const pool = createPgPool(inject("databaseUrl"), 2);
afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});
let token: string;
let unverifiedToken: string;
beforeAll(async () => {
  const user = await createUser(db);
  token = (await createApiToken(ownerScope(db, user.id), { name: "api-errors test" })).token;
  const unverified = await createUser(db, { emailVerified: false });
  unverifiedToken = (await createApiToken(ownerScope(db, unverified.id), { name: "unverified" })).token;
});

/** A POST to /api/trpc as a script would send it, authenticated with an API token (`null`: none). */
async function call(path: string, body: string, context = testContext(db), bearer: string | null = token) {
  const response = await handleTrpcRequest(
    new Request(`http://127.0.0.1:3000/api/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
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

  it("names the whole input when it is itself text that cannot be stored", async () => {
    const { status, body } = await call("monitor.create", JSON.stringify("a\u0000"));
    expect(status).toBe(400);
    expect(body.error.data.fieldErrors).toEqual({
      input: ["Remove the control character (NUL) or broken character from this text."],
    });
  });

  it("answers someone else's or a missing thing with 404 saying what was not found, and no field errors or wait", async () => {
    const { status, headers, body } = await call("monitor.pause", JSON.stringify({ id: "no-such-monitor" }));
    expect(status).toBe(404);
    expect(headers.get("retry-after")).toBeNull();
    expect(body.error.message).toBe("Monitor not found");
    expect(body.error.data).toEqual({
      code: "NOT_FOUND",
      httpStatus: 404,
      path: "monitor.pause",
      fieldErrors: null,
      retryAfterSeconds: null,
    });
  });

  it("answers a caller who is not signed in with 401", async () => {
    const { status, body } = await call("monitor.pause", JSON.stringify({ id: "any" }), testContext(db), null);
    expect(status).toBe(401);
    expect(body.error.message).toBe("Sign in to continue.");
  });

  it("refuses what only a verified account may do, with the reason", async () => {
    const input = JSON.stringify({ type: "EMAIL", name: "Ops", target: "ops@example.test" });
    const refused = await call("notification.create", input, testContext(db), unverifiedToken);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(VERIFY_FIRST_MESSAGE);
    expect(VERIFY_FIRST_MESSAGE).toMatch(/^Verify your email address first/);
    const allowed = await call("notification.create", input);
    expect(allowed.status).toBe(200);
  });

  it("refuses an API token the making of API tokens, and lets a signed-in session make one", async () => {
    const { status, body } = await call("account.apiTokens.create", JSON.stringify({ name: "minted" }));
    expect(status).toBe(403);
    expect(body.error.message).toBe(SESSION_FIRST_MESSAGE);
    expect(SESSION_FIRST_MESSAGE).toMatch(/^Sign in to do this/);
    const user = await createUser(db);
    const made = await callerFor(db, { user, via: "session" }).account.apiTokens.create({ name: "made" });
    expect(made.token).toEqual(expect.any(String));
  });

  it("answers a refusal a service makes for the signed-in user with 403", async () => {
    const unverified = await createUser(db, { emailVerified: false });
    const api = callerFor(db, { user: unverified });
    const page = await api.statusPage.create({ name: "Draft", slug: unique("draft").toLowerCase() });
    await expect(api.statusPage.setPublished({ id: page.id, isPublished: true })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "Verify your email address before publishing a status page.",
    });
  });

  it("answers an unexpected failure with 500 and a message that shows none of it", async () => {
    const rateLimits = {
      consume: () => Promise.reject(new Error('relation "secret_internal_table" does not exist')),
      refund: () => Promise.resolve(),
    };
    const { status, body } = await call(
      "notification.test",
      JSON.stringify({ id: "any" }),
      testContext(db, { rateLimits }),
    );
    expect(status).toBe(500);
    expect(body.error.message).toBe("Internal server error");
    expect(JSON.stringify(body)).not.toContain("secret_internal_table");
  });

  it("answers a database with no room for the request with 503 and when to retry", async () => {
    const busy = Object.assign(new Error("Timed out fetching a new connection from the connection pool."), {
      code: "P2024",
    });
    const rateLimits = { consume: () => Promise.reject(busy), refund: () => Promise.resolve() };
    const { status, headers, body } = await call(
      "notification.test",
      JSON.stringify({ id: "any" }),
      testContext(db, { rateLimits }),
    );
    expect(status).toBe(503);
    expect(headers.get("retry-after")).toBe("5");
    expect(body.error.message).toBe("The server is busy: try again in a few seconds.");
    expect(body.error.data).toMatchObject({ code: "SERVICE_UNAVAILABLE", retryAfterSeconds: 5 });
  });

  it("counts a per-user rate limit against the signed-in user, not against others from the same address", async () => {
    const rateLimits = createRateLimits(pool, { ...LIMITS, alertTest: { user: { points: 1, durationSeconds: 3600 } } });
    const context = testContext(db, { rateLimits, clientIp: unique("ip") });
    const [first, second] = [await createUser(db), await createUser(db)];
    const testAlert = (user: typeof first) =>
      callerFor(db, { user, rateLimits, clientIp: context.clientIp }).notification.test({ id: "no-such-channel" });
    await expect(testAlert(first)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(testAlert(first)).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    await expect(testAlert(second)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
