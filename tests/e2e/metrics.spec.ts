/**
 * The web server's /metrics: Prometheus text, live dashboards counted while they are open.
 *
 * On an app process of its own: the gauge is the whole process's, and after the rest of
 * the suite the shared server's count also holds other tests' streams (seen: a stream
 * still counted after its page had gone, at the end of a full run, never alone or after
 * the dashboard tests; not yet explained, and noted for the next round).
 */
import { expect, test } from "@playwright/test";
import { applyMigrations } from "../../core/ops/migrate.ts";
import { createDb } from "../../core/db/client.ts";
import { startApp, type AppProcess } from "../support/app-process.ts";
import { closedPort } from "../support/ports.ts";
import { parseMetrics, metricValue } from "../support/prometheus.ts";
import { startTestServer, uniqueSuffix, type TestDatabase, type TestServer } from "../support/test-database.ts";

let server: TestServer;
let database: TestDatabase;
let app: AppProcess;

test.beforeAll(async () => {
  server = await startTestServer();
  database = await server.createDatabase("bu_metrics");
  await applyMigrations(database.url);
  app = await startApp({ DATABASE_URL: database.url, LOG_LEVEL: "warn", RUNNER_ENABLED: "false" }, await closedPort());
});

test.afterAll(async () => {
  await app?.stop();
  await database?.drop();
  await server?.stop();
});

/** A verified user's session cookie (verified in the database: the mail is not what is tested). */
async function signedIn(): Promise<{ name: string; value: string }> {
  const email = `metrics-${uniqueSuffix()}@example.test`;
  const password = "correct horse battery staple";
  const headers = { origin: app.baseUrl };
  await fetch(`${app.baseUrl}/signup`, {
    method: "POST",
    headers,
    body: new URLSearchParams({ name: "Metrics Viewer", email, password }),
  });
  const db = createDb(database.url);
  await db.user.update({ where: { email }, data: { emailVerified: true } });
  await db.$disconnect();
  const login = await fetch(`${app.baseUrl}/login`, {
    method: "POST",
    headers,
    body: new URLSearchParams({ email, password }),
    redirect: "manual",
  });
  const [name, value] = (login.headers.get("set-cookie")?.split(";")[0] ?? "").split(/=(.*)/s);
  expect(name, `login: ${login.status}`).toBe("__session");
  return { name: name!, value: value! };
}

test("/metrics counts an open live dashboard, and stops counting it once closed", async ({ page, context }) => {
  const scrape = async () => {
    const response = await fetch(`${app.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    return metricValue(parseMetrics(await response.text()), "better_uptime_live_stream_clients");
  };
  const before = await scrape();
  await context.addCookies([{ ...(await signedIn()), url: app.baseUrl }]);
  await page.goto(`${app.baseUrl}/monitors`);
  await expect.poll(scrape).toBe(before + 1);
  await page.goto(`${app.baseUrl}/account`);
  // The server counts a stream closed once it sees its connection go: a busy machine takes a moment.
  await expect.poll(scrape, { timeout: 20_000 }).toBe(before);
});
