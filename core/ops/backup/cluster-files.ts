/**
 * Copying a running cluster's files for a physical backup, as PostgreSQL's documentation
 * on the low-level backup API says: everything but what the server rebuilds or must not
 * find (its lock file, WAL — copied apart, after the backup stops —, replication slots,
 * temporary and statistics files). Files that vanish while copied are skipped: the WAL
 * replayed at restore recreates whatever they held.
 */
import { chown, copyFile, lstat, mkdir, readdir } from "node:fs/promises";
import path from "node:path";

/** Top-level entries whose contents are left out (the directories themselves are kept, empty). */
const EMPTY_DIRECTORIES = new Set([
  "pg_wal",
  "pg_replslot",
  "pg_dynshmem",
  "pg_notify",
  "pg_serial",
  "pg_snapshots",
  "pg_stat_tmp",
  "pg_subtrans",
]);
/** Files never copied, wherever they are. */
const SKIPPED_FILES = new Set(["postmaster.pid", "postmaster.opts", "pg_internal.init", "backup_label.old"]);

export interface CopyTally {
  files: number;
  bytes: number;
}

export async function copyClusterFiles(from: string, to: string, tally: CopyTally = { files: 0, bytes: 0 }, depth = 0) {
  await mkdir(to, { recursive: true, mode: 0o700 });
  const entries = await readdir(from, { withFileTypes: true }).catch(vanished);
  for (const entry of entries ?? []) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.name.startsWith("pgsql_tmp") || SKIPPED_FILES.has(entry.name)) continue;
    if (entry.isDirectory()) {
      if (depth === 0 && EMPTY_DIRECTORIES.has(entry.name)) await mkdir(target, { mode: 0o700 });
      else await copyClusterFiles(source, target, tally, depth + 1);
    } else if (entry.isFile()) {
      const copied = await copyFile(source, target).then(() => true, vanished);
      if (!copied) continue;
      tally.files += 1;
      tally.bytes += (await lstat(target)).size;
    }
  }
  return tally;
}

/** ENOENT while copying a live cluster: the file was dropped meanwhile. */
function vanished(error: NodeJS.ErrnoException): undefined {
  if (error.code === "ENOENT") return undefined;
  throw error;
}

/** Gives a tree to PostgreSQL's user (we are root; PostgreSQL refuses to run as root). */
export async function chownTree(dir: string, owner: { uid: number; gid: number }): Promise<void> {
  await chown(dir, owner.uid, owner.gid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(child, owner);
    else await chown(child, owner.uid, owner.gid);
  }
}
