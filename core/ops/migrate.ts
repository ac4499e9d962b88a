import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { connectionSettingsFromUrl } from "../connection.mjs";
import { openSchemaEngine, readMigrationsList } from "./engine/wasm-engine.mjs";

/** Arbitrary but fixed: every process applying migrations to one database takes this lock. */
const MIGRATION_LOCK_KEY = 7_265_101;

/**
 * prisma/migrations of this checkout, found upwards from this module: it runs from
 * core/db in development and tests, and bundled from build/server in production.
 */
export function defaultMigrationsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, "prisma", "migrations");
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("prisma/migrations not found above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/**
 * `prisma migrate deploy` semantics, in process: applies the committed migrations not
 * yet recorded in `_prisma_migrations`, never generates or resets anything. Idempotent.
 * An advisory lock serialises processes that start at once: the second waits, then
 * finds nothing left to apply.
 */
export async function applyMigrations(databaseUrl: string, migrationsDir = defaultMigrationsDir()): Promise<string[]> {
  const lockClient = new pg.Client(connectionSettingsFromUrl(databaseUrl).poolConfig);
  // A dropped connection surfaces as the next query's error; unheard, it would kill the process.
  lockClient.on("error", () => undefined);
  await lockClient.connect();
  try {
    await lockClient.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    const { engine, close } = await openSchemaEngine({ url: databaseUrl }, undefined);
    try {
      const { appliedMigrationNames } = await engine.applyMigrations({
        migrationsList: await readMigrationsList(migrationsDir),
        filters: { externalTables: [], externalEnums: [] },
      });
      return appliedMigrationNames;
    } finally {
      await close();
    }
  } finally {
    await lockClient.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockClient.end();
  }
}
