/**
 * The dashboard in a real browser, against a target this test controls on 127.0.0.1:
 * a monitor goes UP, DOWN (with an incident) and UP again (resolved, with a duration)
 * while the page is open — no reloads; bad input shows field errors; pausing stops
 * checks. Screenshots for the README are saved to docs/screenshots.
 */
import path from "node:path";
import { expect, test } from "@playwright/test";
import { startTargetServer, type TargetServer } from "../support/target-server.ts";
import { repoRoot } from "../support/test-database.ts";
import { createMonitor, signUpFresh } from "./helpers.ts";

test.describe.configure({ mode: "serial" });
test.setTimeout(120_000);

let target: TargetServer;
test.beforeAll(async () => {
  target = await startTargetServer();
});
test.afterAll(() => target.stop());

test("a monitor goes up, down with an incident, and up again — live", async ({ page }) => {
  await signUpFresh(page);
  await page.goto("/monitors");
  await expect(page.getByRole("heading", { name: "No monitors yet" })).toBeVisible();
  await page.getByRole("link", { name: "Create your first monitor" }).click();
  await expect(page).toHaveURL(/\/monitors\/new$/);

  target.setHealthy(true);
  await createMonitor(page, target.url("/flappy"), "Checkout API");
  const status = page.locator("header [data-status]");
  await expect(status).toHaveText("Up", { timeout: 15_000 });

  target.setHealthy(false); // answers 503 from now on
  await expect(status).toHaveText("Down", { timeout: 25_000 });
  const incident = page.locator("[data-incident]").first();
  await expect(incident).toHaveAttribute("data-incident", "open");
  await expect(incident).toContainText("HTTP 503, expected 200-299");
  await expect(page).toHaveTitle(/^DOWN · Checkout API/);

  await target.stop(); // and now nothing answers at all
  target.setHealthy(true);
  await target.restart();
  await expect(status).toHaveText("Up", { timeout: 25_000 });
  await expect(incident).toHaveAttribute("data-incident", "resolved");
  await expect(incident).toContainText(/Resolved.*\(\d+ s\)|\(\d+ min \d+ s\)/);
});

test("editing with an invalid URL shows the field error and keeps the input", async ({ page }) => {
  await signUpFresh(page);
  await createMonitor(page, target.url("/ok"), "Marketing site");
  await page.getByRole("link", { name: "Edit" }).click();
  await page.getByLabel("URL").fill("not a url");
  await page.getByRole("button", { name: "Save changes" }).click();
  const url = page.getByLabel("URL");
  await expect(url).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Enter a full URL, like https://example.com/health")).toBeVisible();
  await expect(url).toHaveValue("not a url");
});

test("pausing stops the checks", async ({ page }) => {
  await signUpFresh(page);
  const path = `/ok/paused-${Date.now()}`;
  await createMonitor(page, target.url(path), "Paused service");
  await expect(page.locator("header [data-status]")).toHaveText("Up", { timeout: 15_000 });
  await page.getByRole("button", { name: "Pause" }).click();
  await expect(page.locator("header [data-status]")).toHaveText("Paused");
  const hits = target.hits(path);
  await page.waitForTimeout(12_000); // longer than the 10 s interval
  expect(target.hits(path)).toBe(hits);
});

test("screenshots of the list and a monitor, light and dark, desktop and phone", async ({ page }) => {
  await signUpFresh(page, "Screenshot Tester");
  target.setHealthy(true);
  await createMonitor(page, target.url("/slow/120"), "Payments API");
  await expect(page.locator("header [data-status]")).toHaveText("Up", { timeout: 15_000 });
  const paymentsPage = `${page.url()}?range=1h`;
  for (let i = 0; i < 4; i++) {
    await page.getByRole("button", { name: "Check now" }).click();
    await page.waitForTimeout(1_200);
  }
  await createMonitor(page, target.url("/ok"), "Marketing site");
  await createMonitor(page, target.url("/status/503"), "Legacy admin");
  await expect(page.locator("header [data-status]")).toHaveText("Down", { timeout: 15_000 });

  const shots = path.join(repoRoot, "docs", "screenshots");
  for (const theme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: theme });
    for (const [device, viewport] of [
      ["desktop", { width: 1280, height: 900 }],
      ["phone", { width: 390, height: 844 }],
    ] as const) {
      await page.setViewportSize(viewport);
      await page.goto("/monitors");
      await expect(page.locator("tbody tr")).toHaveCount(3);
      await page.screenshot({ path: path.join(shots, `monitors-${theme}-${device}.png`), fullPage: true });
      await page.goto(paymentsPage);
      await expect(page.locator("header [data-status]")).toBeVisible();
      await expect(page.locator(".uplot")).toBeVisible();
      await page.screenshot({ path: path.join(shots, `monitor-${theme}-${device}.png`), fullPage: true });
    }
  }
});
