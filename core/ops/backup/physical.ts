/**
 * Online physical backups of the embedded PostgreSQL, through PostgreSQL's low-level
 * backup API: the cluster's files copied between pg_backup_start and pg_backup_stop, the
 * backup label it returns, and the WAL written meanwhile — kept from removal by a
 * temporary replication slot taken before the start — so that a restore replays to a
 * consistent state, whatever was being written during the copy. The embedded binaries
 * ship no pg_dump or pg_basebackup; this needs neither.
 *
 * An archive mirrors DATA_DIR: `postgres/` (the cluster), `postgres-password` (the
 * superuser's password, which the cluster holds too) and the manifest.
 */
import { randomBytes } from "node:crypto";
import { chmod, copyFile, mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import * as tar from "tar";
import { embeddedPaths, runAs, runningServer, startEmbeddedPostgres } from "../embedded-postgres.ts";
import { BackupError } from "./backup-error.ts";
import { chownTree, copyClusterFiles } from "./cluster-files.ts";
import { BackupManifest, MANIFEST_FILE, type TableCounts } from "./manifest.ts";
import { tableRowCounts } from "./table-counts.ts";

const WAL_SEGMENT = /^[0-9A-F]{24}$/;

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined); // a dropped connection fails the query in flight
  await client.connect();
  return client;
}

/**
 * Takes a backup of the running embedded cluster into `file` (written under another name
 * first, so a file with a backup's name is always whole).
 */
