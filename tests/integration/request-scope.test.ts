/**
 * Where the request scope sends a procedure's reads (app/trpc/init.server.ts): with a
 * replica, a visitor's and an idle owner's reads go to it, while an owner who has just
 * written reads from the primary for `freshForMs` (they must see their own change), and
 * only a write that went through marks them so. The replica here is a real, migrated
 * database that has replayed nothing yet (a replica far behind): what it answers is
 * visibly not what the primary holds. tests/integration/replica.test.ts runs the same
 * journey on a real streaming replica.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { inject } from "vitest";
import { createDb, type Db } from "../../core/db/client.ts";
import { applyMigrations } from "../../core/ops/migrate.ts";
import { primaryOnly, type ReadRouting } from "../../core/db/read-routing.ts";
import { callerFor } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createUser, unique } from "../support/factories.ts";
import { createDatabaseBeside, type TestDatabase } from "../support/test-database.ts";

const PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
const FRESH_FOR_MS = 60_000;

const db = testDb();
let replicaDatabase: TestDatabase;
let replicaDb: Db;
beforeAll(async () => {
  replicaDatabase = await createDatabaseBeside(inject("databaseUrl"), "bu_replica");
  await applyMigrations(replicaDatabase.url);
  replicaDb = createDb(replicaDatabase.url);
}, 60_000);
afterAll(async () => {
  await replicaDb?.$disconnect();
  await replicaDatabase?.drop();
  await db.$disconnect();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Reads as createReadRouting routes them while its replica is in use: fresh ones to the primary. */
function behindReplica(): ReadRouting {
  return {
    read: (fresh, read) => read(fresh ? db : replicaDb),
    state: () => ({ replica: "in use", lagMs: 0 }),
    freshForMs: FRESH_FOR_MS,
    stop: () => Promise.resolve(),
  };
}

async function lastWriteOf(userId: string): Promise<Date | null> {
  return (await db.user.findUniqueOrThrow({ where: { id: userId } })).lastWriteAt;
}

describe("the request scope's reads", () => {
  it("sends a visitor's reads to the replica", async () => {
    const owner = await createUser(db);
    const api = callerFor(db, { user: owner });
    const page = await api.statusPage.create({ name: "Scope status", slug: unique("scope").toLowerCase() });
    await api.statusPage.setPublished({ id: page.id, isPublished: true });
    await api.statusPage.setLogo({ id: page.id, image: PNG_BASE64 });
    // The primary has the logo, so the replica's answer below is the replica's.
    expect(await callerFor(db).statusPage.logo({ slug: page.slug })).toMatchObject({ contentType: "image/png" });
    expect(await callerFor(db, { reads: behindReplica() }).statusPage.logo({ slug: page.slug })).toBeNull();
  });

  it("sends an owner's reads to the primary for a while after their own write, then to the replica again", async () => {
    const owner = await createUser(db);
    const bystander = await createUser(db);
    const reads = behindReplica();
    const ownerApi = (lastWriteAt?: Date | null) =>
      callerFor(db, { user: owner, reads, ...(lastWriteAt ? { lastWriteAt } : {}) });
    await ownerApi().monitor.create({ url: "http://127.0.0.1:9/scope", name: "Checkout" });

    // The write is recorded on the writer (the next session lookup reads it), no one else.
    const wroteAt = await lastWriteOf(owner.id);
    expect(wroteAt).not.toBeNull();
    expect(await lastWriteOf(bystander.id)).toBeNull();
    const names = async (lastWriteAt?: Date | null) =>
      (await ownerApi(lastWriteAt).monitor.overview({})).monitors.map((monitor) => monitor.name);
    expect(await names(wroteAt)).toEqual(["Checkout"]);
    // Without a recent write: the replica, which has not got the monitor yet.
    expect(await names()).toEqual([]);

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(wroteAt!.getTime() + FRESH_FOR_MS - 1);
    expect(await names(wroteAt)).toEqual(["Checkout"]);
    vi.setSystemTime(wroteAt!.getTime() + FRESH_FOR_MS);
    expect(await names(wroteAt)).toEqual([]);
  });

  it("marks no writer for a read or a refused write", async () => {
    const owner = await createUser(db);
    const api = callerFor(db, { user: owner, reads: behindReplica() });
    await api.monitor.list();
    await expect(api.monitor.update({ id: "no-such-monitor", name: "x" })).rejects.toThrow("Monitor not found");
    expect(await lastWriteOf(owner.id)).toBeNull();
  });

  it("without a replica, adds no write of its own to a user's change", async () => {
    const owner = await createUser(db);
    await callerFor(db, { user: owner, reads: primaryOnly(db) }).monitor.create({ url: "http://127.0.0.1:9/one" });
    expect(await lastWriteOf(owner.id)).toBeNull();
  });
});
