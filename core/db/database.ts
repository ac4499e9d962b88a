import pg from "pg";
import { connectionSettingsFromUrl, describeConnectionError } from "../connection.mjs";
import type { Env } from "../env.ts";
import { StartupError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { createDb, type Db } from "./client.ts";
import { startEmbeddedPostgres } from "../ops/embedded-postgres.ts";
import { applyMigrations } from "../ops/migrate.ts";

export interface Database {
  db: Db;
  /** The URL in use (secret: never log it). */
  url: string;
  /** "embedded" or "external", for the startup log. */
  kind: "embedded" | "external";
  close(): Promise<void>;
}

const TROUBLESHOOTING = 'See README.md, "Troubleshooting".';

/**
 * Fails fast, with host and port and no stack trace, when the database cannot be used.
 * A database that does not exist yet is created when the user may (as `prisma migrate`
 * does), with a line in the log; else the message says how to create it.
 */
export async function checkConnection(url: string, logger?: Logger): Promise<void> {
  const settings = connectionSettingsFromUrl(url);
  const clientFor = (database: string) => {
    const client = new pg.Client({
      ...settings.poolConfig,
      database,
      connectionTimeoutMillis: settings.poolConfig.connectionTimeoutMillis ?? 10_000,
    });
    client.on("error", () => undefined);
    return client;
  };
  const client = clientFor(settings.database);
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    if ((error as { code?: string }).code === "3D000") {
      await createMissingDatabase(clientFor("postgres"), settings.database, settings.poolConfig.user);
      logger?.info({ database: settings.database }, "database created");
      return checkConnection(url, logger);
    }
    throw new StartupError(`${describeConnectionError(error, settings).message}. ${TROUBLESHOOTING}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** CREATE DATABASE through the server's maintenance database, or a StartupError saying why not and what to do. */
async function createMissingDatabase(client: pg.Client, database: string, user: string | undefined): Promise<void> {
  try {
    await client.connect();
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "42P04") return; // another process created it meanwhile
    const reason =
      code === "42501" ? `user "${user ?? ""}" may not create databases` : (error as Error).message.split("\n")[0];
    throw new StartupError(
      `Database "${database}" does not exist, and it could not be created (${reason}): ` +
        `create it with \`createdb ${database}\` (or CREATE DATABASE) as a user who may. ${TROUBLESHOOTING}`,
    );
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
    await checkConnection(url, logger);
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
