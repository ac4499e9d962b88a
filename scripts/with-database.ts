/**
 * Runs a command against the app's database: `npm run db -- migrate dev --name x`
 * runs `prisma migrate dev --name x` with DATABASE_URL set.
 *  - DATABASE_URL set: that database.
 *  - unset: the embedded PostgreSQL in DATA_DIR. When one runs (`npm start`'s, even one
 *    it adopted), the command shares it and never stops it; otherwise one is started for
 *    the command and stopped after.
 */
import { spawn } from "node:child_process";
import { startEmbeddedPostgres } from "../core/ops/embedded-postgres.ts";
import { loadEnv } from "../core/env.ts";
import { StartupError } from "../core/errors.ts";

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error("usage: tsx scripts/with-database.ts <command> [args…]");
  process.exit(2);
}

try {
  const env = loadEnv();
  const embedded = env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({ dataDir: env.DATA_DIR, port: env.EMBEDDED_POSTGRES_PORT, mode: "share" });
  const child = spawn(command, args, {
    stdio: "inherit",
    env: { ...process.env, DATABASE_URL: env.DATABASE_URL ?? embedded!.url, CHECKPOINT_DISABLE: "1" },
  });
  // Ctrl-C reaches the child through the terminal; we only wait for it. A SIGTERM is
  // meant for the command: pass it on, and stop the database once the command is gone.
  process.on("SIGINT", () => undefined);
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  const code = await new Promise<number>((resolve) => child.once("exit", (exitCode) => resolve(exitCode ?? 1)));
  await embedded?.stop();
  process.exit(code);
} catch (error) {
  console.error(error instanceof StartupError ? `better-uptime: ${error.message}` : error);
  process.exit(1);
}
