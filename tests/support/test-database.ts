/**
 * An isolated PostgreSQL database for one test run, so runs repeat cleanly and never
 * see each other's rows:
 *  - DATABASE_URL set: a new database `bu_test_<run>` on that server, dropped afterwards;
 *  - unset: a fresh embedded PostgreSQL cluster in tests/.tmp, removed afterwards.
 */
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { startEmbeddedPostgres } from "../../core/ops/embedded-postgres.ts";
import { connectionSettingsFromUrl } from "../../core/connection.mjs";
import { dropDatabase, quoteIdent } from "../../core/ops/engine/wasm-engine.mjs";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const tmpRoot = path.join(repoRoot, "tests", ".tmp");

export interface TestServer {
  /** Makes a new, empty database on the test server. */
  createDatabase(prefix: string): Promise<TestDatabase>;
  stop(): Promise<void>;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
}

/** Same server and credentials, another database. */
export function withDatabase(url: string, database: string): string {
  const next = new URL(url);
  next.pathname = `/${database}`;
  return next.toString();
}

async function onAdminConnection<T>(url: string, action: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...connectionSettingsFromUrl(url).poolConfig, database: "postgres" });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database on the server `url` points at (tests that need a blank slate). */
export async function createDatabaseBeside(url: string, prefix: string): Promise<TestDatabase> {
  const name = `${prefix}_${uniqueSuffix()}`;
  await onAdminConnection(url, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
  return {
    name,
    url: withDatabase(url, name),
    drop: () => onAdminConnection(url, (client) => dropDatabase(client, name)),
  };
}

/** The server tests create their databases on: DATABASE_URL's, or an embedded one. */
export async function startTestServer(): Promise<TestServer> {
  const external = process.env.DATABASE_URL;
  const embeddedDir = path.join(tmpRoot, `pg-${uniqueSuffix()}`);
  const embedded = external ? undefined : await startEmbeddedPostgres({ dataDir: embeddedDir, port: 0 });
  const serverUrl = external ?? embedded!.url;
  return {
    createDatabase: (prefix) => createDatabaseBeside(serverUrl, prefix),
    async stop() {
      if (!embedded) return;
      await embedded.stop();
      await rm(embeddedDir, { recursive: true, force: true });
    },
  };
}
