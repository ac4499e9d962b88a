/**
 * Tenant isolation on the BUILT server, over /api/trpc as scripts and browsers reach it:
 * user B, with an API token or a session cookie, aims every id-taking procedure at user
 * A's things (tests/support/isolation-cases.ts, shared with the integration test) and
 * gets NOT_FOUND or FORBIDDEN with none of A's data; internal procedures do not exist
 * there; A's things are untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../../app/trpc/root.server.ts";
import { builtDb, credentialsOf, rawTrpc, type Identity } from "../support/built-client.ts";
import {
  expectOwnerDataUntouched,
  INTERNAL,
  PROCEDURES,
  seedIsolation,
  type IsolationWorld,
} from "../support/isolation-cases.ts";

const db = builtDb();
afterAll(() => db.$disconnect());

const types = Object.fromEntries(
  Object.entries(
    (appRouter._def as unknown as { procedures: Record<string, { _def: { type: string } }> }).procedures,
  ).map(([path, procedure]) => [path, procedure._def.type]),
);

let world: IsolationWorld;
let bobAsScript: Identity;
let bobInBrowser: Identity;
beforeAll(async () => {
  world = await seedIsolation(db);
  const bob = await credentialsOf(db, world.bob.id);
  bobAsScript = { token: bob.token };
  bobInBrowser = { cookie: bob.cookie };
});

describe("tenant isolation on the built server", () => {
  it.each(Object.keys(INTERNAL))("%s does not exist over /api/trpc, even for a signed-in user", async (name) => {
    const sessionsBefore = await db.session.count({ where: { userId: world.alice.id } });
    const input = INTERNAL[name]!({ ...world.ids, alice: world.alice.id });
    const response = await rawTrpc(name, types[name]!, JSON.stringify(input), bobInBrowser);
    expect(response.status).toBe(404);
    expect(await response.json()).not.toHaveProperty("result");
    expect(await db.session.count({ where: { userId: world.alice.id } })).toBe(sessionsBefore);
  });

  it.each(Object.keys(PROCEDURES))("%s: another user gets NOT_FOUND and none of the owner's data", async (name) => {
    const procedure = name.split(" ")[0]!;
    for (const bob of [bobAsScript, bobInBrowser]) {
      const response = await rawTrpc(procedure, types[procedure]!, JSON.stringify(PROCEDURES[name]!(world.ids)), bob);
      const text = await response.text();
      expect([403, 404], text.slice(0, 300)).toContain(response.status);
      expect((JSON.parse(text) as { error: { data: { code: string } } }).error.data.code).toMatch(
        /^(NOT_FOUND|FORBIDDEN)$/,
      );
      for (const secret of world.secrets) expect(text).not.toContain(secret);
    }
  });

  it("left the owner's data untouched", () => expectOwnerDataUntouched(db, world));
});
