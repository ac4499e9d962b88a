/**
 * Alerts in the browser: add a webhook channel, attach it to a monitor, watch the
 * monitor's delivery log show the alert as sent when the target goes down, and
 * acknowledge the incident; add a Telegram channel and send it a test.
 */
import { expect, test } from "@playwright/test";
import { startReceiver, type Receiver } from "../support/receiver.ts";
import { startTargetServer, type TargetServer } from "../support/target-server.ts";
import { signUpFresh } from "./helpers.ts";

test.setTimeout(90_000);
let target: TargetServer;
let receiver: Receiver;
test.beforeAll(async () => {
  [target, receiver] = await Promise.all([startTargetServer(), startReceiver()]);
});
test.afterAll(async () => {
  await Promise.all([target.stop(), receiver.stop()]);
});

test("a webhook channel receives the alert and the delivery log says so", async ({ page }) => {
  await signUpFresh(page, "Alerts Tester");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alerts", exact: true }).click();
  await expect(page).toHaveURL(/\/alerts$/);
  await page
    .getByRole("navigation", { name: "Channel type" })
    .getByRole("link", { name: "Webhook (signed JSON)" })
    .click();
  // The tab's own form, not the one it replaces, before typing into it.
  await expect(page.getByRole("button", { name: "Add Webhook (signed JSON) channel" })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill("Ops webhook");
  await page.getByLabel("Webhook URL").fill(receiver.url("/ops"));
  await page.getByLabel("Add to new monitors").check();
  await page.getByRole("button", { name: "Add Webhook (signed JSON) channel" }).click();
  await expect(page.getByText('Channel "Ops webhook" added.')).toBeVisible();
  await expect(page.getByRole("status", { name: "Signing secret" })).toContainText("whsec_");

  await page.goto("/monitors/new");
  await page.getByLabel("URL").fill(target.url("/status/502"));
  await page.getByLabel("Name").fill("Broken backend");
  await expect(page.getByLabel(/Ops webhook/)).toBeChecked(); // a default channel
  await page.getByRole("button", { name: "Create monitor" }).click();
  await expect(page.locator("header [data-status]")).toHaveText("Down", { timeout: 20_000 });
  await expect(page.locator('[data-delivery="sent"]').first()).toContainText("Ops webhook", { timeout: 20_000 });
  expect(receiver.received.some((r) => r.path === "/ops" && r.body.includes("Broken backend"))).toBe(true);

  // Someone takes it: the incident says who, and the webhook is told.
  const incident = page.locator('[data-incident="open"]');
  await incident.getByRole("button", { name: "Acknowledge" }).click();
  await expect(page.getByText("Acknowledged by Alerts Tester: reminders have stopped.")).toBeVisible();
  await expect(incident).toContainText("Acknowledged by Alerts Tester");
  await expect(incident.getByRole("button", { name: "Acknowledge" })).toHaveCount(0);
  await expect
    .poll(() => receiver.received.some((r) => r.path === "/ops" && r.body.includes('"incident.acknowledged"')), {
      timeout: 20_000,
    })
    .toBe(true);
});

test("a Telegram channel made in the form gets its test alert, and its bot token is never shown again", async ({
  page,
}) => {
  const botToken = "123456789:AAHe2e-telegram-token-abcdefghijk";
  await signUpFresh(page, "Telegram Tester");
  await page.goto("/alerts");
  await page.getByRole("navigation", { name: "Channel type" }).getByRole("link", { name: "Telegram" }).click();
  await expect(page).toHaveURL(/\?type=telegram/);
  await expect(page.getByRole("button", { name: "Add Telegram channel" })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill("Ops chat");
  await page.getByLabel("Bot token").fill("not-a-token");
  await page.getByLabel("Chat id").fill("-1001234567890");
  await page.getByLabel("Bot API server (optional)").fill(receiver.url("/telegram"));
  await page.getByRole("button", { name: "Add Telegram channel" }).click();
  await expect(page.getByText(/A bot token from @BotFather/)).toBeVisible();

  await page.getByLabel("Bot token").fill(botToken);
  await page.getByRole("button", { name: "Add Telegram channel" }).click();
  await expect(page.getByText('Channel "Ops chat" added.')).toBeVisible();
  await expect(page.getByText("-1001234567890")).toBeVisible();
  expect(await page.content()).not.toContain(botToken);

  await page.getByRole("button", { name: "Send test: Ops chat" }).click();
  await expect(page.locator('[data-delivery="sent"]').first()).toContainText("Ops chat", { timeout: 20_000 });
  const sent = receiver.received.find((r) => r.path === `/telegram/bot${botToken}/sendMessage`);
  expect(JSON.parse(sent!.body)).toMatchObject({ chat_id: "-1001234567890", parse_mode: "HTML" });
});
