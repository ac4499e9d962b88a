/**
 * A protected page load asks the database who is signed in once: the root loader (for
 * the header), the route's guard and its tRPC caller share one lookup per request.
 */
import { afterAll, describe, expect, it } from "vitest";
import { loader as rootLoader } from "../../app/root.tsx";
import { loader as monitorsLoader } from "../../app/routes/monitors._index.tsx";
import { sessionCookie } from "../../app/server/auth/session-cookie.server.ts";
import { createSession } from "../../app/server/services/auth/sessions.server.ts";
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
