import { expect, test } from "@playwright/test";
import { E2E } from "../support/e2e-env.ts";
import { logIn, mailTo, PASSWORD, signUpFresh } from "./helpers.ts";

test("sign up, verify by email, log out, log in", async ({ page }) => {
  const email = `e2e-${Date.now()}@example.test`;
  await page.goto("/signup");
  await page.getByLabel("Name").fill("E2E Tester");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();

  const mail = await mailTo(email, /Verify your email/);
  const link = mail.match(/https?:\/\/\S+\/verify-email\?token=\S+/)![0];
  await page.goto(link);
  await page.getByRole("button", { name: "Verify my email address" }).click();
  await expect(page).toHaveURL(/\/account\?verified=1/);
  await expect(page.getByText("Your email address is verified.")).toBeVisible();
  await expect(page.getByText(`${email} (verified)`)).toBeVisible();

  await page.getByRole("button", { name: "Log out", exact: true }).click();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Log in" })).toBeVisible();
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Faccount/);

  // Log in on the page we were sent to: it brings us back to where we were going.
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
});

test("a wrong password shows an error and starts no session", async ({ page, context }) => {
  await logIn(page, "nobody-here@example.test", "not the password");
  await expect(page.getByRole("alert")).toHaveText("Email or password is incorrect.");
  expect((await context.cookies()).filter((cookie) => cookie.name === "__session")).toEqual([]);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login/);
});

test("signing in with GitHub (a local stand-in) creates the user and connects the account", async ({ page }) => {
  await page.goto("/login");
  const authorize = page.waitForRequest((request) =>
    request.url().startsWith(`http://127.0.0.1:${E2E.gitHubPort}/login/oauth/authorize`),
  );
  await page.getByRole("button", { name: "Continue with GitHub" }).click();
  const url = new URL((await authorize).url());
  expect(url.searchParams.get("state")).toMatch(/.{16,}/);
  expect(url.searchParams.get("client_id")).toBe("e2e-client-id");
  await expect(page).toHaveURL(/\/monitors$/);
  await page.goto("/account");
  await expect(page.getByText(`${E2E.gitHubUser.email} (verified)`)).toBeVisible();
  await expect(page.getByText(/GitHub — connected/)).toBeVisible();
  await expect(page.getByRole("link", { name: E2E.gitHubUser.name })).toBeVisible();
});

test("a GitHub callback without the state cookie answers 400 with a message", async ({ request }) => {
  const response = await request.get("/auth/github/callback?code=forged&state=forged");
  expect(response.status()).toBe(400);
  expect(await response.text()).toContain("its state does not match");
});

test("a form posted from another site is refused with 403, not 500", async ({ request }) => {
  const response = await request.post("/login", {
    headers: { origin: "http://evil.example.test" },
    form: { email: "a@example.test", password: "x" },
  });
  expect(response.status()).toBe(403);
});

test("an API token made on the account page drives the typed client example, once shown", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: "Continue with GitHub" }).click();
  await expect(page).toHaveURL(/\/monitors$/);
  await page.goto("/account");
  await page.getByLabel("Token name").fill("example script");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByRole("status", { name: "New API token" }).textContent()) ?? "";
  expect(token).toMatch(/^bu_/);

  const { execFile } = await import("node:child_process");
  const { promisify } = await import("node:util");
  const { stderr } = await promisify(execFile)(process.execPath, ["--import", "tsx", "examples/api-client.ts"], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "test",
      BETTER_UPTIME_URL: `http://127.0.0.1:${E2E.appPort}`,
      BETTER_UPTIME_TOKEN: token,
    },
  });
  expect(stderr).toMatch(/created \S+ \(PENDING\)/);
  expect(stderr).toContain("Created from a script");

  // Shown once: after a reload only its prefix remains.
  await page.reload();
  await expect(page.getByText(token)).toHaveCount(0);
  await expect(page.getByText(`${token.slice(0, 9)}…`)).toBeVisible();
});

test("Export on the account page downloads the setup, secrets only when ticked", async ({ page }) => {
  await signUpFresh(page, "Exporter");
  await page.goto("/monitors/new");
  await page.getByLabel("URL").fill("http://127.0.0.1:9/exported");
  await page.getByLabel("Name").fill("Exported monitor");
  await page.getByRole("button", { name: "Create monitor" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Exported monitor" })).toBeVisible();

  const download = async () => {
    const started = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export" }).click();
    const file = await started;
    const stream = await file.createReadStream();
    let text = "";
    for await (const chunk of stream) text += String(chunk);
    return { name: file.suggestedFilename(), document: JSON.parse(text) as Record<string, unknown> };
  };
  await page.goto("/account");
  const plain = await download();
  expect(plain.name).toMatch(/^better-uptime-setup-\d{4}-\d{2}-\d{2}\.json$/);
  expect(plain.document).toMatchObject({
    format: "better-uptime/setup",
    includesSecrets: false,
    monitors: [{ name: "Exported monitor", url: "http://127.0.0.1:9/exported" }],
  });
  await page.getByLabel(/Include secrets/).check();
  const withSecrets = await download();
  expect(withSecrets.name).toMatch(/-with-secrets\.json$/);
  expect(withSecrets.document).toMatchObject({ includesSecrets: true });
});
