/**
 * Status pages in a real browser: the owner builds and publishes a page over two
 * monitors of targets this test runs on 127.0.0.1; a logged-out visitor (JavaScript
 * off) sees bars, uptime and state, the outage and the owner's update; nothing private
 * is in the HTML or JSON; unpublishing makes it a 404. Then a custom domain verifies
 * against the e2e server's DNS stand-in and is served by Host.
 */
import http from "node:http";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { dnsControlUrl, E2E } from "../support/e2e-env.ts";
import { startTargetServer, type TargetServer } from "../support/target-server.ts";
import { createMonitor, signUpFresh } from "./helpers.ts";

test.describe.configure({ mode: "serial" });
test.setTimeout(150_000);

let apiTarget: TargetServer;
let dbTarget: TargetServer;
test.beforeAll(async () => {
  [apiTarget, dbTarget] = await Promise.all([startTargetServer(), startTargetServer()]);
});
test.afterAll(async () => {
  await Promise.all([apiTarget.stop(), dbTarget.stop()]);
});

async function createPage(page: Page, name: string, slug: string) {
  await page.goto("/status-pages");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Address").fill(slug);
  await page.getByRole("button", { name: "Create status page" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
}

/** A visitor: no session, no JavaScript (the page must work without it). */
async function visitor(browser: Browser) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  return context.newPage();
}

/** Reloads until `check` passes: the page is cached for a few seconds, as it should be. */
async function reloadUntil(page: Page, check: () => Promise<void>, timeout = 45_000) {
  await expect(async () => {
    await page.reload();
    await check();
  }).toPass({ timeout, intervals: [1_000, 2_000] });
}

test("a published page shows uptime and state, then the outage with the owner's update; unpublished it is a 404", async ({
  page,
  browser,
}) => {
  const ownerEmail = await signUpFresh(page, "Page Owner");
  await createMonitor(page, apiTarget.url("/ok/internal-api-path"), "internal api primary");
  await expect(page.locator("header [data-status]")).toHaveText("Up", { timeout: 15_000 });
  await createMonitor(page, dbTarget.url("/ok/internal-db-path"), "internal db primary");
  await expect(page.locator("header [data-status]")).toHaveText("Up", { timeout: 15_000 });

  const slug = `acme-${Date.now()}`;
  await createPage(page, "Acme status", slug);
  await page.getByLabel("Show internal api primary").check();
  await page.getByLabel("Public name of internal api primary").fill("API");
  await page.getByLabel("Section of internal api primary").fill("Core");
  await page.getByLabel("Show internal db primary").check();
  await page.getByLabel("Public name of internal db primary").fill("Database");
  await page.getByLabel("Section of internal db primary").fill("Core");
  await page.getByRole("button", { name: "Save monitors" }).click();
  await expect(page.getByText("Monitors saved.")).toBeVisible();
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByRole("heading", { name: "Published" })).toBeVisible();

  const guest = await visitor(browser);
  const response = await guest.goto(`/status/${slug}`);
  expect(response?.status()).toBe(200);
  expect(response?.headers()["cache-control"]).toMatch(/public, max-age=\d+/);
  await expect(guest.getByRole("heading", { level: 1, name: "Acme status" })).toBeVisible();
  await expect(guest.getByRole("status")).toHaveText("All systems operational");
  const api = guest.locator('[data-service="API"]');
  await expect(api).toContainText("100% uptime");
  await expect(api).toContainText("Operational");
  await expect(api.locator("[title]")).toHaveCount(90); // one bar per day, with its tooltip
  await expect(guest.getByRole("heading", { name: "Core" })).toBeVisible();

  await dbTarget.stop(); // a closed port on 127.0.0.1 from now on
  await reloadUntil(guest, async () => {
    await expect(guest.getByRole("status")).toHaveText("Partial outage", { timeout: 500 });
  });
  await expect(guest.locator('[data-service="Database"]')).toContainText("Outage");
  const active = guest.getByRole("region", { name: "Active incidents" });
  await expect(active).toContainText("Database outage");

  await page.reload();
  await page
    .getByRole("region", { name: "Incidents" })
    .getByRole("combobox", { name: /^Status/ })
    .selectOption("IDENTIFIED");
  await page.getByLabel("Update for visitors").fill("A failed disk; the replica is taking over.");
  await page.getByRole("button", { name: "Post update" }).click();
  await expect(page.getByText("Update posted.")).toBeVisible();
  await reloadUntil(guest, async () => {
    await expect(active).toContainText("A failed disk; the replica is taking over.", { timeout: 500 });
  });
  await expect(active).toContainText("Identified");

  const html = await guest.content();
  const json = await (await guest.request.get(`/status/${slug}.json`)).text();
  expect(JSON.parse(json)).toMatchObject({ name: "Acme status", overall: "partial_outage" });
  for (const body of [html, json]) {
    for (const secret of [
      "internal-api-path",
      "internal-db-path",
      "internal api primary",
      "internal db primary",
      `127.0.0.1:${apiTarget.port}`,
      `127.0.0.1:${dbTarget.port}`,
      "ECONNREFUSED",
      ownerEmail,
      "Page Owner",
    ])
      expect(body, secret).not.toContain(secret);
  }

  await page.getByRole("button", { name: "Unpublish" }).click();
  await expect(page.getByRole("heading", { name: "Draft" })).toBeVisible();
  // A new visitor (the first one's browser may keep its copy for the max-age).
  const late = await visitor(browser);
  const gone = await late.goto(`/status/${slug}`);
  expect(gone?.status()).toBe(404);
  await expect(late.getByRole("heading", { level: 1 })).toContainText(/not found/i);
  expect((await late.request.get(`/status/${slug}.json`)).status()).toBe(404);
});

