/**
 * The built server (`build/server/main.js`) as a child process, as `npm start` runs it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { repoRoot } from "./test-database.ts";

export interface AppProcess {
  child: ChildProcess;
  baseUrl: string;
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** The session secret the app is started with (tests sign session cookies with it). */
export const APP_SESSION_SECRET = "e2e-session-secret-e2e-session-secret-0123456789";

/** `root`: the checkout whose build runs (a benchmark may measure an older one). */
export async function startApp(
  env: Record<string, string | undefined>,
  port: number,
  root = repoRoot,
): Promise<AppProcess> {
  const child = spawn(process.execPath, [path.join(root, "build/server/main.js")], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      SESSION_SECRET: APP_SESSION_SECRET,
      HOST: "127.0.0.1",
      PORT: String(port),
      APP_URL: `http://127.0.0.1:${port}`,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHealthy(baseUrl, exited, () => output);
  return {
    child,
    baseUrl,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

async function waitForHealthy(baseUrl: string, exited: Promise<number | null>, output: () => string): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`The app exited before it was healthy:\n${output()}`);
    const ok = await fetch(`${baseUrl}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
