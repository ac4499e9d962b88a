/**
 * A protected page load asks the database who is signed in once: the root loader (for
 * the header), the route's guard and its tRPC caller share one lookup per request. And
 * what the routes' callers (app/trpc/caller.server.ts) do with the answer: a signed-in
 * page sends anyone else to log in and back, a page that only cares who asks answers an
 * API token that is not valid with 401, and a route's own caller reaches the internal
 * procedures (starting a session after the login page's check).
 */
import { afterAll, describe, expect, it } from "vitest";
import { loader as rootLoader } from "../../app/root.tsx";
import { loader as monitorsLoader } from "../../app/routes/monitors._index.tsx";
import { sessionCookie } from "../../app/server/auth/session-cookie.server.ts";
import { createSession, userForSession } from "../../app/server/services/auth/sessions.server.ts";
import { optionalCaller } from "../../app/trpc/caller.server.ts";
import type { Db } from "../../core/db/client.ts";
import { testContext } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createUser } from "../support/factories.ts";

const db = testDb();
afterAll(() => db.$disconnect());

/** The same client, counting the queries that look a session up. */
function countingSessionLookups(inner: Db): { db: Db; lookups: () => number } {
  let lookups = 0;
  const session = new Proxy(inner.session, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property === "findUnique" && typeof value === "function") {
        return (...args: unknown[]) => {
          lookups += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return value;
    },
  });
  const db = new Proxy(inner, {
    get: (target, property, receiver) => (property === "session" ? session : Reflect.get(target, property, receiver)),
  });
  return { db, lookups: () => lookups };
}

describe("a protected page load", () => {
  it("looks the session up once", async () => {
    const user = await createUser(db);
    const token = (await createSession({ db }, { userId: user.id, userAgent: "test" })).token;
    const context = testContext(db);
    const cookie = (await sessionCookie(token, context.env)).split(";")[0]!;
    const counting = countingSessionLookups(db);
    const request = new Request("http://127.0.0.1:3000/monitors", { headers: { cookie } });
    const args = { request, params: {}, context: { ...context, db: counting.db } };
    // Remix runs the matched loaders of a document request together, with one request.
    const [root, page] = await Promise.all([rootLoader(args), monitorsLoader(args)]);
    expect(root.user?.email).toBe(user.email);
    expect(page.total).toBe(0);
    expect(counting.lookups()).toBe(1);
  });
});

/** What a loader threw (a redirect or a refusal), as a Response. */
async function thrown(run: () => Promise<unknown>): Promise<Response> {
  try {
    await run();
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
  throw new Error("expected the loader to throw a Response");
}

describe("the routes' callers", () => {
  const monitorsPage = (headers: Record<string, string> = {}) => {
    const request = new Request("http://127.0.0.1:3000/monitors?status=down&q=a%20b", { headers });
    return monitorsLoader({ request, params: {}, context: testContext(db) });
  };

  it("send a visitor who is not signed in to log in, and back to the page they asked for", async () => {
    const response = await thrown(() => monitorsPage());
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login?redirectTo=%2Fmonitors%3Fstatus%3Ddown%26q%3Da%2520b");
  });

  it("send a request with an API token that is not valid to log in from a signed-in page", async () => {
    const response = await thrown(() => monitorsPage({ authorization: "Bearer not-a-token" }));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
  });

  it("answer an API token that is not valid with 401 where the page only cares who asks", async () => {
    const request = new Request("http://127.0.0.1:3000/login", { headers: { authorization: "Bearer not-a-token" } });
    const response = await thrown(() => optionalCaller(testContext(db), request));
    expect(response.status).toBe(401);
    expect(await response.text()).toBe("This API token is not valid: it was revoked or mistyped.");
  });

  it("reach the internal procedures: the login page starts the session it checked", async () => {
    const user = await createUser(db);
    const context = testContext(db);
    const { user: nobody, api } = await optionalCaller(context, new Request("http://127.0.0.1:3000/login"));
    expect(nobody).toBeNull();
    const { token } = await api.auth.startSession({ userId: user.id });
    expect((await userForSession(context, { token }))?.email).toBe(user.email);
  });
});
