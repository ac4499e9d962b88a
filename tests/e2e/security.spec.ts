/**
 * Attacks tried in a real browser (Chromium), signed in as an owner.
 */
import { expect, test, type Page } from "@playwright/test";
import { createMonitor, signUpFresh } from "./helpers.ts";

const PAYLOAD =
  'Upgrade ]]> ]]><script xmlns="http://www.w3.org/1999/xhtml">console.log("xss-probe");alert(document.domain)</script>';

/** A tRPC mutation as the signed-in browser makes it (the session cookie goes along). */
async function mutate<T>(page: Page, path: string, input: unknown): Promise<T> {
  const response = await page.request.post(`/api/trpc/${path}`, { data: input });
  expect(response.status(), `${path}: ${await response.text()}`).toBe(200);
  return ((await response.json()) as { result: { data: T } }).result.data;
}

test("Atom feed injection: the owner opens a feed whose maintenance title carries ]]> twice; no script runs", async ({
  page,
}) => {
  await signUpFresh(page, "Feed Owner");
  await createMonitor(page, "http://127.0.0.1:9/feed-target", "Feed target");
  const monitorId = new URL(page.url()).pathname.split("/").at(-1)!;
  const statusPage = await mutate<{ id: string; slug: string }>(page, "statusPage.create", {
    name: "Feed test",
    slug: `feed-${Date.now()}`,
  });
  await mutate(page, "statusPage.setMonitors", {
    id: statusPage.id,
    monitors: [{ monitorId, displayName: "API" }],
  });
  await mutate(page, "statusPage.setPublished", { id: statusPage.id, isPublished: true });
  await mutate(page, "maintenance.create", {
    title: PAYLOAD,
    startsAt: new Date(Date.now() + 3_600_000).toISOString(),
    endsAt: new Date(Date.now() + 7_200_000).toISOString(),
    monitorIds: [monitorId],
  });

  const dialogs: string[] = [];
  const consoleLines: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on("console", (message) => consoleLines.push(message.text()));
  const response = await page.goto(`/status/${statusPage.slug}/feed.atom`);
  expect(response?.headers()["content-security-policy"]).toContain("sandbox");
  await page.waitForTimeout(1_000);
  expect(dialogs).toEqual([]);
  expect(await page.evaluate(() => document.querySelectorAll("script").length).catch(() => 0)).toBe(0);
  // The title is there, as escaped text.
  expect(await page.locator("body").innerText()).toContain(
    "Maintenance: Upgrade ]]&gt; ]]&gt;&lt;script xmlns=&quot;http://www.w3.org/1999/xhtml&quot;&gt;console.log(",
  );
  expect(consoleLines.filter((line) => line.includes("xss-probe"))).toEqual([]);
});

test("the dashboard runs under its Content-Security-Policy with no violation, and cannot be framed", async ({
  page,
}) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  const response = await page.goto("/signup");
  const policy = response?.headers()["content-security-policy"] ?? "";
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  expect(response?.headers()["x-content-type-options"]).toBe("nosniff");
  await signUpFresh(page, "CSP Tester");
  await page.goto("/monitors");
  await page.goto("/alerts");
  await page.goto("/account");
  expect(violations).toEqual([]);
});
