/**
 * DATABASE_URL naming a database that does not exist yet: created at start when the
 * user may (as `prisma migrate` does); otherwise one line saying how to create it.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { checkConnection } from "../../core/db/database.ts";
import { unique } from "../support/factories.ts";

const admin = new pg.Client({ connectionString: inject("databaseUrl") });
const withDatabase = (url: string, database: string, user?: { name: string; password: string }) => {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  if (user) {
    parsed.username = user.name;
    parsed.password = user.password;
  }
  return parsed.toString();
};
const created: string[] = [];
const roles: string[] = [];

beforeAll(() => admin.connect());
afterAll(async () => {
  for (const database of created) await admin.query(`DROP DATABASE IF EXISTS "${database}"`);
  for (const role of roles) await admin.query(`DROP ROLE IF EXISTS "${role}"`);
  await admin.end();
});

describe("a database that does not exist yet", () => {
  it("is created when the user may create databases", async () => {
    const database = unique("bu_new").toLowerCase();
    created.push(database);
    await checkConnection(withDatabase(inject("databaseUrl"), database));
    const { rows } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    expect(rows).toHaveLength(1);
  });

  it("is named, with how to create it, when the user may not", async () => {
    const role = unique("bu_nocreate").toLowerCase();
    roles.push(role);
    await admin.query(`CREATE ROLE "${role}" LOGIN NOCREATEDB PASSWORD 'not-a-secret'`);
    const database = unique("bu_missing").toLowerCase();
    await expect(
      checkConnection(withDatabase(inject("databaseUrl"), database, { name: role, password: "not-a-secret" })),
    ).rejects.toThrow(
      `Database "${database}" does not exist, and it could not be created (user "${role}" may not create databases): create it with \`createdb ${database}\``,
    );
    const { rows } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    expect(rows).toHaveLength(0);
  });
});
