import { describe, expect, it } from "vitest";
import { chooseBrowser, ensureBrowser, launchOptionsFor, type BrowserProbe } from "../support/browser.ts";

const probe = (present: string[], configured?: string): BrowserProbe => ({
  configured,
  systemPaths: ["/usr/bin/chromium", "/usr/bin/chromium-browser"],
  playwrightPath: "/cache/ms-playwright/chromium/chrome",
  exists: (path) => present.includes(path),
});

describe("the end-to-end tests' browser", () => {
  it("is the system Chromium first, Playwright's own next", () => {
    expect(chooseBrowser(probe(["/usr/bin/chromium", "/cache/ms-playwright/chromium/chrome"]))).toEqual({
      kind: "system",
      executablePath: "/usr/bin/chromium",
    });
    expect(chooseBrowser(probe(["/usr/bin/chromium-browser"]))).toMatchObject({
      executablePath: "/usr/bin/chromium-browser",
    });
    expect(chooseBrowser(probe(["/cache/ms-playwright/chromium/chrome"]))).toEqual({
      kind: "playwright",
      executablePath: "/cache/ms-playwright/chromium/chrome",
    });
  });

  it("is CHROMIUM_PATH when set, and says so when that file is missing", () => {
    expect(chooseBrowser(probe(["/opt/chrome", "/usr/bin/chromium"], "/opt/chrome"))).toMatchObject({
      executablePath: "/opt/chrome",
    });
    expect(chooseBrowser(probe(["/usr/bin/chromium"], "/opt/chrome"))).toEqual({
      kind: "missing",
      reason: "CHROMIUM_PATH=/opt/chrome does not exist",
    });
  });

  it("downloads Playwright's only when there is none, and reports a failed download", async () => {
    let installs = 0;
    const present: string[] = [];
    const machine = probe(present);
    const install = () => {
      installs += 1;
      present.push(machine.playwrightPath);
      return Promise.resolve(true);
    };
    expect(await ensureBrowser(machine, install)).toMatchObject({ kind: "playwright" });
    expect(await ensureBrowser(machine, install)).toMatchObject({ kind: "playwright" });
    expect(installs).toBe(1);

    const offline = await ensureBrowser(probe([]), () => Promise.resolve(false));
    expect(offline).toEqual({ kind: "missing", reason: "downloading Playwright's Chromium failed" });
  });

  it("never downloads in place of a CHROMIUM_PATH that is missing", async () => {
    let installs = 0;
    const choice = await ensureBrowser(probe([], "/opt/chrome"), () => Promise.resolve(++installs > 0));
    expect(choice.kind).toBe("missing");
    expect(installs).toBe(0);
  });

  it("gives a system Chromium the flags that keep it off Google's services", () => {
    expect(launchOptionsFor({ kind: "system", executablePath: "/usr/bin/chromium" }).args).toContain(
      "--disable-background-networking",
    );
    expect(launchOptionsFor({ kind: "playwright", executablePath: "/x" })).toEqual({});
  });
});
