/**
 * One monitor of each type, made through the form as a user would, against servers this
 * test runs on 127.0.0.1 (and the test DNS server): an HTTP check with a JSON assertion,
 * a TCP port, a heartbeat pinged from a shell-like client without a session, a DNS
 * record, and a TLS certificate that is self-signed.
 */
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { makeServerCertificate } from "../support/certificates.ts";
import { dnsControlUrl } from "../support/e2e-env.ts";
import { signUpFresh } from "./helpers.ts";

const servers: net.Server[] = [];

async function listen(server: net.Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return (server.address() as net.AddressInfo).port;
}

test.afterAll(() => {
  for (const server of servers) server.close();
});

async function newMonitor(page: Page, type: string) {
  await page.goto("/monitors/new");
  await page.getByRole("navigation", { name: "Monitor type" }).getByRole("link", { name: type }).click();
}

async function create(page: Page, name: string) {
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create monitor" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
}

const status = (page: Page) => page.locator("header [data-status]");

test("one monitor of each type is made through the form and judged", async ({ page, playwright }) => {
  test.setTimeout(90_000);
  const api = await listen(
    http.createServer((_req, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok","queue":{"depth":3}}'),
    ),
  );
  const port = await listen(net.createServer((socket) => socket.end()));
  const certificate = await makeServerCertificate({ names: ["127.0.0.1"], toDays: 90 });
  const tlsPort = await listen(https.createServer(certificate, (_req, res) => res.end("ok")));
  const name = `e2e-${Date.now()}.example.test`;
  await fetch(`${dnsControlUrl}/txt/${name}`, { method: "PUT", body: JSON.stringify(["v=spf1 -all"]) });
  await signUpFresh(page);

  // HTTP with a JSON assertion.
  await newMonitor(page, "HTTP(S) URL");
  await page.getByLabel("URL").fill(`http://127.0.0.1:${api}/health`);
  await page.getByLabel("Check every").selectOption("10");
  await page.getByLabel("Assertions").fill("json $.status equals ok\njson /queue/depth < 10");
  await create(page, "JSON API");
  await expect(status(page)).toHaveText("Up", { timeout: 15_000 });

  // A TCP port.
  await newMonitor(page, "TCP port");
  await page.getByLabel("Host").fill("127.0.0.1");
  await page.getByLabel("Port").fill(String(port));
  await create(page, "Database port");
  await expect(page.getByText(`tcp://127.0.0.1:${port}`).first()).toBeVisible();
  await expect(status(page)).toHaveText("Up", { timeout: 15_000 });

  // A heartbeat: its push URL and crontab line, a ping without a session, the last pings.
  await newMonitor(page, "Heartbeat (cron job)");
  await expect(page.getByLabel("URL")).toHaveCount(0);
  await page.getByLabel("Expect a ping every (seconds)").fill("3600");
  await page.getByLabel("Grace (seconds)").fill("300");
  await create(page, "Nightly backup");
  await expect(status(page)).toHaveText("Pending");
  const pushUrl = await page.getByRole("textbox", { name: "Push URL" }).inputValue();
  expect(pushUrl).toMatch(/\/api\/push\/[A-Za-z0-9_-]{32}$/);
  await expect(page.getByRole("textbox", { name: "For crontab" })).toHaveValue(new RegExp(`curl -fsS .*"${pushUrl}"`));
  const cron = await playwright.request.newContext(); // no cookies: as curl from a crontab
  const ping = await cron.get(`${pushUrl}?msg=${encodeURIComponent("42 files")}`);
  expect(ping.status()).toBe(200);
  expect(await ping.text()).toBe("OK\n");
  expect((await cron.post(pushUrl.replace(/[A-Za-z0-9_-]{32}$/, "x".repeat(32)))).status()).toBe(404);
  await cron.dispose();
  await expect(status(page)).toHaveText("Up", { timeout: 15_000 });
  await expect(page.getByRole("table", { name: "Last pings" })).toContainText("42 files");

  // A DNS record, through the instance's resolver.
  await newMonitor(page, "DNS record");
  await page.getByLabel("Domain name").fill(name);
  await page.getByLabel("Record type").selectOption("TXT");
  await page.getByLabel("Expected value").fill("v=spf1 -all");
  await create(page, "SPF record");
  await expect(page.getByText(`TXT ${name}`)).toBeVisible();
  await expect(status(page)).toHaveText("Up", { timeout: 15_000 });

  // A TLS certificate: self-signed, so DOWN with that cause.
  await newMonitor(page, "TLS certificate");
  await page.getByLabel("Host").fill("127.0.0.1");
  await page.getByLabel("Port").fill(String(tlsPort));
  await page.getByLabel("Alert this many days before the certificate expires").fill("30");
  await create(page, "Shop certificate");
  await expect(status(page)).toHaveText("Down", { timeout: 15_000 });
  await expect(page.getByText("certificate is self-signed").first()).toBeVisible();

  // All five in the list, each saying what it watches.
  await page.goto("/monitors");
  for (const label of ["JSON API", "Database port", "Nightly backup", "SPF record", "Shop certificate"]) {
    await expect(page.getByRole("link", { name: label })).toBeVisible();
  }
  await expect(page.getByText("Heartbeat (push)")).toBeVisible();
  await expect(page.getByText(`DNS · ${name}`)).toBeVisible();
});
