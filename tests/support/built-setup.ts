/**
 * Vitest global setup for the `built` project: the built server (`build/server/main.js`,
 * as `npm start` runs it) on a migrated database of its own, started once for every file
 * of the project. Tests reach it over HTTP (`inject("builtUrl")`) and make their users,
 * sessions and tokens in its database (`inject("databaseUrl")`) from source.
 *
 * Why at all: the server bundle and the Remix bundle each compile our modules in, so what
 * passes from source can fail built (a spent rate limit answered 500; see
 * docs/decisions/006-errors-by-code.md). `npm run test:built` builds first.
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../../core/ops/migrate.ts";
import { APP_SESSION_SECRET, startApp } from "./app-process.ts";
import { closedPort } from "./ports.ts";
import { repoRoot, startTestServer, tmpRoot, uniqueSuffix } from "./test-database.ts";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    builtUrl: string;
    builtSessionSecret: string;
    /** The built server's process id (its memory, read from /proc). */
    builtPid: number;
  }
}

const BUILD = ["build/server/main.js", "build/remix/index.js"];

export default async function setup(project: TestProject) {
  const missing = BUILD.filter((file) => !existsSync(path.join(repoRoot, file)));
  if (missing.length > 0) {
    throw new Error(`No build (${missing.join(", ")}): run \`npm run test:built\`, which builds first.`);
  }
  const server = await startTestServer();
  const database = await server.createDatabase("bu_built");
  await applyMigrations(database.url);
  const app = await startApp(
    {
      DATABASE_URL: database.url,
      LOG_LEVEL: "warn",
      // Production settings, but tests' monitors and channels point at this machine.
      ALLOWED_TARGET_NETWORKS: "127.0.0.0/8,::1/128",
      // Rate limits are per client address: each test sends its own as X-Forwarded-For
      // (documentation addresses, a header only: no traffic goes anywhere but loopback).
      TRUST_PROXY: "loopback",
      // No checks and no alert deliveries: these tests are about the web process's answers.
      RUNNER_ENABLED: "false",
      // Any DNS lookup goes to loopback, where nothing answers (never to the machine's resolver).
      DNS_SERVERS: `127.0.0.1:${await closedPort()}`,
    },
    await closedPort(),
  );
  project.provide("databaseUrl", database.url);
  project.provide("builtUrl", app.baseUrl);
  project.provide("builtSessionSecret", APP_SESSION_SECRET);
  project.provide("builtPid", app.child.pid ?? 0);
  return async () => {
    await app.stop();
    // Errors the server logged (a 500 is logged as "tRPC error"), kept for whoever reads a failure.
    const errors = app
      .output()
      .split("\n")
      .filter((line) => /"level":(50|60)/.test(line));
    if (errors.length > 0) {
      await mkdir(tmpRoot, { recursive: true });
      const log = path.join(tmpRoot, `built-server-${uniqueSuffix()}.log`);
      await writeFile(log, app.output());
      console.warn(`built server: ${errors.length} error(s) logged; its output is in ${log}`);
    }
    await database.drop();
    await server.stop();
  };
}
