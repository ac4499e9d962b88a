/**
 * The monitor list at a size where it pages: 120 monitors made through the API (as a
 * script would), browsed page by page and filtered by tag, the view kept in the URL.
 */
import path from "node:path";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { expect, test } from "@playwright/test";
import type { AppRouter } from "../../app/trpc/root.server.ts";
import { E2E } from "../support/e2e-env.ts";
import { startTargetServer, type TargetServer } from "../support/target-server.ts";
import { repoRoot } from "../support/test-database.ts";
import { createMonitor, signUpFresh } from "./helpers.ts";

let target: TargetServer;
test.beforeAll(async () => {
  target = await startTargetServer();
});
test.afterAll(() => target.stop());
test.setTimeout(120_000);

test("a list of 120 monitors shows page 1 of 3, pages on, and filters by tag", async ({ page }) => {
  await signUpFresh(page, "List Tester");
  await page.goto("/account");
  await page.getByLabel("Token name").fill("seeding script");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByRole("status", { name: "New API token" }).textContent()) ?? "";
  const api = createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `http://127.0.0.1:${E2E.appPort}/api/trpc`,
        headers: { authorization: `Bearer ${token}` },
        maxItems: 20,
      }),
    ],
  });
  await Promise.all(
    Array.from({ length: 120 }, (_, i) =>
      api.monitor.create.mutate({
        url: target.url(`/ok/list-${i + 1}`),
        name: `Service ${String(i + 1).padStart(3, "0")}`,
        intervalSeconds: 3_600,
        tags: (i + 1) % 3 === 0 ? ["eu"] : ["us"],
      }),
    ),
  );

  await page.goto("/monitors?sort=name");
  const pager = page.getByRole("navigation", { name: "Pages" });
  await expect(pager).toContainText("Page 1 of 3");
  const rows = page.locator("tr[data-monitor]");
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toContainText("Service 001");
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: path.join(repoRoot, "docs", "screenshots", "monitors-paged.png"), fullPage: true });

  await pager.getByRole("link", { name: "Next →" }).click();
  await expect(page).toHaveURL(/[?&]page=2/);
  await expect(pager).toContainText("Page 2 of 3");
  await expect(rows.first()).toContainText("Service 051");

  // A tag chip filters (and starts again at page 1); the view is in the URL.
  await page.getByRole("navigation", { name: "Filter by tag" }).getByRole("link", { name: "eu" }).click();
  await expect(page).toHaveURL(/[?&]tag=eu/);
  await expect(rows).toHaveCount(40);
  await expect(pager).toHaveCount(0);
  await page.reload();
  await expect(rows).toHaveCount(40);
});

test("a target going down turns its row DOWN within seconds, pushed: no request while the list is open", async ({
  page,
}) => {
  await signUpFresh(page, "Live Tester");
  target.setHealthy(true);
  await createMonitor(page, target.url("/flappy/list"), "Live row");
  // The list reloads its data once when its event stream opens; after that, nothing.
  const reloadedOnOpen = page.waitForResponse((response) => new URL(response.url()).pathname === "/monitors.data");
  await page.goto("/monitors");
  await reloadedOnOpen;
  const row = page.locator("tr[data-monitor]", { hasText: "Live row" });
  await expect(row.locator("[data-status]")).toHaveText("Up", { timeout: 15_000 });

  const requests: string[] = [];
  page.on("request", (request) => requests.push(new URL(request.url()).pathname));
  target.setHealthy(false); // answers 503 from now on
  await expect(row.locator("[data-status]")).toHaveText("Down", { timeout: 25_000 });
  await expect(page.getByRole("link", { name: /^Down \(1\)$/ })).toBeVisible();
  // Nothing was polled: the change came down the event stream opened with the page.
  expect(requests).toEqual([]);
  target.setHealthy(true);
});

test("the live stream is only for the signed-in owner: anonymous requests are sent to log in", async ({ request }) => {
  const response = await request.get("/monitors/events", { maxRedirects: 0 });
  expect(response.status()).toBe(302);
  expect(response.headers().location).toMatch(/^\/login\?redirectTo=%2Fmonitors%2Fevents/);
});
