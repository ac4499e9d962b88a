/**
 * The monitor form as a new user meets it: the smallest interval works with the
 * timeout left to follow it, and the dashboard says times in the viewer's zone.
 */
import net from "node:net";
import { expect, test } from "@playwright/test";
import { startTargetServer, type TargetServer } from "../support/target-server.ts";
import { signUpFresh } from "./helpers.ts";

let target: TargetServer;
test.beforeAll(async () => {
  target = await startTargetServer();
});
test.afterAll(() => target.stop());

test.use({ timezoneId: "Asia/Kolkata" });

test("the smallest interval is accepted with the automatic timeout, the chart starts at the first checks, and times read in the viewer's zone", async ({
  page,
}) => {
  await signUpFresh(page);
  await page.goto("/monitors/new");
  await page.getByLabel("URL").fill(target.url("/ok/fast"));
  await page.getByLabel("Name").fill("Fast checks");
  const timeout = page.getByLabel("Timeout (seconds)");
  await expect(timeout).toHaveValue("");
  await expect(timeout).toHaveAttribute("placeholder", "automatic: 10");
  await page.getByLabel("Check every").selectOption("10");
  await expect(timeout).toHaveAttribute("placeholder", "automatic: 5");
  await page.getByRole("button", { name: "Create monitor" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Fast checks" })).toBeVisible();
  await expect(page.getByText("every 10 s")).toBeVisible();

  // Checked: the time's full form names the viewer's zone, not UTC.
  await expect(page.locator("header [data-status]")).toHaveText("Up", { timeout: 15_000 });
  await expect(page.locator("time[title]").first()).toHaveAttribute("title", /GMT\+5:30$/);

  // The chart starts with the first checks, drawn on a time axis over the range.
  await expect(page.locator("figure[data-points]")).toHaveAttribute("data-points", /^([2-9]|\d\d+)$/, {
    timeout: 30_000,
  });
  await expect(page.locator("figure[data-points] canvas").first()).toBeVisible();

  // Editing keeps the timeout automatic (empty), following the interval.
  await page.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByLabel("Timeout (seconds)")).toHaveValue("");
  await expect(page.getByLabel("Timeout (seconds)")).toHaveAttribute("placeholder", "automatic: 5");
});

test("a TCP port monitor is made through the form, goes UP, and edits by host and port", async ({ page }) => {
  const server = net.createServer((socket) => socket.end());
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const port = (server.address() as net.AddressInfo).port;
  try {
    await signUpFresh(page);
    await page.goto("/monitors/new");
    await page.getByRole("navigation", { name: "Monitor type" }).getByRole("link", { name: "TCP port" }).click();
    await expect(page.getByLabel("URL")).toHaveCount(0);
    await page.getByLabel("Host").fill("127.0.0.1");
    await page.getByLabel("Port").fill(String(port));
    await page.getByLabel("Name").fill("Database port");
    await page.getByLabel("Check every").selectOption("10");
    await page.getByRole("button", { name: "Create monitor" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Database port" })).toBeVisible();
    await expect(page.getByText(`tcp://127.0.0.1:${port}`).first()).toBeVisible();
    await expect(page.locator("header [data-status]")).toHaveText("Up", { timeout: 15_000 });

    await page.getByRole("link", { name: "Edit" }).click();
    await expect(page.getByLabel("Host")).toHaveValue("127.0.0.1");
    await expect(page.getByLabel("Port")).toHaveValue(String(port));
    await page.getByLabel("Port").fill("0");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByText("Port must be between 1 and 65535")).toBeVisible();
  } finally {
    server.close();
  }
});
