/** A database of the shape before a migration: every committed migration older than it, applied. */
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { applyMigrations } from "../../core/ops/migrate.ts";
import { repoRoot } from "./test-database.ts";

const source = path.join(repoRoot, "prisma/migrations");

/** Every committed migration before `name` (by folder name), applied to `url`. */
export async function migrateUpTo(url: string, name: string): Promise<void> {
  const before = mkdtempSync(path.join(tmpdir(), "bu-migrations-"));
  cpSync(path.join(source, "migration_lock.toml"), path.join(before, "migration_lock.toml"));
  for (const entry of readdirSync(source, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name < name)
      cpSync(path.join(source, entry.name), path.join(before, entry.name), { recursive: true });
  }
  try {
    await applyMigrations(url, before);
  } finally {
    rmSync(before, { recursive: true, force: true });
  }
}
