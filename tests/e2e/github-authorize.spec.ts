/**
 * With GitHub's real endpoints configured, the sign-in button leads to
 * github.com/login/oauth/authorize with a state — and the browser's request is stopped
 * before it leaves the machine.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { startApp } from "../support/app-process.ts";
import { closedPort } from "../support/ports.ts";
import { tmpRoot, uniqueSuffix } from "../support/test-database.ts";

test.setTimeout(90_000);
const dataDir = path.join(tmpRoot, `github-${uniqueSuffix()}`);
test.afterAll(() => rm(dataDir, { recursive: true, force: true }));

test("the GitHub button goes to GitHub's authorize URL with a state", async ({ page }) => {
  const app = await startApp(
    {
      DATABASE_URL: undefined,
      DATA_DIR: dataDir,
      RUNNER_ENABLED: "false",
      GITHUB_CLIENT_ID: "real-endpoints-client",
      GITHUB_CLIENT_SECRET: "real-endpoints-secret",
    },
    await closedPort(),
  );
  try {
    const blocked: string[] = [];
    await page.route("https://github.com/**", async (route) => {
      blocked.push(route.request().url());
      await route.abort("blockedbyclient");
    });
    await page.goto(`${app.baseUrl}/login`);
    await page.getByRole("button", { name: "Continue with GitHub" }).click();
    await expect.poll(() => blocked.length).toBe(1);
    const url = new URL(blocked[0]!);
    expect(`${url.origin}${url.pathname}`).toBe("https://github.com/login/oauth/authorize");
    expect(url.searchParams.get("client_id")).toBe("real-endpoints-client");
    expect(url.searchParams.get("state")).toMatch(/.{16,}/);
    expect(url.searchParams.get("redirect_uri")).toBe(`${app.baseUrl}/auth/github/callback`);
  } finally {
    await app.stop();
  }
});
