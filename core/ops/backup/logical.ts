/**
 * Backups of DATABASE_URL's server with PostgreSQL's own tools: `pg_dump -Fc` and
 * `pg_restore`. pg_dump refuses servers newer than itself, so the tools are chosen to
 * match the server (PG_BIN_DIR, then Debian's versioned directories, then PATH); when
 * none will do, the error names the version needed and how to get it.
 *
 * The connection goes to the tools through libpq's environment (PGHOST, PGPASSWORD, …):
 * the password never appears on a command line, and Prisma's own URL parameters
 * (connection_limit, schema, …), which libpq would refuse, stay out.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chmod, rename, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { connectionSettingsFromUrl } from "../../connection.mjs";
import { BackupError } from "./backup-error.ts";
import type { TableCounts } from "./manifest.ts";
import { tableRowCounts } from "./table-counts.ts";

const execFileAsync = promisify(execFile);

type Tool = "pg_dump" | "pg_restore";

export interface ToolChoice {
  path: string;
  major: number;
}

/** libpq's environment for a DATABASE_URL (no secrets on the command line). */
export function libpqEnvironment(url: string): Record<string, string> {
  const settings = connectionSettingsFromUrl(url);
  const params = new URL(url).searchParams;
  const env: Record<string, string> = {
    PGHOST: settings.host,
    PGPORT: String(settings.port),
    PGDATABASE: settings.database,
    PGAPPNAME: "better-uptime-backup",
    PGCONNECT_TIMEOUT: "10",
  };
  if (settings.poolConfig.user) env.PGUSER = settings.poolConfig.user;
  if (settings.poolConfig.password) env.PGPASSWORD = String(settings.poolConfig.password);
  const libpq: Record<string, string> = {
    sslmode: "PGSSLMODE",
    sslrootcert: "PGSSLROOTCERT",
    sslcert: "PGSSLCERT",
    sslkey: "PGSSLKEY",
  };
  for (const [param, variable] of Object.entries(libpq)) {
    const value = params.get(param);
    if (value) env[variable] = value;
  }
  return env;
}

