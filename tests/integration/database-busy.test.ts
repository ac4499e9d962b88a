/**
 * A burst of requests a user can send is not a server fault: while every database
 * connection is taken, a request waits its turn (creates included, which run in a
 * transaction), and one that cannot get a connection in time is answered 503 with a
 * Retry-After, having changed nothing (core/db/busy.ts) — never a 500. (A 120-create
 * burst on an idle two-core machine all succeeds; how many wait long enough under load
 * is a figure, not a test.)
 */
import { TRPCError } from "@trpc/server";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../core/db/client.ts";
import { retryAfterSeconds } from "../../app/trpc/retry-after.server.ts";
import { callerFor } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createUser } from "../support/factories.ts";

const db = testDb();
/** One connection, and a second's wait for it. */
const narrow = createDb(withParams(inject("databaseUrl"), { connection_limit: "1", pool_timeout: "1" }));
afterAll(() => Promise.all([db.$disconnect(), narrow.$disconnect()]));

function withParams(url: string, params: Record<string, string>): string {
  const parsed = new URL(url);
  for (const [name, value] of Object.entries(params)) parsed.searchParams.set(name, value);
  return parsed.toString();
}

describe("a busy database", () => {
  it("answers each of 120 monitor creates sent at once: created, or 503 with a Retry-After — never a 500, nothing half made", async () => {
    const user = await createUser(db);
    const api = callerFor(db, { user, env: { MONITORS_PER_USER: "1000" } });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 120 }, (_, i) => api.monitor.create({ url: `http://127.0.0.1:9/burst-${i}` })),
    );
    // How many wait their turn and succeed depends on the machine's load (a transaction
    // waits as long as the pool's wait, core/db/client.ts): the rest must be told to retry.
    const created = outcomes.filter((outcome) => outcome.status === "fulfilled").length;
    const refusals = outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason as unknown] : []));
    expect(refusals.filter((error) => !(error instanceof TRPCError) || error.code !== "SERVICE_UNAVAILABLE")).toEqual(
      [],
    );
    expect(refusals.every((error) => (retryAfterSeconds(error) ?? 0) > 0)).toBe(true);
    expect(created).toBeGreaterThan(0);
    expect(await db.monitor.count({ where: { userId: user.id } })).toBe(created);
    expect(await db.monitorSchedule.count({ where: { monitor: { userId: user.id } } })).toBe(created);
  });

  it("answers a request that found no free connection in time 503 with a Retry-After, and stores nothing", async () => {
    const user = await createUser(db);
    const api = callerFor(narrow, { user });
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    // Another request holds the only connection for longer than a request waits.
    const holder = narrow.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1`;
      await held;
    });
    const refusal = await api.monitor.create({ url: "http://127.0.0.1:9/busy" }).then(
      () => null,
      (error: unknown) => error,
    );
    release();
    await holder;
    expect(refusal).toBeInstanceOf(TRPCError);
    expect((refusal as TRPCError).code).toBe("SERVICE_UNAVAILABLE");
    expect((refusal as TRPCError).message).toMatch(/busy/);
    expect(retryAfterSeconds(refusal)).toBeGreaterThan(0);
    expect(await db.monitor.count({ where: { userId: user.id } })).toBe(0);
  });
});
