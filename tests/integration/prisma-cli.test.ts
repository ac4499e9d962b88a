/**
 * The Prisma CLI's migrate path, offline: `prisma migrate deploy`, `status`, `dev` and
 * `diff` through the wasm stand-in for the schema engine (core/ops/engine). If a Prisma
 * upgrade changes the engine protocol, this is the test that says so.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDatabaseBeside, repoRoot, tmpRoot, uniqueSuffix, type TestDatabase } from "../support/test-database.ts";

const execFileAsync = promisify(execFile);
const prismaCli = path.join(repoRoot, "node_modules/prisma/build/index.js");

let database: TestDatabase;
let project: string;

/** A copy of prisma/ in a scratch project, so `migrate dev` never writes into the repository. */
beforeAll(async () => {
  database = await createDatabaseBeside(inject("databaseUrl"), "bu_cli");
  project = path.join(tmpRoot, `prisma-cli-${uniqueSuffix()}`);
  await mkdir(project, { recursive: true });
  await cp(path.join(repoRoot, "prisma/schema.prisma"), path.join(project, "prisma/schema.prisma"));
  await cp(path.join(repoRoot, "prisma/migrations"), path.join(project, "prisma/migrations"), { recursive: true });
  await writeFile(
    path.join(project, "prisma.config.ts"),
    `process.env.PRISMA_SCHEMA_ENGINE_BINARY = ${JSON.stringify(path.join(repoRoot, "core/ops/engine/schema-engine.mjs"))};
export default {
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL },
};
`,
  );
});

afterAll(async () => {
  await database?.drop();
  await rm(project, { recursive: true, force: true });
});

async function prisma(...args: string[]) {
  const { PRISMA_SCHEMA_ENGINE_BINARY: _ignored, ...env } = process.env;
  const result = await execFileAsync(process.execPath, [prismaCli, ...args], {
    cwd: project,
    env: { ...env, DATABASE_URL: database.url, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    timeout: 60_000,
  });
  return result.stdout + result.stderr;
}

async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("Prisma CLI with no engine download", () => {
  it("migrate deploy applies the committed migrations; migrate status agrees", async () => {
    expect(await prisma("migrate", "deploy")).toMatch(
      /successfully applied|All migrations have been successfully applied/i,
    );
    const tables = await query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(["User", "Website", "_prisma_migrations"]));
    expect(await prisma("migrate", "status")).toMatch(/Database schema is up to date/);
  });

  it("migrate dev turns a schema change into a new migration, applied, using a shadow database it cleans up", async () => {
    const schemaFile = path.join(project, "prisma/schema.prisma");
    const schema = await readFile(schemaFile, "utf8");
    await writeFile(
      schemaFile,
      schema.replace("  avatarUrl     String?", "  avatarUrl     String?\n  timezone      String?"),
    );

    const output = await prisma("migrate", "dev", "--name", "add_timezone");
    expect(output).toMatch(/in sync with your schema/);

    const created = (await readdir(path.join(project, "prisma/migrations"))).find((name) =>
      name.endsWith("_add_timezone"),
    );
    expect(created).toBeDefined();
    const sql = await readFile(path.join(project, "prisma/migrations", created!, "migration.sql"), "utf8");
    expect(sql).toContain(`ALTER TABLE "User" ADD COLUMN     "timezone" TEXT;`);
    const columns = await query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'User'",
    );
    expect(columns.map((c) => c.column_name)).toContain("timezone");
    const shadows = await query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow_db_%'",
    );
    expect(shadows).toEqual([]);
  });

  it("migrate diff prints the SQL between the migrations and the schema", async () => {
    const output = await prisma(
      "migrate",
      "diff",
      "--from-migrations",
      "prisma/migrations",
      "--to-schema",
      "prisma/schema.prisma",
      "--script",
    );
    expect(output).toContain("empty migration");
  });
});
