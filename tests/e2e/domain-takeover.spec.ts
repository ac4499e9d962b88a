/**
 * Custom domain takeover through `account.import`, tried against the built server (issue
 * 25): account A verifies status.victim.example (its TXT record served by a DNS server on
 * 127.0.0.1); account B imports a setup document whose page carries that domain and A's
 * TXT value, and verifies. Before the fix B's proof succeeded, A's domain turned FAILED and
 * the Host served B's page. Now the file's value is ignored, B's claim has a value of the
 * server's choosing, and A keeps the domain until A's record is gone — then B's claim
 * takes over, at B's verify or at the daily re-check.
 *
 * The app runs on a database of its own (this test ages a claim's last check, and restarts
 * the app so its start-of-process re-check round runs), mailing the e2e mail catcher.
 */
import http from "node:http";
import { expect, test, type APIResponse, type Browser, type Page } from "@playwright/test";
import pg from "pg";
import { applyMigrations } from "../../core/ops/migrate.ts";
import { startApp, type AppProcess } from "../support/app-process.ts";
import { E2E } from "../support/e2e-env.ts";
import { startFakeDns, type FakeDns } from "../support/fakes.ts";
import { closedPort } from "../support/ports.ts";
import { startTestServer, type TestDatabase, type TestServer } from "../support/test-database.ts";
import { signUpFresh } from "./helpers.ts";

test.describe.configure({ mode: "serial" });
test.setTimeout(180_000);

let server: TestServer;
let database: TestDatabase;
let dns: FakeDns;
let app: AppProcess;
let port: number;

const start = () =>
  startApp(
    {
      DATABASE_URL: database.url,
      LOG_LEVEL: "warn",
      RUNNER_ENABLED: "false",
      SMTP_URL: `smtp://127.0.0.1:${E2E.smtpPort}`,
      DNS_SERVERS: dns.server,
      TRUST_PROXY: "loopback",
    },
    port,
  );

test.beforeAll(async () => {
  server = await startTestServer();
  database = await server.createDatabase("bu_e2e_domains");
  await applyMigrations(database.url);
  dns = await startFakeDns();
  port = await closedPort();
  app = await start();
});

test.afterAll(async () => {
  await app?.stop();
  await dns?.stop();
  await database?.drop();
  await server?.stop();
});

/** A signed-in, verified account in a browser context of its own, against this app. */
async function account(browser: Browser, name: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: app.baseUrl });
  const page = await context.newPage();
  await signUpFresh(page, name);
  return page;
}

/** A tRPC mutation as the signed-in browser makes it (the session cookie goes along). */
async function call<T>(page: Page, path: string, input: unknown): Promise<T> {
  return dataOf<T>(path, await page.request.post(`/api/trpc/${path}`, { data: input }));
}

async function query<T>(page: Page, path: string, input?: unknown): Promise<T> {
  const search = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  return dataOf<T>(path, await page.request.get(`/api/trpc/${path}${search}`));
}

async function dataOf<T>(path: string, response: APIResponse): Promise<T> {
  expect(response.status(), `${path}: ${await response.text()}`).toBe(200);
  return ((await response.json()) as { result: { data: T } }).result.data;
}

interface DomainView {
  domain: string;
  status: "PENDING" | "VERIFIED" | "FAILED";
  waiting: boolean;
  failureReason: string | null;
  records: { type: string; name: string; value: string }[];
}
interface PageView {
  id: string;
  slug: string;
  name: string;
  domain: DomainView | null;
}
const txtOf = (domain: DomainView) => domain.records.find((record) => record.type === "TXT")!;

/** The page the app serves for `host`, as a browser whose DNS points here would ask. */
function getWithHost(host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: "/", headers: { host } }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode!, body }));
      })
      .on("error", reject);
  });
}

/** A holds `domain`: a published page, its TXT record served by the DNS stand-in, verified. */
async function victimHolds(victim: Page, domain: string, name: string) {
  const created = await call<PageView>(victim, "statusPage.create", { name, slug: `victim-${Date.now()}` });
  await call(victim, "statusPage.setPublished", { id: created.id, isPublished: true });
  const claim = await call<DomainView>(victim, "statusPage.setDomain", { id: created.id, domain });
  dns.setTxt(txtOf(claim).name, [txtOf(claim).value]);
  expect((await call<DomainView>(victim, "statusPage.verifyDomain", { id: created.id })).status).toBe("VERIFIED");
  expect((await getWithHost(domain)).body).toContain(name);
  return { page: created, txt: txtOf(claim) };
}

/** B imports a page carrying `domain` and A's TXT value (as an older export would hold it). */
async function attackerImports(attacker: Page, domain: string, victimValue: string, name: string) {
  const token = victimValue.replace("better-uptime-verification=", "");
  const slug = `attacker-${Date.now()}`;
  const report = await call<{ created: { note?: string }[] }>(attacker, "account.import", {
    format: "better-uptime/setup",
    version: 1,
    statusPages: [{ key: slug, name, slug, isPublished: true, domain: { name: domain, verificationToken: token } }],
  });
  const pages = await query<PageView[]>(attacker, "statusPage.list");
  const imported = await query<PageView>(attacker, "statusPage.byId", { id: pages.find((p) => p.slug === slug)!.id });
  return { page: imported, note: report.created[0]?.note ?? "" };
}