/** A request to the app as a browser would send it for `host` (DNS pointing here). */
function getWithHost(host: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port: E2E.appPort, path, headers: { host } }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode!, body }));
      })
      .on("error", reject);
  });
}

test("a custom domain verifies against DNS, then serves the page by Host", async ({ page }) => {
  await signUpFresh(page, "Domain Owner");
  const slug = `domain-${Date.now()}`;
  await createPage(page, "Globex status", slug);
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByRole("heading", { name: "Published" })).toBeVisible();

  const domain = `status-${Date.now()}.globex.test`;
  await page.getByLabel("Domain", { exact: true }).fill(domain);
  await page.getByRole("button", { name: "Add domain" }).click();
  await expect(page.locator("[data-domain-status]")).toHaveAttribute("data-domain-status", "PENDING");
  const txt = page.locator('[data-record="TXT"] td');
  const [txtName, txtValue] = [await txt.nth(1).textContent(), await txt.nth(2).textContent()];
  expect(txtName).toBe(`_better-uptime.${domain}`);
  await expect(page.locator('[data-record="CNAME"]')).toContainText(domain);

  // Not yet in DNS: the owner is told what is missing.
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.locator("[data-domain-status]")).toHaveAttribute("data-domain-status", "FAILED");
  await expect(page.getByText(`No TXT record found at ${txtName}`)).toBeVisible();
  // A claim without proof changes no routing: the host is still just this app.
  expect((await getWithHost(domain, "/")).body).not.toContain("Globex status");

  const published = await fetch(`${dnsControlUrl}/txt/${encodeURIComponent(txtName!)}`, {
    method: "PUT",
    body: JSON.stringify([txtValue]),
  });
  expect(published.status).toBe(204);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.locator("[data-domain-status]")).toHaveAttribute("data-domain-status", "VERIFIED");

  const home = await getWithHost(domain, "/");
  expect(home.status).toBe(200);
  expect(home.body).toContain("Globex status");
  expect((await getWithHost(domain, "/feed.atom")).body).toContain("<feed");
  expect((await getWithHost(domain, "/monitors")).status).toBe(404); // the app is not there
  expect((await fetch(`http://127.0.0.1:${E2E.appPort}/api/domains/check?domain=${domain}`)).status).toBe(200);
  expect((await fetch(`http://127.0.0.1:${E2E.appPort}/api/domains/check?domain=other.globex.test`)).status).toBe(404);

  // Replaced by a domain not yet verified: neither serves the page any more.
  const next = `next-${Date.now()}.globex.test`;
  await page.getByLabel("Replace with").fill(next);
  await page.getByRole("button", { name: "Replace domain" }).click();
  await expect(page.locator("[data-domain-status]")).toHaveAttribute("data-domain-status", "PENDING");
  expect((await getWithHost(next, "/")).body).not.toContain("Globex status");
  expect((await getWithHost(domain, "/")).body).not.toContain("Globex status");
});

