import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, type Db } from "../../core/db/client.ts";
import { createDatabaseBeside, repoRoot, type TestDatabase } from "../support/test-database.ts";

const execFileAsync = promisify(execFile);

let database: TestDatabase;
let db: Db;
beforeAll(async () => {
  database = await createDatabaseBeside(inject("databaseUrl"), "bu_seed");
  db = createDb(database.url);
});
afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

async function seed() {
  await execFileAsync(process.execPath, ["--import", "tsx", path.join(repoRoot, "scripts/seed.ts")], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: database.url },
  });
}

describe("scripts/seed.ts", () => {
  it("creates a demo user, loopback-only monitors and a published status page, once", async () => {
    await seed();
    await seed(); // idempotent

    const users = await db.user.findMany({ include: { monitors: true, statusPages: { include: { monitors: true } } } });
    expect(users).toHaveLength(1);
    const [demo] = users;
    expect(demo!.email).toBe("demo@example.com");
    expect(demo!.monitors.length).toBeGreaterThanOrEqual(3);
    for (const monitor of demo!.monitors) expect(new URL(monitor.url).hostname).toBe("127.0.0.1");
    expect(demo!.statusPages).toEqual([
      expect.objectContaining({ slug: "demo", isPublished: true, monitors: expect.any(Array) }),
    ]);
    expect(demo!.statusPages[0]!.monitors).toHaveLength(demo!.monitors.length);
  });
});
