/**
 * `npm start` with no DATABASE_URL: the app runs its own PostgreSQL, stops it on
 * SIGTERM, and finds its data again on the next start.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { startApp } from "../support/app-process.ts";
import { embeddedServer, isRunning } from "../support/embedded-server.ts";
import { closedPort } from "../support/ports.ts";
import { tmpRoot, uniqueSuffix } from "../support/test-database.ts";

test.setTimeout(120_000);

const dataDir = path.join(tmpRoot, `lifecycle-${uniqueSuffix()}`);
test.afterAll(() => rm(dataDir, { recursive: true, force: true }));

async function sql<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

test("starts on an embedded PostgreSQL, stops cleanly, and keeps its data across restarts", async ({ page }) => {
  const env = { DATABASE_URL: undefined, DATA_DIR: dataDir };
  const port = await closedPort();

  const first = await startApp(env, port);
  await page.goto(first.baseUrl);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Uptime monitoring");
  const postgres = await embeddedServer(dataDir);
  const email = `lifecycle-${uniqueSuffix()}@example.test`;
  await sql(postgres.url, `INSERT INTO "User" (id, email, "updatedAt") VALUES ($1, $2, now())`, [
    uniqueSuffix(),
    email,
  ]);

  expect(await first.stop()).toBe(0);
  expect(first.output()).toContain('"msg":"stopped"');
  expect(isRunning(postgres.pid)).toBe(false);

  const second = await startApp(env, port);
  try {
    const restarted = await embeddedServer(dataDir);
    const rows = await sql<{ email: string }>(restarted.url, `SELECT email FROM "User" WHERE email = $1`, [email]);
    expect(rows).toEqual([{ email }]);
    await page.goto(second.baseUrl);
    await expect(page.getByRole("status")).toHaveText("This instance is operational");
  } finally {
    expect(await second.stop()).toBe(0);
  }
});
