/**
 * Tenant isolation, for every procedure that takes an id, in every router: user B
 * calling with user A's ids gets NOT_FOUND (or FORBIDDEN) and none of A's data, and A's
 * data is untouched. Procedures are found by walking the router, so a new procedure
 * that takes an id fails this test until it is given an owner's id below.
 */
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ZodObject, ZodRawShape } from "zod";
import { createApiToken } from "../../app/server/services/auth/api-tokens.server.ts";
import { appRouter } from "../../app/trpc/root.server.ts";
import { callerFor } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createUser, unique } from "../support/factories.ts";

const db = testDb();
afterAll(() => db.$disconnect());

type Resource = "monitor" | "apiToken" | "connection";

/** Which of A's things each id-taking procedure is about, and any other input it needs. */
const PROCEDURES: Record<string, { resource: Resource; extra?: Record<string, unknown>; asList?: boolean }> = {
  "monitor.byId": { resource: "monitor" },
  "monitor.update": { resource: "monitor", extra: { name: "taken over" } },
  "monitor.pause": { resource: "monitor" },
  "monitor.resume": { resource: "monitor" },
  "monitor.checkNow": { resource: "monitor" },
  "monitor.delete": { resource: "monitor" },
  "monitor.duplicate": { resource: "monitor" },
  "monitor.pauseMany": { resource: "monitor", asList: true },
  "monitor.resumeMany": { resource: "monitor", asList: true },
  "monitor.stats": { resource: "monitor" },
  "monitor.responseTimes": { resource: "monitor", extra: { range: "24h" } },
  "monitor.incidents": { resource: "monitor" },
  "monitor.checks": { resource: "monitor" },
  "account.unlinkConnection": { resource: "connection" },
  "account.apiTokens.revoke": { resource: "apiToken" },
};

/** Input fields that carry ids of owned things. */
const ID_FIELD = /^ids?$|Ids?$/;

function idTakingProcedures(): string[] {
  const procedures = (appRouter._def as unknown as { procedures: Record<string, { _def: { inputs: unknown[] } }> })
    .procedures;
  return Object.entries(procedures)
    .filter(([, procedure]) =>
      procedure._def.inputs.some((input) => {
        const shape = (input as Partial<ZodObject<ZodRawShape>>).shape;
        return shape !== undefined && Object.keys(shape).some((key) => ID_FIELD.test(key));
      }),
    )
    .map(([path]) => path)
    .sort();
}

let ids: Record<Resource, string>;
let secrets: string[];
let alice: Awaited<ReturnType<typeof createUser>>;
let bob: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  alice = await createUser(db, { name: "Alice Private" });
  bob = await createUser(db);
  const monitor = await callerFor(db, { user: alice }).monitor.create({
    url: "http://127.0.0.1:9/alice-secret-path",
    name: "Alice's payroll API",
    headers: [{ name: "Authorization", value: "Bearer alice-secret-header" }],
  });
  const token = await createApiToken(db, alice.id, "alice's deploy token");
  const connection = await db.account.create({
    data: { userId: alice.id, provider: "github", providerAccountId: unique("gh") },
  });
  ids = { monitor: monitor.id, apiToken: token.id, connection: connection.id };
  secrets = [
    alice.email,
    "Alice Private",
    "alice-secret-path",
    "Alice's payroll API",
    "alice-secret-header",
    "alice's deploy token",
    token.token,
  ];
});

describe("tenant isolation", () => {
  it("knows every procedure that takes an id", () => {
    expect(idTakingProcedures()).toEqual(Object.keys(PROCEDURES).sort());
  });

  it.each(Object.entries(PROCEDURES))(
    "%s: another user gets NOT_FOUND and none of the owner's data",
    async (path, spec) => {
      const caller = callerFor(db, { user: bob }) as unknown as Record<string, unknown>;
      const procedure = path
        .split(".")
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (
        input: unknown,
      ) => Promise<unknown>;
      let outcome: unknown;
      try {
        const idInput = spec.asList ? { ids: [ids[spec.resource]] } : { id: ids[spec.resource] };
        outcome = await procedure({ ...idInput, ...spec.extra });
      } catch (error) {
        outcome = error;
      }
      expect(outcome).toBeInstanceOf(TRPCError);
      expect(["NOT_FOUND", "FORBIDDEN"]).toContain((outcome as TRPCError).code);
      const visible = JSON.stringify({ message: (outcome as Error).message, cause: String((outcome as Error).cause) });
      for (const secret of secrets) expect(visible).not.toContain(secret);
    },
  );

  it("left the owner's data untouched", async () => {
    const monitor = await callerFor(db, { user: alice }).monitor.byId({ id: ids.monitor });
    expect(monitor).toMatchObject({ name: "Alice's payroll API", isActive: true });
    expect(await db.apiToken.count({ where: { id: ids.apiToken } })).toBe(1);
    expect(await db.account.count({ where: { id: ids.connection } })).toBe(1);
  });

  it("lists show only one's own things", async () => {
    const bobApi = callerFor(db, { user: bob });
    expect(JSON.stringify(await bobApi.monitor.list())).not.toContain(ids.monitor);
    expect(JSON.stringify(await bobApi.account.apiTokens.list())).not.toContain(ids.apiToken);
    expect(JSON.stringify(await bobApi.account.me())).not.toContain(ids.connection);
  });
});