async function claimsOf(domain: string) {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ slug: string; status: string }>(
      `SELECT p.slug, d.status::text AS status FROM "StatusPageDomain" d
       JOIN "StatusPage" p ON p.id = d."statusPageId" WHERE d.domain = $1`,
      [domain],
    );
    return Object.fromEntries(rows.map((row) => [row.slug, row.status]));
  } finally {
    await client.end();
  }
}

test("an import carrying another account's domain and TXT value takes nothing; the claim waits, then takes over at its own verify", async ({
  browser,
}) => {
  const domain = "status.victim.example";
  const victim = await account(browser, "Victim");
  const attacker = await account(browser, "Attacker");
  const a = await victimHolds(victim, domain, "Victim status");

  // The attack: B's import with A's domain and A's value, then B's verify.
  const b = await attackerImports(attacker, domain, a.txt.value, "Attacker status");
  const bTxt = txtOf(b.page.domain!);
  expect(b.page.domain).toMatchObject({ domain, status: "PENDING" });
  expect(bTxt.value).not.toBe(a.txt.value);
  expect(b.note).toContain(`publish a TXT record at ${bTxt.name} holding "${bTxt.value}"`);
  const attempt = await call<DomainView>(attacker, "statusPage.verifyDomain", { id: b.page.id });
  expect(attempt.status).not.toBe("VERIFIED");
  expect(await claimsOf(domain)).toEqual({ [a.page.slug]: "VERIFIED", [b.page.slug]: "FAILED" });
  let served = await getWithHost(domain);
  expect(served.status).toBe(200);
  expect(served.body).toContain("Victim status");
  expect(served.body).not.toContain("Attacker status");

  // The domain's owner publishes B's value beside A's: B's claim is proven, and waits.
  dns.setTxt(bTxt.name, [a.txt.value, bTxt.value]);
  expect(await call<DomainView>(attacker, "statusPage.verifyDomain", { id: b.page.id })).toMatchObject({
    status: "PENDING",
    waiting: true,
    failureReason: expect.stringContaining(`${domain} is verified for another status page`),
  });
  expect(await claimsOf(domain)).toEqual({ [a.page.slug]: "VERIFIED", [b.page.slug]: "PENDING" });
  expect((await getWithHost(domain)).body).toContain("Victim status");
  // B's editor says so.
  await attacker.goto(`/status-pages/${b.page.id}`);
  await expect(attacker.locator("[data-domain-status]")).toHaveAttribute("data-domain-status", "WAITING");
  await expect(attacker.getByText(`${domain} is verified for another status page`)).toBeVisible();

  // A's record is gone: B's next verify takes the domain over, and A's claim fails.
  dns.setTxt(bTxt.name, [bTxt.value]);
  expect(await call<DomainView>(attacker, "statusPage.verifyDomain", { id: b.page.id })).toMatchObject({
    status: "VERIFIED",
  });
  expect(await claimsOf(domain)).toEqual({ [a.page.slug]: "FAILED", [b.page.slug]: "VERIFIED" });
  served = await getWithHost(domain);
  expect(served.body).toContain("Attacker status");
  expect(served.body).not.toContain("Victim status");
});

test("a waiting claim takes over at the daily re-check once the holder's record is gone", async ({ browser }) => {
  const domain = "status2.victim.example";
  const victim = await account(browser, "Victim Two");
  const attacker = await account(browser, "Attacker Two");
  const a = await victimHolds(victim, domain, "Second victim status");
  const b = await attackerImports(attacker, domain, a.txt.value, "Second attacker status");
  const bTxt = txtOf(b.page.domain!);
  dns.setTxt(bTxt.name, [a.txt.value, bTxt.value]);
  expect((await call<DomainView>(attacker, "statusPage.verifyDomain", { id: b.page.id })).waiting).toBe(true);

  // A day on, A's record gone; the app restarts and its first re-check round finds both due.
  dns.setTxt(bTxt.name, [bTxt.value]);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(`UPDATE "StatusPageDomain" SET "lastCheckedAt" = now() - interval '25 hours' WHERE domain = $1`, [
    domain,
  ]);
  await client.end();
  expect((await getWithHost(domain)).body).toContain("Second victim status"); // nobody verified anything yet
  expect(await app.stop()).toBe(0);
  app = await start();

  await expect
    .poll(() => claimsOf(domain), { timeout: 30_000 })
    .toEqual({
      [a.page.slug]: "FAILED",
      [b.page.slug]: "VERIFIED",
    });
  const served = await getWithHost(domain);
  expect(served.body).toContain("Second attacker status");
  expect(served.body).not.toContain("Second victim status");
});
