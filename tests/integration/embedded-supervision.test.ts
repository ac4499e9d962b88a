/**
 * The embedded PostgreSQL's supervisor: a server that dies is started again on the same
 * port with its data; one that cannot be started again is given up on, once, with a
 * message (the app then exits loudly instead of running on blind).
 */
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type SupervisionOptions } from "../../core/ops/embedded-postgres.ts";
import { eventually } from "../support/engine.ts";
import { tmpRoot, uniqueSuffix } from "../support/test-database.ts";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function postmasterPid(dataDir: string): Promise<number> {
  return Number((await readFile(path.join(dataDir, "postgres", "postmaster.pid"), "utf8")).split("\n")[0]);
}

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  try {
    return (await client.query(sql)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

function supervision(overrides: Partial<SupervisionOptions> = {}) {
  const lines: string[] = [];
  const gaveUp: string[] = [];
  const options: SupervisionOptions = {
    log: (_level, message) => lines.push(message),
    onGiveUp: (message) => gaveUp.push(message),
    backoffMs: 100,
    ...overrides,
  };
  return { options, lines, gaveUp };
}

describe("the embedded PostgreSQL supervisor", () => {
  it("restarts a killed server on the same port, with its data", async () => {
    const dataDir = path.join(tmpRoot, `supervise-${uniqueSuffix()}`);
    dirs.push(dataDir);
    const watch = supervision();
    const postgres = await startEmbeddedPostgres({ dataDir, port: 0, supervise: watch.options });
    try {
      await query(postgres.url, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('survives')");
      const before = await postmasterPid(dataDir);
      process.kill(before, "SIGKILL");
      const rows = await eventually(
        "the server back",
        () => query(postgres.url, "SELECT note FROM kept").catch(() => null),
        30_000,
      );
      expect(rows).toEqual([{ note: "survives" }]);
      expect(await postmasterPid(dataDir)).not.toBe(before);
      await eventually("the restart logged", () =>
        Promise.resolve(watch.lines.includes("embedded PostgreSQL restarted")),
      );
      expect(watch.gaveUp).toEqual([]);
    } finally {
      await postgres.stop();
    }
  });

  it("gives up, once and with a message, when the server cannot be started again", async () => {
    const dataDir = path.join(tmpRoot, `give-up-${uniqueSuffix()}`);
    dirs.push(dataDir);
    const watch = supervision({ maxAttempts: 2 });
    const postgres = await startEmbeddedPostgres({ dataDir, port: 0, supervise: watch.options });
    const clusterDir = path.join(dataDir, "postgres");
    try {
      // Its data directory becomes unusable (as if the disk went away), then it dies.
      await rm(path.join(clusterDir, "PG_VERSION"));
      process.kill(await postmasterPid(dataDir), "SIGKILL");
      await eventually("given up", () => Promise.resolve(watch.gaveUp.length > 0), 30_000);
      expect(watch.gaveUp).toHaveLength(1);
      expect(watch.gaveUp[0]).toMatch(/^The embedded PostgreSQL stopped and could not be restarted after 2 attempts: /);
    } finally {
      await postgres.stop();
    }
  });
});
