/**
 * The whole app (`node build/server/main.js`: web server and runner in one process) on
 * an external PostgreSQL that is restarted twice — a minor upgrade, a failover — while
 * 500 monitors run and people use the app (sessions, rate-limited logins, a public
 * status page). The process never exits, /healthz comes back to 200, and every hit the
 * target saw is a stored result.
 *
 * The "external" server is a PostgreSQL cluster of this test's own (the embedded
 * binaries, started as a separate server), so it can be restarted without disturbing
 * anything else on the machine.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { createDb } from "../../core/db/client.ts";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../core/ops/embedded-postgres.ts";
import { applyMigrations } from "../../core/ops/migrate.ts";
import { startApp } from "../support/app-process.ts";
import { createFastMonitors, eventually, sleep } from "../support/engine.ts";
import { createUser, unique } from "../support/factories.ts";
import { closedPort } from "../support/ports.ts";
import { storedResultsByUrl } from "../support/stored-results.ts";
import { startTargetServer } from "../support/target-server.ts";
import { tmpRoot, uniqueSuffix } from "../support/test-database.ts";

test.setTimeout(240_000);

const MONITORS = 500;

/** People using the app while the database comes and goes; answers are not judged here. */
function startVisitors(baseUrl: string, slug: string) {
  let running = true;
  let requests = 0;
  const origin = { origin: baseUrl };
  const visit = async (): Promise<void> => {
    const email = `${unique("visitor")}@example.test`;
    const signup = await fetch(`${baseUrl}/signup`, {
      method: "POST",
      headers: origin,
      body: new URLSearchParams({ name: "Visitor", email, password: "correct horse battery" }),
      redirect: "manual",
    });
    const cookie = signup.headers.get("set-cookie")?.split(";")[0] ?? "";
    await fetch(`${baseUrl}/monitors`, { headers: { cookie } });
    await fetch(`${baseUrl}/login`, {
      method: "POST",
      headers: origin,
      body: new URLSearchParams({ email, password: "wrong password!" }),
    });
    await fetch(`${baseUrl}/status/${slug}`);
    await fetch(`${baseUrl}/healthz`);
    requests += 5;
  };
  const loop = (async () => {
    while (running) {
      await visit().catch(() => undefined);
      await sleep(100);
    }
  })();
  return {
    requests: () => requests,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

test("an external PostgreSQL restarted twice under 500 monitors: no exit, healthy again, every hit stored", async () => {
  const dataDir = path.join(tmpRoot, `external-${uniqueSuffix()}`);
  const pgPort = await closedPort();
  let postgres: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir, port: pgPort });
  await applyMigrations(postgres.url);
  const target = await startTargetServer();

  const db = createDb(postgres.url);
  const user = await createUser(db);
  const urls = Array.from({ length: MONITORS }, (_, i) => target.url(`/ok/restart-${i}`));
  const monitors = await createFastMonitors(db, user.id, urls, { intervalSeconds: 2, region: "default" });
  const page = await db.statusPage.create({
    data: {
      userId: user.id,
      name: "Status",
      slug: unique("restarts"),
      isPublished: true,
      monitors: { create: [{ monitorId: monitors[0]!.id, displayName: "API", position: 0 }] },
    },
  });
  await db.$disconnect();

  const app = await startApp(
    { DATABASE_URL: postgres.url, ALLOWED_TARGET_NETWORKS: "127.0.0.0/8", LOG_LEVEL: "warn" },
    await closedPort(),
  );
  let exitedEarly = false;
  app.child.once("exit", () => (exitedEarly = true));
  const visitors = startVisitors(app.baseUrl, page.slug);
  const health = () =>
    fetch(`${app.baseUrl}/healthz`).then(
      (response) => response.status,
      () => 0,
    );
  try {
    await eventually("checks under way", () => Promise.resolve(target.hits() >= MONITORS), 30_000);
    for (let restart = 1; restart <= 2; restart++) {
      await sleep(3_000);
      await postgres.stop(); // fast shutdown, as `pg_ctl restart -m fast` does
      await sleep(2_000);
      expect(await health()).toBe(503);
      postgres = await startEmbeddedPostgres({ dataDir, port: pgPort });
      await eventually(`healthy after restart ${restart}`, async () => (await health()) === 200, 30_000);
    }
    await sleep(3_000);
    expect(exitedEarly).toBe(false);
    expect(visitors.requests()).toBeGreaterThan(0);
  } finally {
    await visitors.stop();
    expect(await app.stop()).toBe(0); // flushes every result it holds
    await target.stop();
  }

  try {
    // A hit is a check that reached the target: its result is stored, whatever the restarts
    // did. (More stored than hits is no loss: on a loaded machine a check can time out before
    // the target accepts it, a DOWN result with no hit.) An UP result needs a hit of its own,
    // so more UP results than hits would be a result stored twice.
    const counts = await storedResultsByUrl(postgres.url);
    const hitsOf = (url: string) => target.hits(new URL(url).pathname);
    const lost = urls.filter((url) => (counts.get(url)?.all ?? 0) < hitsOf(url));
    expect(lost, `monitors with fewer stored results than the target's hits`).toEqual([]);
    const doubled = urls.filter((url) => (counts.get(url)?.up ?? 0) > hitsOf(url));
    expect(doubled, `monitors with more UP results than the target's hits`).toEqual([]);
    expect(target.hits()).toBeGreaterThan(MONITORS * 5);
  } finally {
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
