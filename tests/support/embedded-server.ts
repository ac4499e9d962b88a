/**
 * The embedded PostgreSQL an app process runs in `dataDir`, as seen from outside: its
 * pid and URL, read from PostgreSQL's own lock file and the password file beside it.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

export async function embeddedServer(dataDir: string): Promise<{ pid: number; url: string }> {
  const [pid, , , port] = (await readFile(path.join(dataDir, "postgres", "postmaster.pid"), "utf8")).split("\n");
  const password = (await readFile(path.join(dataDir, "postgres-password"), "utf8")).trim();
  return {
    pid: Number(pid),
    url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/better_uptime`,
  };
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
