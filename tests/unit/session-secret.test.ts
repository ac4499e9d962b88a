import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEVELOPMENT_SESSION_SECRET, loadEnv } from "../../core/env.ts";
import { isLoopbackHost, withSessionSecret } from "../../app/host/session-secret.server.ts";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe("session forgery with the published development secret", () => {
  it("an instance without SESSION_SECRET signs with a random secret of its own, kept across restarts", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "bu-secret-"));
    dirs.push(dataDir);
    const first = await withSessionSecret(loadEnv({ DATA_DIR: dataDir }));
    expect(first.SESSION_SECRET).not.toBe(DEVELOPMENT_SESSION_SECRET);
    expect(first.SESSION_SECRET).toMatch(/^[0-9a-f]{64}$/);
    const file = path.join(dataDir, "session-secret");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, "utf8")).trim()).toBe(first.SESSION_SECRET);
    const again = await withSessionSecret(loadEnv({ DATA_DIR: dataDir }));
    expect(again.SESSION_SECRET).toBe(first.SESSION_SECRET);
  });

  it("an explicit SESSION_SECRET is used as it is", async () => {
    const secret = "s".repeat(40);
    expect((await withSessionSecret(loadEnv({ SESSION_SECRET: secret }))).SESSION_SECRET).toBe(secret);
  });

  it("knows which hosts only this machine can reach", () => {
    expect(["127.0.0.1", "localhost", "::1"].every(isLoopbackHost)).toBe(true);
    expect(["0.0.0.0", "::", "192.0.2.10"].some(isLoopbackHost)).toBe(false);
  });
});
