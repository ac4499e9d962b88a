/**
 * What an API client sees over HTTP for bad input: 400 with the wrong fields named,
 * never a 500 and never internals.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "../../app/server/services/auth/api-tokens.server.ts";
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
async function call(path: string, body: string) {
  const response = await handleTrpcRequest(
    new Request(`http://127.0.0.1:3000/api/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body,
    }),
    testContext(db),
  );
  return {
    status: response.status,
    body: (await response.json()) as { error: { message: string; data: Record<string, unknown> } },
  };
}

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
});