async function serverMajor(url: string): Promise<number> {
  const client = new pg.Client({ ...connectionSettingsFromUrl(url).poolConfig });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>("SELECT current_setting('server_version_num') AS n");
    return Math.floor(Number(rows[0]!.n) / 10_000);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function toolMajor(file: string): Promise<number | null> {
  try {
    const { stdout } = await execFileAsync(file, ["--version"]);
    const match = /(\d+)(?:\.\d+)?/.exec(stdout);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Where a tool may be, best first. */
function candidates(tool: Tool, major: number): string[] {
  const found: string[] = [];
  if (process.env.PG_BIN_DIR) found.push(path.join(process.env.PG_BIN_DIR, tool));
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .map(Number)
      .filter((version) => Number.isInteger(version))
      .sort((a, b) => (a === major ? -1 : b === major ? 1 : b - a));
    for (const version of versions) found.push(path.join(debian, String(version), "bin", tool));
  }
  for (const dir of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) found.push(path.join(dir, tool));
  return [...new Set(found)].filter((file) => existsSync(file));
}

/** Pure: the tool to use for a server of `major`, from those found; the same major first, else the newest newer one. */
export function pickTool(found: readonly ToolChoice[], major: number): ToolChoice | undefined {
  return (
    found.find((tool) => tool.major === major) ??
    [...found].sort((a, b) => b.major - a.major).find((tool) => tool.major > major)
  );
}

export async function findTool(tool: Tool, major: number): Promise<ToolChoice> {
  const found: ToolChoice[] = [];
  for (const file of candidates(tool, major)) {
    const version = await toolMajor(file);
    if (version !== null) found.push({ path: file, major: version });
  }
  const chosen = pickTool(found, major);
  if (chosen) return chosen;
  throw new BackupError(missingToolMessage(tool, major, found));
}

/** Pure: what to do when no tool fits the server. */
export function missingToolMessage(tool: Tool, major: number, found: readonly ToolChoice[]): string {
  const seen = found.length ? ` (found ${found.map((choice) => `${tool} ${choice.major}`).join(", ")})` : "";
  return (
    `the server is PostgreSQL ${major} and needs ${tool} ${major} or newer${seen}: install PostgreSQL ${major}'s client tools ` +
    `(Debian/Ubuntu: apt-get install postgresql-client-${major}) or set PG_BIN_DIR to their directory`
  );
}

function runTool(file: string, args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    // Only what the tool needs: no PG* variable of ours leaks in beside the URL's.
    const toolEnv = { PATH: process.env.PATH ?? "", LC_ALL: "C", NODE_ENV: process.env.NODE_ENV, ...env };
    const child = spawn(file, args, { env: toolEnv, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.once("error", reject);
    child.once("close", (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new BackupError(`${path.basename(file)} failed: ${stderr.trim() || `exit code ${code}`}`)),
    );
  });
}

/** `pg_dump -Fc` of the app's database (its schema, when the URL names one) into `file`, written whole or not at all. */
export async function backupExternal(options: {
  url: string;
  file: string;
}): Promise<{ tool: ToolChoice; major: number }> {
  const major = await serverMajor(options.url);
  const tool = await findTool("pg_dump", major);
  const schema = connectionSettingsFromUrl(options.url).schema;
  const partial = `${options.file}.partial`;
  try {
    await runTool(
      tool.path,
      ["--format=custom", `--file=${partial}`, ...(schema ? [`--schema=${schema}`] : [])],
      libpqEnvironment(options.url),
    );
    await chmod(partial, 0o600);
    await rename(partial, options.file);
  } finally {
    await rm(partial, { force: true });
  }
  return { tool, major };
}

/** Proves a dump is readable and holds the app's tables: pg_restore lists it. */
export async function verifyExternalBackup(file: string, major: number): Promise<number> {
  const tool = await findTool("pg_restore", major);
  const list = await runTool(tool.path, ["--list", file], {});
  const tables = list.split("\n").filter((line) => / TABLE DATA /.test(line));
  if (!tables.some((line) => line.includes("_prisma_migrations"))) {
    throw new BackupError(`${file} holds no Better Uptime database (no _prisma_migrations table data)`);
  }
  return tables.length;
}

/**
 * Replaces the app's schema with the dump's. The current schema is renamed aside first
 * and dropped only once the restore (one transaction) has succeeded; if it fails, it is
 * put back as it was.
 */
export async function restoreExternal(options: { url: string; file: string }): Promise<TableCounts> {
  const major = await serverMajor(options.url);
  const tool = await findTool("pg_restore", major);
  await verifyExternalBackup(options.file, major);
  const schema = connectionSettingsFromUrl(options.url).schema ?? "public";
  const aside = `${schema}_before_restore`;
  const client = new pg.Client({ ...connectionSettingsFromUrl(options.url).poolConfig });
  client.on("error", () => undefined);
  await client.connect();
  const id = (name: string) => client.escapeIdentifier(name);
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${id(aside)} CASCADE`);
    await client.query(`ALTER SCHEMA ${id(schema)} RENAME TO ${id(aside)}`);
    await client.query(`CREATE SCHEMA ${id(schema)}`);
    try {
      await runTool(
        tool.path,
        [
          "--no-owner",
          "--no-privileges",
          "--exit-on-error",
          "--single-transaction",
          `--dbname=${libpqEnvironment(options.url).PGDATABASE}`,
          options.file,
        ],
        libpqEnvironment(options.url),
      );
    } catch (error) {
      await client.query(`DROP SCHEMA ${id(schema)} CASCADE`);
      await client.query(`ALTER SCHEMA ${id(aside)} RENAME TO ${id(schema)}`);
      throw error;
    }
    await client.query(`DROP SCHEMA ${id(aside)} CASCADE`);
  } finally {
    await client.end().catch(() => undefined);
  }
  return tableRowCounts(options.url);
}

/** Other sessions on the database: a restore under a running app would mix its writes with the backup's. */
export async function otherSessions(url: string): Promise<{ application: string; count: number }[]> {
  const client = new pg.Client({ ...connectionSettingsFromUrl(url).poolConfig });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ application: string; count: number }>(
      `SELECT coalesce(nullif(application_name, ''), 'unnamed') AS application, count(*)::int AS count
       FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
       GROUP BY 1 ORDER BY 2 DESC`,
    );
    return rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}