export async function backupEmbedded(options: { url: string; dataDir: string; file: string }): Promise<BackupManifest> {
  const { clusterDir, passwordFile } = embeddedPaths(path.resolve(options.dataDir));
  const staging = `${options.file}.partial-${randomBytes(4).toString("hex")}`;
  const client = await connect(options.url);
  try {
    const version = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
    const slot = `better_uptime_backup_${randomBytes(4).toString("hex")}`;
    // Temporary: it goes with this session, even if we crash; it keeps the WAL from the start on.
    await client.query("SELECT pg_create_physical_replication_slot($1, true, true)", [slot]);
    const start = await client.query<{ lsn: string }>("SELECT pg_backup_start($1, true)::text AS lsn", [
      `better-uptime ${new Date().toISOString()}`,
    ]);
    const tally = await copyClusterFiles(clusterDir, path.join(staging, "postgres"));
    const stop = await client.query<{ lsn: string; labelfile: string; spcmapfile: string | null }>(
      "SELECT lsn::text, labelfile, spcmapfile FROM pg_backup_stop(false)",
    );
    const { lsn: stopLsn, labelfile, spcmapfile } = stop.rows[0]!;
    const startLsn = start.rows[0]!.lsn;
    await writeFile(path.join(staging, "postgres", "backup_label"), labelfile);
    if (spcmapfile) await writeFile(path.join(staging, "postgres", "tablespace_map"), spcmapfile);
    // The segments from the start's to the stop's (the stop switched to a new segment).
    const walNames = await client.query<{ first: string; last: string }>(
      "SELECT pg_walfile_name($1::pg_lsn) AS first, pg_walfile_name($2::pg_lsn) AS last",
      [startLsn, stopLsn],
    );
    const { first, last } = walNames.rows[0]!;
    const walDir = path.join(clusterDir, "pg_wal");
    await mkdir(path.join(staging, "postgres", "pg_wal", "archive_status"), { recursive: true });
    for (const name of (await readdir(walDir)).sort()) {
      const wanted = (WAL_SEGMENT.test(name) && name >= first && name <= last) || name.endsWith(".history");
      if (!wanted) continue;
      await copyFile(path.join(walDir, name), path.join(staging, "postgres", "pg_wal", name));
      tally.files += 1;
      tally.bytes += (await stat(path.join(walDir, name))).size;
    }
    await copyFile(passwordFile, path.join(staging, "postgres-password"));
    const manifest: BackupManifest = {
      format: 1,
      kind: "embedded",
      createdAt: new Date().toISOString(),
      postgresVersion: version,
      startLsn,
      stopLsn,
      files: tally.files,
      bytes: tally.bytes,
    };
    await writeFile(path.join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    const partialFile = `${staging}.tar.gz`;
    await tar.create({ gzip: true, file: partialFile, cwd: staging, portable: true }, [
      MANIFEST_FILE,
      "postgres-password",
      "postgres",
    ]);
    // It holds every account's data and the superuser's password: the owner's eyes only.
    await chmod(partialFile, 0o600);
    await rename(partialFile, options.file);
    return manifest;
  } finally {
    await client.end().catch(() => undefined);
    await rm(staging, { recursive: true, force: true });
    await rm(`${staging}.tar.gz`, { force: true });
  }
}

/** Reads a physical backup's manifest without unpacking the cluster. */
export async function readEmbeddedManifest(file: string): Promise<BackupManifest> {
  let text = "";
  await tar.list({
    file,
    filter: (entryPath) => entryPath === MANIFEST_FILE,
    onReadEntry: (entry) => entry.on("data", (chunk: Buffer) => (text += chunk.toString())),
  });
  if (!text) throw new BackupError(`${file} is not a Better Uptime physical backup (no ${MANIFEST_FILE})`);
  const parsed = BackupManifest.safeParse(JSON.parse(text));
  if (!parsed.success || parsed.data.kind !== "embedded") throw new BackupError(`${file} has an unreadable manifest`);
  return parsed.data;
}

/** Unpacks a backup as a DATA_DIR of its own (`postgres/` and its password), owned by PostgreSQL's user. */
async function unpack(file: string, dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  await tar.extract({ file, cwd: dataDir, preserveOwner: false });
  const { clusterDir } = embeddedPaths(dataDir);
  const owner = await runAs();
  if (owner) await chownTree(clusterDir, owner);
}

/**
 * Proves a backup restores: unpacked next to DATA_DIR (a place PostgreSQL's user can
 * reach), started — replaying its WAL to a consistent state — and read table by table.
 */
export async function verifyEmbeddedBackup(file: string, dataDir: string): Promise<TableCounts> {
  await readEmbeddedManifest(file);
  const scratch = path.join(path.resolve(dataDir), `.backup-verify-${randomBytes(4).toString("hex")}`);
  try {
    await unpack(file, scratch);
    const server = await startEmbeddedPostgres({ dataDir: scratch, port: 0 });
    try {
      return await tableRowCounts(server.url);
    } finally {
      await server.stop();
    }
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`the backup did not restore in a scratch copy: ${(error as Error).message}`);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Replaces DATA_DIR's cluster with a backup's. The server must be stopped. The cluster
 * it replaces is kept beside it (`postgres.before-restore-<time>`) until the user deletes
 * it; if the restored cluster does not start, the old one is put back.
 */
export async function restoreEmbedded(
  file: string,
  dataDir: string,
): Promise<{ manifest: BackupManifest; counts: TableCounts; keptAt: string | null }> {
  const manifest = await readEmbeddedManifest(file);
  const root = path.resolve(dataDir);
  const { clusterDir, passwordFile } = embeddedPaths(root);
  const running = await runningServer(clusterDir);
  if (running) {
    throw new BackupError(
      `the embedded PostgreSQL in ${clusterDir} is running (pid ${running.pid}): stop Better Uptime first, then restore`,
    );
  }
  const scratch = path.join(root, `.restore-${randomBytes(4).toString("hex")}`);
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
  const kept = {
    cluster: `${clusterDir}.before-restore-${stamp}`,
    password: `${passwordFile}.before-restore-${stamp}`,
  };
  const hadCluster = await exists(clusterDir);
  try {
    await unpack(file, scratch);
    if (hadCluster) {
      await rename(clusterDir, kept.cluster);
      await rename(passwordFile, kept.password).catch(() => undefined);
    }
    await rename(path.join(scratch, "postgres"), clusterDir);
    await rename(path.join(scratch, "postgres-password"), passwordFile);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  try {
    const server = await startEmbeddedPostgres({ dataDir: root, port: 0 });
    try {
      return { manifest, counts: await tableRowCounts(server.url), keptAt: hadCluster ? kept.cluster : null };
    } finally {
      await server.stop();
    }
  } catch (error) {
    await rm(clusterDir, { recursive: true, force: true });
    if (hadCluster) {
      await rename(kept.cluster, clusterDir);
      await rename(kept.password, passwordFile).catch(() => undefined);
    }
    throw new BackupError(
      `the restored database did not start, so the previous one was put back: ${(error as Error).message}`,
    );
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
