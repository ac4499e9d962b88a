import { expect, test } from "@playwright/test";

test("the landing page says what Better Uptime is and that this instance is up", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveTitle(/Better Uptime/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "Uptime monitoring and status pages you host yourself.",
  );
  await expect(page.getByText(/tells you the moment one goes down/)).toBeVisible();
  // Fetched from the browser through the typed tRPC client after hydration.
  await expect(page.getByRole("status")).toHaveText("This instance is operational");
});

test("an unknown address answers a real 404 page", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Not found");
  await expect(page.getByRole("link", { name: "Back to the home page" })).toBeVisible();
});

test("/healthz answers 200 while the database answers", async ({ request }) => {
  const response = await request.get("/healthz");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: "ok", database: "up" });
});
