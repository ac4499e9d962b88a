/**
 * Bad configuration stops the server at once, with one line that says what to fix,
 * a non-zero exit and no stack trace.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { closedPort } from "../support/ports.ts";
import { repoRoot } from "../support/test-database.ts";

const execFileAsync = promisify(execFile);

async function startServer(env: Record<string, string>) {
  try {
    await execFileAsync(process.execPath, ["--import", "tsx", path.join(repoRoot, "app/main.server.ts")], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, NODE_ENV: "test", PORT: "0", ...env },
      timeout: 30_000,
    });
    throw new Error("the server started");
  } catch (error) {
    const { code, stderr } = error as { code: number; stderr: string };
    return { code, stderrLines: stderr.trim().split("\n") };
  }
}

describe("startup with bad configuration", () => {
  it("names DATABASE_URL when it is not a URL", async () => {
    const { code, stderrLines } = await startServer({ DATABASE_URL: "not-a-url" });
    expect(code).toBe(1);
    expect(stderrLines).toHaveLength(1);
    expect(stderrLines[0]).toMatch(/^better-uptime: Invalid configuration: DATABASE_URL is not a URL/);
  });

  it("names the host and port of an unreachable database and points to the README", async () => {
    const port = await closedPort();
    const { code, stderrLines } = await startServer({
      DATABASE_URL: `postgresql://app:secret@127.0.0.1:${port}/uptime`,
    });
    expect(code).toBe(1);
    expect(stderrLines).toEqual([
      `better-uptime: Cannot reach PostgreSQL at 127.0.0.1:${port} (ECONNREFUSED). See README.md, "Troubleshooting".`,
    ]);
  });

  it("names PORT when it is not a port", async () => {
    const { code, stderrLines } = await startServer({ PORT: "http" });
    expect(code).toBe(1);
    expect(stderrLines).toEqual([expect.stringMatching(/PORT must be a number/)]);
  });
});
