import { expect, type Page } from "@playwright/test";
import { mailApiUrl } from "../support/e2e-env.ts";

export const PASSWORD = "correct horse battery staple";

/** The text of the newest mail to `address` whose subject matches. */
export async function mailTo(address: string, subject: RegExp): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const messages = (await (await fetch(`${mailApiUrl}/messages`)).json()) as {
      to: string[];
      subject: string;
      text: string;
    }[];
    const message = messages.reverse().find((m) => m.to.includes(address) && subject.test(m.subject));
    if (message) return message.text;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no mail "${subject.source}" to ${address}`);
}

export async function logIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

let visitors = Math.floor(Math.random() * 250);

/**
 * A new, verified user, signed in: sign up, open the mailed link, verify. Each one as a
 * different visitor (the e2e server trusts X-Forwarded-For from loopback): the suite
 * signs up more people than one address may in an hour. A header only — documentation
 * addresses (TEST-NET-2) that no packet is ever sent to.
 */
export async function signUpFresh(page: Page, name = "Dashboard Tester"): Promise<string> {
  visitors += 1;
  await page.setExtraHTTPHeaders({ "x-forwarded-for": `198.51.100.${(visitors % 250) + 1}` });
  const email = `e2e-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.test`;
  await page.goto("/signup");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  const link = (await mailTo(email, /Verify your email/)).match(/https?:\/\/\S+\/verify-email\?token=\S+/)![0];
  await page.goto(link);
  await page.getByRole("button", { name: "Verify my email address" }).click();
  await expect(page).toHaveURL(/\/account\?verified=1/);
  return email;
}

/** A monitor checked every 10 s with a 2 s timeout, through the form; ends on its page. */
export async function createMonitor(page: Page, url: string, name: string) {
  await page.goto("/monitors/new");
  await page.getByLabel("URL").fill(url);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Check every").selectOption("10");
  await page.getByLabel("Timeout (seconds)").fill("2");
  await page.getByRole("button", { name: "Create monitor" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
}
