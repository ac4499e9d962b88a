import { chromium, defineConfig, devices } from "@playwright/test";
import { chooseBrowser, launchOptionsFor, probeFromEnvironment } from "./tests/support/browser.ts";
import { E2E } from "./tests/support/e2e-env.ts";

const port = E2E.appPort;

// Which Chromium: see tests/support/browser.ts (scripts/ensure-browser.ts runs first and
// fetches Playwright's own when the machine has none).
const launchOptions = launchOptionsFor(chooseBrowser(probeFromEnvironment(chromium.executablePath())));

export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "**/*.spec.ts",
  outputDir: "test-results",
  workers: 1,
  // No retries: a test that needs one is flaky and gets fixed. Were they turned on, the
  // list reporter's summary would name each test that passed only on a retry ("N flaky").
  retries: 0,
  reporter: "list",
  timeout: 60_000,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], launchOptions } }],
  webServer: {
    // The built app, on its own isolated database, bound to 127.0.0.1.
    command: "npm run build && tsx tests/support/e2e-server.ts",
    url: `http://127.0.0.1:${port}/healthz`,
    env: { E2E_PORT: String(port) },
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: "ignore",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
  },
});
