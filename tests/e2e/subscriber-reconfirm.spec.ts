/**
 * A subscriber of a page that turns private, in a real browser against the built server
 * (issue 25, item 7): subscribed and confirmed through the page, the owner makes it
 * private, the built app's runner mails one confirm-again link (to the local SMTP
 * server), and only the page's password resumes the subscription — after which the page
 * opens in that browser without asking again.
 */
import { expect, test, type Page } from "@playwright/test";
import { mailTo, signUpFresh } from "./helpers.ts";

const PAGE_PASSWORD = "reconfirm page password";

async function mutate<T>(page: Page, path: string, input: unknown): Promise<T> {
  const response = await page.request.post(`/api/trpc/${path}`, { data: input });
  expect(response.status(), `${path}: ${await response.text()}`).toBe(200);
  return ((await response.json()) as { result: { data: T } }).result.data;
}

test("a subscriber of a page turned private confirms again with its password, and only then", async ({
  page,
  browser,
}) => {
  await signUpFresh(page, "Closing Owner");
  const slug = `closing-${Date.now()}`;
  const statusPage = await mutate<{ id: string }>(page, "statusPage.create", { name: "Closing Co", slug });
  await mutate(page, "statusPage.setPublished", { id: statusPage.id, isPublished: true });

  // A visitor subscribes on the public page and confirms from the mail.
  const visitor = await browser.newContext();
  const reader = await visitor.newPage();
  const email = `reader-${Date.now()}@example.test`;
  await reader.goto(`/status/${slug}`);
  await reader.getByLabel("Email address").fill(email);
  await reader.getByRole("button", { name: "Subscribe" }).click();
  await expect(reader.getByText("Almost done")).toBeVisible();
  const confirmMail = await mailTo(email, /Confirm your subscription to Closing Co/);
  expect(confirmMail).toContain("The link works for 7 days.");
  await reader.goto(confirmMail.match(/https?:\/\/\S+\/confirm\?token=\S+/)![0]);
  await reader.getByRole("button", { name: "Confirm my subscription" }).click();
  await expect(reader.getByRole("heading", { name: "Subscription confirmed" })).toBeVisible();

  // The owner makes the page private: one confirm-again mail.
  await mutate(page, "statusPage.setAccess", { id: statusPage.id, visibility: "PRIVATE", password: PAGE_PASSWORD });
  const again = await mailTo(email, /Confirm your subscription again/);
  expect(again).toContain("Closing Co is now a private status page");
  const link = again.match(/https?:\/\/\S+\/reconfirm\?token=\S+/)![0];

  // Opening the link changes nothing; the button without the password is refused.
  await reader.goto(link);
  await expect(reader.getByRole("heading", { name: "Confirm your subscription" })).toBeVisible();
  await reader.getByRole("button", { name: "Confirm my subscription" }).click();
  await expect(reader.getByRole("alert")).toHaveText("Enter the page's password to confirm.");
  await reader.getByLabel("The page's password").fill("a wrong guess");
  await reader.getByRole("button", { name: "Confirm my subscription" }).click();
  await expect(reader.getByRole("alert")).toHaveText("That is not the password of this page.");

  await reader.getByLabel("The page's password").fill(PAGE_PASSWORD);
  await reader.getByRole("button", { name: "Confirm my subscription" }).click();
  await expect(reader.getByRole("heading", { name: "Subscription confirmed" })).toBeVisible();
  // The page is open in this browser now, without its password form.
  await reader.goto(`/status/${slug}`);
  await expect(reader.getByRole("heading", { name: "This status page is private" })).toHaveCount(0);
  await expect(reader.getByText("Closing Co").first()).toBeVisible();
  await visitor.close();
});
