/**
 * Reads from a real streaming replica (issue 14): a primary and a hot standby made with
 * `pg_basebackup -R`, both scratch clusters on 127.0.0.1. Public pages and dashboard
 * lists are read from the replica; a user's own write is read back from the primary at
 * once; a replica lagging past the bound, or gone, leaves every page served.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaches } from "../../app/server/services/process/caches.server.ts";
import { createDb, type Db } from "../../core/db/client.ts";
import { applyMigrations } from "../../core/ops/migrate.ts";
import { createReadRouting, type ReadRouting } from "../../core/db/read-routing.ts";
import { createLogger } from "../../core/logger.ts";
import { callerFor } from "../support/caller.ts";
import { eventually } from "../support/engine.ts";
import { createUser } from "../support/factories.ts";
import { removeScratch, scratchDir, startPrimary, startReplica, type Cluster } from "../support/postgres-cluster.ts";

let root: string;
let primary: Cluster;
let replica: Cluster;
let primaryDb: Db;
let replicaDb: Db;
const routings: ReadRouting[] = [];

beforeAll(async () => {
  root = scratchDir("replica");
  primary = await startPrimary(root);
  await applyMigrations(primary.url);
  replica = await startReplica(root, primary);
  primaryDb = createDb(primary.url);
  replicaDb = createDb(replica.url);
}, 120_000);

afterAll(async () => {
  await Promise.all(routings.map((routing) => routing.stop()));
  await primaryDb?.$disconnect();
  await replicaDb?.$disconnect();
  for (const cluster of [replica, primary]) {
    try {
      cluster?.stop("immediate");
    } catch {
      // already stopped
    }
  }
  if (root) removeScratch(root);
});

function routingWith(maxLagMs: number): ReadRouting {
  const routing = createReadRouting({
    primary: primaryDb,
    replicaUrl: replica.url,
    maxLagMs,
    logger: createLogger("silent"),
    checkEveryMs: 200,
  });
  routings.push(routing);
  return routing;
}

describe("reads from a streaming replica", () => {
  it("serves public pages and dashboards from the replica, the owner's own writes from the primary, and falls back when it lags or goes", async () => {
    const reads = routingWith(60_000);
    await eventually("the replica in use", () => Promise.resolve(reads.state().replica === "in use" || null));
    // Operators see it on /healthz.
    expect((await callerFor(primaryDb, { reads }).health()).replica).toEqual({ state: "in use", lagSeconds: 0 });
    const owner = await createUser(primaryDb);
    const ownerApi = (lastWriteAt?: Date) =>
      callerFor(primaryDb, { user: owner, reads, ...(lastWriteAt ? { lastWriteAt } : {}) });
    const monitor = await ownerApi().monitor.create({ url: "http://127.0.0.1:9/replica", name: "Checkout" });
    const page = await ownerApi().statusPage.create({ name: "Acme status", slug: "acme-replica" });
    await ownerApi().statusPage.setMonitors({
      id: page.id,
      monitors: [{ monitorId: monitor.id, displayName: "Checkout" }],
    });
    await ownerApi().statusPage.setPublished({ id: page.id, isPublished: true });
    // A visitor: anonymous, and a process of their own (nothing cached).
    const visitor = (routing: ReadRouting) => callerFor(primaryDb, { reads: routing, caches: createCaches() });
    await eventually("the page on the replica", async () =>
      (await replicaDb.statusPage.findFirst({ where: { slug: "acme-replica", isPublished: true } })) ? true : null,
    );

    // The replica stops replaying: what the primary gets from now on, it does not have.
    await replicaDb.$executeRaw`SELECT pg_wal_replay_pause()`;
    await primaryDb.statusPage.update({ where: { id: page.id }, data: { description: "changed on the primary" } });
    expect((await visitor(reads).statusPage.public({ slug: "acme-replica" })).description).toBeNull();

    // The owner adds a monitor: their next request (with its recorded write time, as the
    // session lookup reads it) sees it at once; a reader without a recent write does not.
    await ownerApi().monitor.create({ url: "http://127.0.0.1:9/replica-2", name: "Search" });
    const { lastWriteAt } = await primaryDb.user.findUniqueOrThrow({ where: { id: owner.id } });
    expect(lastWriteAt).not.toBeNull();
    expect((await ownerApi(lastWriteAt!).monitor.overview({})).monitors.map((m) => m.name).sort()).toEqual([
      "Checkout",
      "Search",
    ]);
    expect((await ownerApi().monitor.overview({})).monitors.map((m) => m.name)).toEqual(["Checkout"]);

    // Past the lag bound, reads go to the primary.
    const strict = routingWith(500);
    await eventually("the replica counted as lagging", () =>
      Promise.resolve(strict.state().replica === "lagging" || null),
    );
    expect((await visitor(strict).statusPage.public({ slug: "acme-replica" })).description).toBe(
      "changed on the primary",
    );

    // Gone altogether: every page is still served, from the primary.
    await replicaDb.$executeRaw`SELECT pg_wal_replay_resume()`;
    await replicaDb.$disconnect();
    replica.stop("immediate");
    const page2 = await visitor(reads).statusPage.public({ slug: "acme-replica" });
    expect(page2.description).toBe("changed on the primary");
    await eventually("the replica counted as unreachable", () =>
      Promise.resolve(reads.state().replica === "unreachable" || null),
    );
    const health = await callerFor(primaryDb, { reads }).health();
    expect(health).toMatchObject({ status: "ok", replica: { state: "unreachable", lagSeconds: null } });
  }, 120_000);
});
