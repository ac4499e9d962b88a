/**
 * `npm run db:restore -- <backup> [--yes] [--force]`: replaces the app's database with a
 * backup made by `npm run db:backup`, after a confirmation (or --yes). Stop the app (web
 * and runners) first.
 *  - A physical backup (.embedded.tar.gz) goes into DATA_DIR's embedded PostgreSQL; the
 *    cluster it replaces is kept beside it until you delete it.
 *  - A dump (.dump) goes into DATABASE_URL's database with pg_restore, in one
 *    transaction; the current schema is put back if it fails. Other sessions on the
 *    database stop it, unless --force.
 */
import { open, stat } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline/promises";
import { BackupError } from "../core/ops/backup/backup-error.ts";
import { otherSessions, restoreExternal } from "../core/ops/backup/logical.ts";
import type { TableCounts } from "../core/ops/backup/manifest.ts";
import { readEmbeddedManifest, restoreEmbedded } from "../core/ops/backup/physical.ts";
import { loadEnv } from "../core/env.ts";
import { connectionSettingsFromUrl } from "../core/connection.mjs";
import { StartupError } from "../core/errors.ts";

const say = (line: string) => process.stdout.write(`restore: ${line}\n`);

/** What a file holds, by its first bytes: gzip (a physical backup) or pg_dump's custom format. */
async function kindOf(file: string): Promise<"embedded" | "dump"> {
  const handle = await open(file, "r");
  try {
    const { buffer } = await handle.read(Buffer.alloc(5), 0, 5, 0);
    if (buffer[0] === 0x1f && buffer[1] === 0x8b) return "embedded";
    if (buffer.toString("latin1") === "PGDMP") return "dump";
  } finally {
    await handle.close();
  }
  throw new BackupError(`${file} is neither a physical backup nor a pg_dump file`);
}

async function confirm(question: string, yes: boolean): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY) throw new BackupError("not confirmed: run it in a terminal, or add --yes");
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await prompt.question(`${question}\nType "yes" to continue: `);
  prompt.close();
  if (answer.trim().toLowerCase() !== "yes") throw new BackupError("not confirmed; nothing was changed");
}

const summary = (counts: TableCounts) =>
  `${Object.keys(counts).length} tables, ${Object.values(counts)
    .reduce((sum, n) => sum + n, 0)
    .toLocaleString("en")} rows`;

try {
  const args = process.argv.slice(2);
  const file = args.find((arg) => !arg.startsWith("--"));
  const unknown = args.filter((arg) => arg.startsWith("--") && arg !== "--yes" && arg !== "--force");
  if (!file || unknown.length) throw new BackupError(`usage: npm run db:restore -- <backup file> [--yes] [--force]`);
  const backup = path.resolve(file);
  await stat(backup).catch(() => {
    throw new BackupError(`${backup} does not exist`);
  });
  const env = loadEnv();
  const kind = await kindOf(backup);
  if (kind === "embedded") {
    if (env.DATABASE_URL) {
      throw new BackupError(
        "this is a backup of the embedded PostgreSQL: unset DATABASE_URL to restore it into DATA_DIR",
      );
    }
    const manifest = await readEmbeddedManifest(backup);
    await confirm(
      `This replaces the embedded database in ${path.resolve(env.DATA_DIR)} with the backup taken ${manifest.createdAt}.`,
      args.includes("--yes"),
    );
    const { counts, keptAt } = await restoreEmbedded(backup, env.DATA_DIR);
    say(`restored the backup of ${manifest.createdAt}: ${summary(counts)}`);
    if (keptAt) say(`the database it replaced is kept in ${keptAt}: delete it once you are satisfied`);
  } else {
    if (!env.DATABASE_URL) {
      throw new BackupError(
        "this is a pg_dump backup of an external server: set DATABASE_URL to the database to restore it into",
      );
    }
    const others = await otherSessions(env.DATABASE_URL);
    if (others.length && !args.includes("--force")) {
      const list = others.map((session) => `${session.count} × ${session.application}`).join(", ");
      throw new BackupError(`other sessions use the database (${list}): stop Better Uptime first, or add --force`);
    }
    const { host, port, database } = connectionSettingsFromUrl(env.DATABASE_URL);
    await confirm(
      `This replaces the database "${database}" on ${host}:${port} with ${backup}.`,
      args.includes("--yes"),
    );
    const counts = await restoreExternal({ url: env.DATABASE_URL, file: backup });
    say(`restored ${path.basename(backup)}: ${summary(counts)}`);
  }
} catch (error) {
  const known = error instanceof BackupError || error instanceof StartupError;
  process.stderr.write(`restore failed: ${known ? error.message : ((error as Error)?.stack ?? String(error))}\n`);
  process.exit(1);
}
