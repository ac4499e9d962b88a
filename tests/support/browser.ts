/**
 * Which Chromium the end-to-end tests drive. In order: CHROMIUM_PATH when set (it must
 * exist), a system Chromium (Debian's /usr/bin/chromium, Ubuntu's chromium-browser),
 * then Playwright's own download. Playwright cannot download browsers on machines
 * without internet access, so a system one comes first.
 */
import { existsSync } from "node:fs";

export const SYSTEM_CHROMIUMS = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** The flags keep Chromium from reaching for Google services: tests only talk to 127.0.0.1. */
export const SYSTEM_CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export type BrowserChoice =
  | { kind: "system"; executablePath: string }
  | { kind: "playwright"; executablePath: string }
  | { kind: "missing"; reason: string };

export interface BrowserProbe {
  /** CHROMIUM_PATH, when the user named one. */
  configured?: string;
  systemPaths: readonly string[];
  /** Where Playwright's own Chromium is (or would be) installed. */
  playwrightPath: string;
  exists(path: string): boolean;
}

/** Pure: the first usable browser, or why there is none. */
export function chooseBrowser(probe: BrowserProbe): BrowserChoice {
  if (probe.configured) {
    return probe.exists(probe.configured)
      ? { kind: "system", executablePath: probe.configured }
      : { kind: "missing", reason: `CHROMIUM_PATH=${probe.configured} does not exist` };
  }
  const system = probe.systemPaths.find((path) => probe.exists(path));
  if (system) return { kind: "system", executablePath: system };
  if (probe.exists(probe.playwrightPath)) return { kind: "playwright", executablePath: probe.playwrightPath };
  return { kind: "missing", reason: "no Chromium found" };
}

/** The one line printed when no browser can be had. */
export const NO_BROWSER_HELP =
  "install Debian's Chromium (apt-get install chromium), set CHROMIUM_PATH to a Chromium, or run `npx playwright install chromium` on a machine that reaches the internet";

/** Playwright launch options for a choice: system browsers need the quiet flags. */
export function launchOptionsFor(choice: BrowserChoice): { executablePath?: string; args?: string[] } {
  if (choice.kind === "system") return { executablePath: choice.executablePath, args: SYSTEM_CHROMIUM_ARGS };
  return {};
}

export function probeFromEnvironment(playwrightPath: string): BrowserProbe {
  return {
    configured: process.env.CHROMIUM_PATH?.trim() || undefined,
    systemPaths: SYSTEM_CHROMIUMS,
    playwrightPath,
    exists: existsSync,
  };
}

/**
 * A browser for the run: the chosen one, else Playwright's own installed now (where the
 * network allows), else a reason in one line.
 */
export async function ensureBrowser(probe: BrowserProbe, install: () => Promise<boolean>): Promise<BrowserChoice> {
  const first = chooseBrowser(probe);
  if (first.kind !== "missing" || probe.configured) return first;
  const installed = await install();
  const second = chooseBrowser(probe);
  if (second.kind !== "missing") return second;
  return {
    kind: "missing",
    reason: installed ? "Playwright's Chromium installed but not found" : "downloading Playwright's Chromium failed",
  };
}
