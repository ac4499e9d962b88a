/**
 * `npm start`'s embedded PostgreSQL is supervised and owned: killed under a running app
 * (as the OOM killer would), it comes back by itself and no check result is lost; and a
 * database command run beside the app never stops the app's server, even one the app
 * took over from a predecessor that was killed.
 */
import { execFile } from "node:child_process";
import { rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { createDb } from "../../core/db/client.ts";
import { startEmbeddedPostgres } from "../../core/ops/embedded-postgres.ts";
import { startApp, type AppProcess } from "../support/app-process.ts";
import { embeddedServer, isRunning } from "../support/embedded-server.ts";
import { createFastMonitors, eventually } from "../support/engine.ts";
import { createUser } from "../support/factories.ts";
import { closedPort } from "../support/ports.ts";
import { storedResultCounts } from "../support/stored-results.ts";
import { startTargetServer } from "../support/target-server.ts";
import { repoRoot, tmpRoot, uniqueSuffix } from "../support/test-database.ts";
import { checksOf, countChecks } from "../support/stored-results.ts";

test.setTimeout(180_000);

const execFileAsync = promisify(execFile);

async function healthStatus(app: AppProcess): Promise<number> {
  return fetch(`${app.baseUrl}/healthz`).then(
    (response) => response.status,
    () => 0,
  );
}

function appEnv(dataDir: string) {
  return { DATABASE_URL: undefined, DATA_DIR: dataDir, ALLOWED_TARGET_NETWORKS: "127.0.0.0/8", LOG_LEVEL: "info" };
}

test("the embedded postmaster killed with SIGKILL comes back, and every hit the target saw is a stored result", async () => {
  const dataDir = path.join(tmpRoot, `supervised-${uniqueSuffix()}`);
  const target = await startTargetServer();
  const app = await startApp(appEnv(dataDir), await closedPort());
  try {
    const before = await embeddedServer(dataDir);
    const db = createDb(before.url);
    const user = await createUser(db);
    const urls = Array.from({ length: 20 }, (_, i) => target.url(`/ok/embedded-${i}`));
    const monitors = await createFastMonitors(db, user.id, urls, { intervalSeconds: 1, region: "default" });
    const stored = () =>
      countChecks(
        db,
        monitors.map((m) => m.id),
      );
    await eventually("first results", async () => (await stored()) >= 40);
    await db.$disconnect();

    process.kill(before.pid, "SIGKILL");
    const killedAt = Date.now();
    await eventually("healthz 200 again", async () => (await healthStatus(app)) === 200, 30_000);
    const after = await embeddedServer(dataDir);
    expect(after.pid).not.toBe(before.pid);

    const db2 = createDb(after.url);
    const countAfterRestart = await countChecks(
      db2,
      monitors.map((m) => m.id),
    );
    await eventually(
      "new results stored",
      async () =>
        (await Promise.all(monitors.map((m) => checksOf(db2, m.id))))
          .flat()
          .filter((check) => check.checkedAt.getTime() > killedAt).length > 20 &&
        (await countChecks(
          db2,
          monitors.map((m) => m.id),
        )) > countAfterRestart,
      30_000,
    );
    await db2.$disconnect();
    expect(app.output()).toContain("embedded PostgreSQL restarted");
  } finally {
    expect(await app.stop()).toBe(0); // the runner flushes what it holds, then PostgreSQL stops
    await target.stop();
  }

  // Every hit the target saw is a stored result (read back through a server of our own).
  const postgres = await startEmbeddedPostgres({ dataDir, port: 0, mode: "share" });
  try {
    const counts = await storedResultCounts(postgres.url);
    for (let i = 0; i < 20; i++) {
      expect(counts.get(target.url(`/ok/embedded-${i}`)), `monitor ${i}`).toBe(target.hits(`/ok/embedded-${i}`));
    }
  } finally {
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test("after the app was killed and started again, `npm run db:exec` leaves the app's PostgreSQL running", async () => {
  const dataDir = path.join(tmpRoot, `owned-${uniqueSuffix()}`);
  const port = await closedPort();
  const first = await startApp(appEnv(dataDir), port);
  first.child.kill("SIGKILL");
  await first.stop();
  const orphan = await embeddedServer(dataDir);
  expect(isRunning(orphan.pid)).toBe(true); // left behind, as after any SIGKILL

  const second = await startApp(appEnv(dataDir), port);
  try {
    const owned = await embeddedServer(dataDir);
    const { stdout } = await execFileAsync(
      "npm",
      [
        "run",
        "--silent",
        "db:exec",
        "--",
        process.execPath,
        "-e",
        `const pg = require("pg"); const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
         c.connect().then(() => c.query("SELECT 1 AS one")).then((r) => { console.log("one=" + r.rows[0].one); return c.end(); });`,
      ],
      { cwd: repoRoot, env: { PATH: process.env.PATH, NODE_ENV: "development", DATA_DIR: dataDir }, timeout: 60_000 },
    );
    expect(stdout).toContain("one=1");
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(isRunning(owned.pid)).toBe(true);
    expect((await embeddedServer(dataDir)).pid).toBe(owned.pid);
    expect(await healthStatus(second)).toBe(200);
  } finally {
    expect(await second.stop()).toBe(0);
    await rm(dataDir, { recursive: true, force: true });
  }
  expect(isRunning(orphan.pid)).toBe(false);
});
