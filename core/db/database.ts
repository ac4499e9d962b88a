import pg from "pg";
import { connectionSettingsFromUrl, describeConnectionError } from "../../prisma/engine/connection.mjs";
import type { Env } from "../env.ts";
import { StartupError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { createDb, type Db } from "./client.ts";
import { startEmbeddedPostgres } from "./embedded-postgres.ts";
import { applyMigrations } from "./migrate.ts";

export interface Database {
  db: Db;
  /** The URL in use (secret: never log it). */
  url: string;
  /** "embedded" or "external", for the startup log. */
  kind: "embedded" | "external";
  close(): Promise<void>;
}

const TROUBLESHOOTING = 'See README.md, "Troubleshooting".';

/** Fails fast, with host and port and no stack trace, when the database cannot be used. */
export async function checkConnection(url: string): Promise<void> {
  const settings = connectionSettingsFromUrl(url);
  const client = new pg.Client({
    ...settings.poolConfig,
    connectionTimeoutMillis: settings.poolConfig.connectionTimeoutMillis ?? 10_000,
  });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    throw new StartupError(`${describeConnectionError(error, settings).message}. ${TROUBLESHOOTING}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The app's database: DATABASE_URL when set, else the embedded PostgreSQL, supervised
 * (restarted when it exits; `onLost` when it cannot be brought back, and the process
 * should then exit). Migrations are applied before anything else touches it.
 */
export async function openDatabase(env: Env, logger: Logger, onLost: (message: string) => void): Promise<Database> {
  const embedded = env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: env.DATA_DIR,
        port: env.EMBEDDED_POSTGRES_PORT,
        onLog: (line) => logger.debug({ postgres: line }, "embedded postgres"),
        supervise: { log: (level, message, details) => logger[level](details ?? {}, message), onGiveUp: onLost },
      });
  const url = env.DATABASE_URL ?? embedded!.url;
  try {
    await checkConnection(url);
    const applied = await applyMigrations(url).catch((error: unknown) => {
      throw new StartupError(`Migration failed: ${(error as Error).message.split("\n")[0]}. ${TROUBLESHOOTING}`);
    });
    if (embedded) logger.info({ port: embedded.port, dataDir: embedded.clusterDir }, "embedded PostgreSQL ready");
    logger.info({ applied }, applied.length ? "migrations applied" : "database schema up to date");
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  const db = createDb(url);
  return {
    db,
    url,
    kind: embedded ? "embedded" : "external",
    async close() {
      await db.$disconnect();
      await embedded?.stop();
    },
  };
}
