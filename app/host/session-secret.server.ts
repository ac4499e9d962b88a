/**
 * The secret signing session cookies. An instance never runs on a secret everyone can
 * read in our source: when SESSION_SECRET is not set, a random one is made on first start
 * and kept in DATA_DIR (mode 600), as the embedded database's password is, so sessions
 * survive restarts. Several web processes behind one address need the same secret: set
 * SESSION_SECRET for them.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { DEVELOPMENT_SESSION_SECRET, type Env } from "../../core/env.ts";

export async function withSessionSecret(env: Env): Promise<Env> {
  if (env.SESSION_SECRET !== DEVELOPMENT_SESSION_SECRET) return env;
  const file = path.resolve(env.DATA_DIR, "session-secret");
  const kept = (await readFile(file, "utf8").catch(() => "")).trim();
  if (kept.length >= 32) return { ...env, SESSION_SECRET: kept };
  const secret = randomBytes(32).toString("hex");
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return { ...env, SESSION_SECRET: secret };
}

/** Development defaults (loopback targets allowed, …) on an address others can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\./.test(host);
}
