/**
 * Run before the end-to-end tests (`npm run test:e2e`): make sure there is a Chromium to
 * drive. A system one is used as it is; without one, Playwright's own is downloaded
 * (`npx playwright install chromium`); when that fails too, one line says what to do.
 */
import { spawn } from "node:child_process";
import { chromium } from "@playwright/test";
import { ensureBrowser, NO_BROWSER_HELP, probeFromEnvironment } from "../tests/support/browser.ts";

function installPlaywrightChromium(): Promise<boolean> {
  process.stderr.write(
    "e2e: no Chromium on this machine; downloading Playwright's (npx playwright install chromium)\n",
  );
  return new Promise((resolve) => {
    const child = spawn("npx", ["playwright", "install", "chromium"], { stdio: ["ignore", "inherit", "inherit"] });
    const timer = setTimeout(() => child.kill("SIGTERM"), 10 * 60_000);
    child.on("error", () => resolve(false));
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

const choice = await ensureBrowser(probeFromEnvironment(chromium.executablePath()), installPlaywrightChromium);
if (choice.kind === "missing") {
  process.stderr.write(`e2e: no browser for the end-to-end tests (${choice.reason}): ${NO_BROWSER_HELP}.\n`);
  process.exit(1);
}
process.stderr.write(
  `e2e: using ${choice.kind === "system" ? "" : "Playwright's "}Chromium at ${choice.executablePath}\n`,
);
