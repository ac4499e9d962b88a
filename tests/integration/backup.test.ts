/**
 * `npm run db:backup` / `db:restore`, in both database modes, on real servers: the
 * embedded PostgreSQL (a physical backup through the low-level backup API) and an
 * external server (pg_dump / pg_restore; a scratch cluster of Debian's PostgreSQL, whose
 * client tools match it). Backup → drop everything → restore gives back every row of
 * every table; a backup taken while the engine writes results restores consistent.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupExternal, restoreExternal, verifyExternalBackup } from "../../core/ops/backup/logical.ts";
import { backupEmbedded, restoreEmbedded, verifyEmbeddedBackup } from "../../core/ops/backup/physical.ts";
import { createDb } from "../../core/db/client.ts";
import { embeddedPaths, startEmbeddedPostgres, type EmbeddedPostgres } from "../../core/ops/embedded-postgres.ts";
import { applyMigrations } from "../../core/ops/migrate.ts";
import type { Runner } from "../../workers/engine/runner.ts";
import { callerFor } from "../support/caller.ts";
import { createFastMonitors, eventually, sleep, startTestRunner, uniqueRegion } from "../support/engine.ts";
import { createUser } from "../support/factories.ts";
import { removeScratch, scratchDir, startPrimary, type Cluster } from "../support/postgres-cluster.ts";
import { rollupsDisagreeingWithResults, snapshotTables, storedResults } from "../support/table-snapshot.ts";
import { startTargetServer, type TargetServer } from "../support/target-server.ts";
import { tmpRoot } from "../support/test-database.ts";

let target: TargetServer;
const scratch: string[] = [];

beforeAll(async () => {
  target = await startTargetServer();
});
afterAll(async () => {
  await target.stop();
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

async function scratchDataDir(label: string): Promise<string> {
  const dir = path.join(tmpRoot, `${label}-${randomBytes(4).toString("hex")}`);
  await mkdir(dir, { recursive: true });
  scratch.push(dir);
  return dir;
}

/** What a user has: monitors of several types, a channel, a page with a section, and their checks. */
async function fillDatabase(url: string, monitors: number): Promise<{ region: string; runner: Runner }> {
  const db = createDb(url);
  try {
    const user = await createUser(db);
    const api = callerFor(db, { user });
    await api.notification.create({ type: "WEBHOOK", name: "Hook", target: target.url("/hook") });
    const http = await api.monitor.create({ url: target.url("/ok/backup"), name: "Website" });
    await api.monitor.create({ type: "TCP", host: "127.0.0.1", port: target.port, name: "Port" });
    await api.monitor.create({ type: "HEARTBEAT", periodSeconds: 60, graceSeconds: 30, name: "Nightly job" });
    const page = await api.statusPage.create({ name: "Status", slug: `backup-${randomBytes(3).toString("hex")}` });
    await api.statusPage.setMonitors({
      id: page.id,
      monitors: [{ monitorId: http.id, displayName: "Website", section: "Public" }],
    });
    const region = uniqueRegion();
    await createFastMonitors(
      db,
      user.id,
      Array.from({ length: monitors }, (_, i) => target.url(`/ok/fast-${i}`)),
      { intervalSeconds: 1, region },
    );
    const runner = startTestRunner(url, { region });
    await eventually("results stored", async () => (await storedResults(url)) >= monitors);
    return { region, runner };
  } finally {
    await db.$disconnect();
  }
}

