/** The web server's /metrics: Prometheus text, live dashboards counted while they are open. */
import { expect, test } from "@playwright/test";
import { parseMetrics, metricValue } from "../support/prometheus.ts";
import { signUpFresh } from "./helpers.ts";

test("/metrics counts an open live dashboard, and stops counting it once closed", async ({ page, request }) => {
  const scrape = async () => {
    const response = await request.get("/metrics");
    expect(response.status()).toBe(200);
    return metricValue(parseMetrics(await response.text()), "better_uptime_live_stream_clients");
  };
  const before = await scrape();
  await signUpFresh(page, "Metrics Viewer");
  await page.goto("/monitors");
  await expect.poll(scrape).toBe(before + 1);
  await page.goto("/account");
  // The server counts a stream closed once it sees its connection go, and at the latest when
  // its next keepalive (every 25 s, app/routes/monitors.events.ts) finds the connection gone:
  // after a whole suite in one server the close itself is not always seen.
  await expect.poll(scrape, { timeout: 45_000 }).toBe(before);
});
