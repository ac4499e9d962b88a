import { afterEach, describe, expect, it } from "vitest";
import { inject } from "vitest";
import pg from "pg";
import { applyMigrations } from "../../core/db/migrate.ts";
import { readdirSync } from "node:fs";
import path from "node:path";
import { createDatabaseBeside, repoRoot, type TestDatabase } from "../support/test-database.ts";

const committedMigrations = readdirSync(path.join(repoRoot, "prisma/migrations"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const scratch: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(scratch.splice(0).map((database) => database.drop()));
});

async function blankDatabase(): Promise<TestDatabase> {
  const database = await createDatabaseBeside(inject("databaseUrl"), "bu_migrate");
  scratch.push(database);
  return database;
}

async function appliedRows(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ migration_name: string; finished_at: Date | null }>(
      "SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name",
    );
    return rows;
  } finally {
    await client.end();
  }
}

describe("migrations applied at start (deploy semantics)", () => {
  it("applies every committed migration to a blank database, then nothing the second time", async () => {
    const { url } = await blankDatabase();
    expect(await applyMigrations(url)).toEqual(committedMigrations);
    expect(await applyMigrations(url)).toEqual([]);
    const rows = await appliedRows(url);
    expect(rows.map((r) => r.migration_name)).toEqual(committedMigrations);
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });

  it("is safe when several processes start at once: each migration is applied exactly once", async () => {
    const { url } = await blankDatabase();
    const results = await Promise.all([applyMigrations(url), applyMigrations(url), applyMigrations(url)]);
    expect(results.flat().sort()).toEqual(committedMigrations);
    expect((await appliedRows(url)).map((r) => r.migration_name)).toEqual(committedMigrations);
  });
});