describe("backups of the embedded PostgreSQL", () => {
  let dataDir: string;
  let server: EmbeddedPostgres;

  beforeAll(async () => {
    dataDir = await scratchDataDir("backup-embedded");
    server = await startEmbeddedPostgres({ dataDir, port: 0 });
    await applyMigrations(server.url);
  });
  afterAll(async () => {
    await server.stop();
  });

  it("backup → delete the cluster → restore: every table's rows are identical", async () => {
    const { runner } = await fillDatabase(server.url, 5);
    await runner.stop();
    const before = await snapshotTables(server.url);
    const file = path.join(dataDir, "backups", "better-uptime-20261205T000000Z.embedded.tar.gz");
    await mkdir(path.dirname(file), { recursive: true });
    await backupEmbedded({ url: server.url, dataDir, file });
    const verified = await verifyEmbeddedBackup(file, dataDir);
    expect(verified.Website).toBe(before.Website!.length);

    // Everything gone: the server stopped, its cluster and password deleted.
    await server.stop();
    const { clusterDir, passwordFile } = embeddedPaths(dataDir);
    await rm(clusterDir, { recursive: true, force: true });
    await rm(passwordFile, { force: true });

    const restored = await restoreEmbedded(file, dataDir);
    expect(restored.keptAt).toBeNull();
    server = await startEmbeddedPostgres({ dataDir, port: 0 });
    const after = await snapshotTables(server.url);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const table of Object.keys(before)) expect(after[table], table).toEqual(before[table]);
    expect(before.CheckResult!.length).toBeGreaterThan(0);
    expect((await readdir(dataDir)).filter((name) => name.startsWith("."))).toEqual([]); // no scratch left
  });

  it("taken while checks are being written, restores to a consistent state", async () => {
    const { runner } = await fillDatabase(server.url, 40);
    const file = path.join(dataDir, "backups", "better-uptime-20261205T000100Z.embedded.tar.gz");
    const writtenBefore = await storedResults(server.url);
    await backupEmbedded({ url: server.url, dataDir, file });
    await sleep(500);
    await runner.stop();
    expect(await storedResults(server.url)).toBeGreaterThan(writtenBefore); // it was writing throughout

    const elsewhere = await scratchDataDir("restore-embedded");
    const { counts } = await restoreEmbedded(file, elsewhere);
    expect(counts.CheckResult).toBeGreaterThanOrEqual(writtenBefore);
    const copy = await startEmbeddedPostgres({ dataDir: elsewhere, port: 0 });
    try {
      expect(await rollupsDisagreeingWithResults(copy.url)).toEqual([]);
    } finally {
      await copy.stop();
    }
  });

  it("a restore over an existing cluster keeps the one it replaced, and refuses while the server runs", async () => {
    const file = path.join(dataDir, "backups", "better-uptime-20261205T000200Z.embedded.tar.gz");
    await backupEmbedded({ url: server.url, dataDir, file });
    await expect(restoreEmbedded(file, dataDir)).rejects.toThrow(/is running \(pid \d+\): stop Better Uptime first/);
    await server.stop();
    const { keptAt } = await restoreEmbedded(file, dataDir);
    expect(keptAt).toMatch(/postgres\.before-restore-\d{8}T\d{6}Z$/);
    expect(await readdir(dataDir)).toContain(path.basename(keptAt!));
    server = await startEmbeddedPostgres({ dataDir, port: 0 });
  });
});

describe("backups of an external server (pg_dump)", () => {
  let root: string;
  let cluster: Cluster;
  const urlOf = (database: string) => cluster.url.replace(/\/postgres$/, `/${database}`);

  beforeAll(async () => {
    root = scratchDir("backup-external");
    cluster = await startPrimary(root);
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query("CREATE DATABASE better_uptime");
    await admin.query("CREATE DATABASE restored");
    await admin.end();
    await applyMigrations(urlOf("better_uptime"));
  });
  afterAll(() => {
    cluster.stop();
    removeScratch(root);
  });

  it("backup → drop everything → restore: every table's rows are identical", async () => {
    const url = urlOf("better_uptime");
    const { runner } = await fillDatabase(url, 5);
    await runner.stop();
    const before = await snapshotTables(url);
    const dir = await scratchDataDir("backup-external");
    const file = path.join(dir, "better-uptime-20261205T000000Z.dump");
    const { major } = await backupExternal({ url: `${url}?connection_limit=3&pool_timeout=5`, file });
    expect(await verifyExternalBackup(file, major)).toBeGreaterThan(20);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query("DROP SCHEMA public CASCADE");
    await client.query("CREATE SCHEMA public");
    await client.end();
    expect(await snapshotTables(url)).toEqual({});

    await restoreExternal({ url, file });
    const after = await snapshotTables(url);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const table of Object.keys(before)) expect(after[table], table).toEqual(before[table]);
    expect(before.CheckResult!.length).toBeGreaterThan(0);
  });

  it("taken while checks are being written, restores to a consistent state", async () => {
    const url = urlOf("better_uptime");
    const { runner } = await fillDatabase(url, 40);
    const dir = await scratchDataDir("backup-external");
    const file = path.join(dir, "better-uptime-20261205T000100Z.dump");
    const writtenBefore = await storedResults(url);
    await backupExternal({ url, file });
    await sleep(500);
    await runner.stop();
    expect(await storedResults(url)).toBeGreaterThan(writtenBefore);

    const counts = await restoreExternal({ url: urlOf("restored"), file });
    expect(counts.CheckResult).toBeGreaterThanOrEqual(writtenBefore);
    expect(await rollupsDisagreeingWithResults(urlOf("restored"))).toEqual([]);
  });

  it("a failing restore puts the current schema back", async () => {
    const url = urlOf("restored");
    const before = await snapshotTables(url);
    const dir = await scratchDataDir("backup-external");
    const broken = path.join(dir, "broken.dump");
    const { writeFile } = await import("node:fs/promises");
    await writeFile(broken, "PGDMP but not really a dump");
    await expect(restoreExternal({ url, file: broken })).rejects.toThrow(/pg_restore failed/);
    expect(await snapshotTables(url)).toEqual(before);
  });
});
