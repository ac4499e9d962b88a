/**
 * `npm run db:backup`: a timestamped, verified backup of the app's database into
 * BACKUP_DIR (default DATA_DIR/backups), keeping the newest BACKUP_KEEP (default 7).
 *  - DATABASE_URL set: `pg_dump -Fc` with client tools matching the server, verified by
 *    pg_restore listing it.
 *  - unset: an online physical backup of the embedded PostgreSQL (cluster + WAL),
 *    verified by restoring it into a scratch copy, starting it and counting its rows.
 * Safe while the app runs. Exit code 0 only for a backup that was verified.
 */
import { chmod, mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { BackupError } from "../core/ops/backup/backup-error.ts";
import { backupExternal, verifyExternalBackup } from "../core/ops/backup/logical.ts";
import { backupFileName, backupsToPrune } from "../core/ops/backup/names.ts";
import { backupEmbedded, verifyEmbeddedBackup } from "../core/ops/backup/physical.ts";
import { startEmbeddedPostgres } from "../core/ops/embedded-postgres.ts";
import { loadEnv } from "../core/env.ts";
import { StartupError } from "../core/errors.ts";

const say = (line: string) => process.stdout.write(`backup: ${line}\n`);
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

try {
  const env = loadEnv();
  const dir = path.resolve(env.BACKUP_DIR ?? path.join(env.DATA_DIR, "backups"));
  // Only the directory itself is private: a DATA_DIR made on the way must stay reachable by PostgreSQL's user.
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o700);
  const file = path.join(dir, backupFileName(env.DATABASE_URL ? "dump" : "embedded", new Date()));
  try {
    if (env.DATABASE_URL) {
      const { tool, major } = await backupExternal({ url: env.DATABASE_URL, file });
      say(`wrote ${file} (${mib((await stat(file)).size)}) with ${tool.path} (PostgreSQL ${major})`);
      const tables = await verifyExternalBackup(file, major);
      say(`verified: pg_restore reads it, ${tables} tables of data`);
    } else {
      // The running server of `npm start` when there is one (shared, never stopped), else one for this command.
      const server = await startEmbeddedPostgres({
        dataDir: env.DATA_DIR,
        port: env.EMBEDDED_POSTGRES_PORT,
        mode: "share",
      });
      try {
        const manifest = await backupEmbedded({ url: server.url, dataDir: env.DATA_DIR, file });
        say(
          `wrote ${file} (${mib((await stat(file)).size)}; ${manifest.files} files, ${mib(manifest.bytes)} of PostgreSQL ${manifest.postgresVersion})`,
        );
      } finally {
        await server.stop();
      }
      const counts = await verifyEmbeddedBackup(file, env.DATA_DIR);
      const rows = Object.values(counts).reduce((sum, count) => sum + count, 0);
      say(
        `verified: restored in a scratch copy, ${Object.keys(counts).length} tables, ${rows.toLocaleString("en")} rows`,
      );
    }
  } catch (error) {
    // A backup that could not be verified must not pass for one (nor push a good one out of the rotation).
    await rename(file, `${file}.unverified`).catch(() => undefined);
    throw error;
  }
  const pruned = backupsToPrune(await readdir(dir), env.BACKUP_KEEP);
  for (const name of pruned) await rm(path.join(dir, name), { force: true });
  if (pruned.length)
    say(`removed ${pruned.length} older backup${pruned.length === 1 ? "" : "s"} (keeping ${env.BACKUP_KEEP})`);
} catch (error) {
  const known = error instanceof BackupError || error instanceof StartupError;
  process.stderr.write(`backup failed: ${known ? error.message : ((error as Error)?.stack ?? String(error))}\n`);
  process.exit(1);
}