test("a private page shows a visitor its password form and nothing else; the password opens it; the cache never hands one visitor's page to another", async ({
  page,
  browser,
  playwright,
}) => {
  await signUpFresh(page, "Private Owner");
  await createMonitor(page, apiTarget.url("/ok/payroll-internal"), "payroll primary");
  const slug = `payroll-${Date.now()}`;
  await createPage(page, "Payroll status", slug);
  await page.getByLabel("Show payroll primary").check();
  await page.getByLabel("Public name of payroll primary").fill("Payroll");
  await page.getByRole("button", { name: "Save monitors" }).click();
  await expect(page.getByText("Monitors saved.")).toBeVisible();
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByRole("heading", { name: "Published" })).toBeVisible();
  await page.getByLabel("Visibility").selectOption("PRIVATE");
  await page.getByLabel("Password (private pages)").fill("correct horse 42");
  await page.getByRole("button", { name: "Save visibility" }).click();
  await expect(page.getByText("Visibility saved: private.")).toBeVisible();

  const guest = await visitor(browser);
  const locked = await guest.goto(`/status/${slug}`);
  expect(locked?.status()).toBe(401);
  await expect(guest.getByRole("heading", { name: "This status page is private" })).toBeVisible();
  const html = await guest.content();
  expect(html).not.toContain("Payroll");

  await guest.getByLabel("Password").fill("wrong password");
  await guest.getByRole("button", { name: "Open the page" }).click();
  await expect(guest.getByRole("alert")).toHaveText("That is not the password of this page.");
  await guest.getByLabel("Password").fill("correct horse 42");
  await guest.getByRole("button", { name: "Open the page" }).click();
  await expect(guest.getByRole("heading", { level: 1, name: "Payroll status" })).toBeVisible();
  await expect(guest.locator('[data-service="Payroll"]')).toBeVisible();

  // Two clients at the same moments, through the server's own response cache: the one
  // with access sees the page, the one without never does.
  const cookies = await guest.context().cookies();
  const withAccess = await playwright.request.newContext({ baseURL: `http://127.0.0.1:${E2E.appPort}` });
  const stranger = await playwright.request.newContext({ baseURL: `http://127.0.0.1:${E2E.appPort}` });
  const cookieHeader = cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
  for (let round = 0; round < 10; round++) {
    const [opened, refused, json] = await Promise.all([
      withAccess.get(`/status/${slug}`, { headers: { cookie: cookieHeader } }),
      stranger.get(`/status/${slug}`),
      stranger.get(`/status/${slug}.json`),
    ]);
    expect(opened.status()).toBe(200);
    expect(await opened.text()).toContain("Payroll");
    expect(refused.status()).toBe(401);
    expect(await refused.text()).not.toContain("Payroll");
    expect(json.status()).toBe(401);
  }

  // Every public route of the page, through the built app, for its real service: with
  // the cookie each shows the service (so each refusal has something to refuse), without
  // it none does — the page's `.data` (what the browser fetches on navigation) included.
  const opened = (await (
    await withAccess.get(`/status/${slug}.json`, { headers: { cookie: cookieHeader } })
  ).json()) as { sections: { services: { id: string }[] }[] };
  const serviceId = opened.sections[0]!.services[0]!.id;
  const routes = [
    `/status/${slug}`,
    `/status/${slug}.data`,
    `/status/${slug}.json`,
    `/status/${slug}/feed.atom`,
    `/status/${slug}/badge/${serviceId}/status.svg`,
    ...[1, 7, 30, 90].map((days) => `/status/${slug}/badge/${serviceId}/uptime.svg?days=${days}`),
  ];
  for (const route of routes) {
    const allowed = await withAccess.get(route, { headers: { cookie: cookieHeader } });
    expect(allowed.status(), route).toBe(200);
    expect(await allowed.text(), route).toMatch(route.includes("uptime.svg") ? /uptime/ : /Payroll/);
    const refused = await stranger.get(route);
    expect(refused.status(), route).not.toBe(200);
    expect(refused.headers()["cache-control"], route).toMatch(/no-store/);
    const body = await refused.text();
    expect(body, route).not.toContain("Payroll");
    expect(body, route).not.toContain(serviceId);
  }
  await Promise.all([withAccess.dispose(), stranger.dispose()]);
});
