#!/usr/bin/env node
// @ts-check
/**
 * Stand-in for Prisma's native `schema-engine` binary, serving the Prisma CLI's
 * JSON-RPC protocol from the wasm build of the same engine (see wasm-engine.mjs).
 * prisma.config.ts points PRISMA_SCHEMA_ENGINE_BINARY here, so `prisma generate`,
 * `migrate dev|deploy|status|reset|diff` and `db push|pull|execute` need no download.
 *
 * The protocol is Prisma-internal and unversioned: re-test it on every Prisma upgrade
 * (`npm run test:integration -- prisma-cli`). Two ways the CLI runs it:
 *   schema-engine [--datamodels FILE]... [--datasource JSON]   → JSON-RPC on stdin/stdout
 *   schema-engine --datasource JSON cli <can-connect-to-database|create-database|drop-database>
 * Log lines go to stderr as JSON ({ level, target, fields: { message } }); the CLI shows
 * the last ERROR line's message, and reads `error_code` from it in `cli` mode.
 */
import { readFile } from "node:fs/promises";
import readline from "node:readline";
import { connectionSettingsFromUrl, describeConnectionError } from "../../connection.mjs";
import { dropDatabase, lastPanicMessage, openSchemaEngine, quoteIdent, withClient } from "./wasm-engine.mjs";

/** @typedef {{ url: string, shadowDatabaseUrl?: string | null }} Datasource */

/**
 * @param {string[]} argv
 */
function parseArgs(argv) {
  /** @type {string[]} */
  const datamodelPaths = [];
  /** @type {Datasource | undefined} */
  let datasource;
  /** @type {string | undefined} */
  let cliCommand;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--datamodels") datamodelPaths.push(String(argv[++i]));
    else if (arg === "--datasource") datasource = JSON.parse(String(argv[++i]));
    else if (arg === "--enabled-preview-features" || arg === "--extension-types") i++;
    else if (arg === "cli") cliCommand = argv[++i];
    else if (arg === "--version" || arg === "-V") cliCommand = "--version";
  }
  return { datamodelPaths, datasource, cliCommand };
}

/**
 * @param {"INFO" | "ERROR"} level
 * @param {string} message
 * @param {Record<string, unknown>} [extra]
 */
function log(level, message, extra = {}) {
  const line = {
    timestamp: new Date().toISOString(),
    level,
    target: "schema_engine::logger",
    fields: { message, ...extra },
  };
  process.stderr.write(`${JSON.stringify(line)}\n`);
}

/**
 * @param {string} url
 */
function adminConfig(url) {
  return { ...connectionSettingsFromUrl(url).poolConfig, database: "postgres" };
}

/**
 * @param {string} url
 */
async function createDatabase(url) {
  const { database } = connectionSettingsFromUrl(url);
  await withClient(adminConfig(url), (client) => client.query(`CREATE DATABASE ${quoteIdent(database)}`));
  return database;
}

/**
 * One-shot `cli` mode: exit 0 on success; on failure an ERROR log line and exit 1.
 * The CLI skips the first stderr line, so a start line always comes first.
 * @param {string} command
 * @param {Datasource | undefined} datasource
 */
async function runCliCommand(command, datasource) {
  log("INFO", "Starting schema engine CLI (wasm stand-in)");
  if (command === "--version") {
    process.stdout.write("schema-engine-wasm-standin\n");
    return 0;
  }
  if (!datasource?.url) {
    log("ERROR", "No datasource URL given.");
    return 1;
  }
  const url = datasource.url;
  try {
    if (command === "can-connect-to-database") {
      await withClient(connectionSettingsFromUrl(url).poolConfig, (client) => client.query("SELECT 1"));
    } else if (command === "create-database") {
      await createDatabase(url);
    } else if (command === "drop-database") {
      const { database } = connectionSettingsFromUrl(url);
      await withClient(adminConfig(url), (client) => dropDatabase(client, database));
    } else {
      log("ERROR", `Unknown cli command: ${command}`);
      return 1;
    }
    return 0;
  } catch (error) {
    const { code, message } = describeConnectionError(error, connectionSettingsFromUrl(url));
    log("ERROR", message, { error_code: code });
    return 1;
  }
}

/**
 * The JSON-RPC error shape the CLI turns into user-facing messages.
 * @param {any} error
 */
function toRpcError(error) {
  const isPanic = error instanceof WebAssembly.RuntimeError;
  const message = (isPanic && lastPanicMessage()) || String(error?.message ?? error);
  if (isPanic) {
    return {
      code: 4466,
      message: "An error happened. Check the data field for details.",
      data: { is_panic: true, message, backtrace: error?.stack ?? null },
    };
  }
  /** @type {Record<string, unknown>} */
  const data = { is_panic: false, message };
  if (typeof error?.code === "string") {
    data.error_code = error.code;
    data.meta = error.meta ?? null;
  }
  return { code: 4466, message: "An error happened. Check the data field for details.", data };
}

/**
 * Long-running RPC mode. Requests are answered in arrival order, one at a time, on a
 * single engine instance: the engine keeps state between calls in a `migrate dev` session.
 * @param {string[]} datamodelPaths
 * @param {Datasource | undefined} datasource
 */
async function serveRpc(datamodelPaths, datasource) {
  /** @type {[string, string][] | undefined} */
  const datamodels = datamodelPaths.length
    ? await Promise.all(
        datamodelPaths.map(async (p) => /** @type {[string, string]} */ ([p, await readFile(p, "utf8")])),
      )
    : undefined;
  /** @type {Promise<import("./wasm-engine.mjs").OpenSchemaEngine> | undefined} */
  let opened;
  const engine = async () => {
    if (!datasource?.url) throw new Error("The schema engine needs a datasource URL (set DATABASE_URL).");
    opened ??= openSchemaEngine(datasource, datamodels, (message) => log("INFO", message));
    return (await opened).engine;
  };

  /** @type {Record<string, (params: any) => Promise<unknown>>} */
  const methods = {
    async getDatabaseVersion(params) {
      return (await engine()).version(params ?? undefined);
    },
    async createDatabase(params) {
      const url = params?.datasource?.url ?? datasource?.url;
      return { databaseName: await createDatabase(url) };
    },
    async diff(params) {
      const { stdout, ...rest } = await (await engine()).diff(params);
      // The native engine prints the diff itself, through the CLI's `print` method.
      if (stdout)
        send({ jsonrpc: "2.0", id: nextPrintId--, method: "print", params: { content: stdout.replace(/\n$/, "") } });
      return rest;
    },
    async introspect(params) {
      return (await engine()).introspect(params);
    },
  };
  // The wasm engine only wires its shadow-database factory up inside
  // diagnoseMigrationHistory; evaluateDataLoss and createMigration on an engine that has
  // not run it fail with "PostgreSQL shadow DB must be provided through an external
  // factory" (seen with Prisma 7.10 when `migrate dev` first applies pending migrations).
  let shadowDatabasePrimed = false;
  /** @param {any} params */
  async function primeShadowDatabase(params) {
    if (shadowDatabasePrimed) return;
    await (
      await engine()
    ).diagnoseMigrationHistory({
      migrationsList: params.migrationsList,
      optInToShadowDatabase: true,
      filters: params.filters ?? { externalTables: [], externalEnums: [] },
    });
    shadowDatabasePrimed = true;
  }
  methods.diagnoseMigrationHistory = async (params) => {
    const result = await (await engine()).diagnoseMigrationHistory(params);
    if (params?.optInToShadowDatabase) shadowDatabasePrimed = true;
    return result;
  };
  methods.evaluateDataLoss = async (params) => {
    await primeShadowDatabase(params);
    return (await engine()).evaluateDataLoss(params);
  };
  methods.createMigration = async (params) => {
    await primeShadowDatabase(params);
    return (await engine()).createMigration(params);
  };

  for (const name of [
    "applyMigrations",
    "createMigration",
    "dbExecute",
    "devDiagnostic",
    "diagnoseMigrationHistory",
    "ensureConnectionValidity",
    "evaluateDataLoss",
    "markMigrationApplied",
    "markMigrationRolledBack",
    "reset",
    "schemaPush",
    "introspectSql",
  ]) {
    methods[name] ??= async (params) => {
      const instance = /** @type {any} */ (await engine());
      // Call through the instance: a detached method loses its wasm pointer.
      const result = await instance[name](params);
      return result === undefined ? {} : result;
    };
  }

  // Negative ids for our own requests to the CLI, so they never collide with its ids.
  let nextPrintId = -1;
  /** @param {unknown} message */
  function send(message) {
    process.stdout.write(`${JSON.stringify(message)}\n`);
  }

  let queue = Promise.resolve();
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on("line", (line) => {
    if (!line.trim()) return;
    /** @type {any} */
    let request;
    try {
      request = JSON.parse(line);
    } catch {
      log("ERROR", `Unparseable JSON-RPC line: ${line.slice(0, 200)}`);
      return;
    }
    if (request.method === undefined) return; // the CLI's answer to one of our `print` calls
    queue = queue.then(async () => {
      const handler = methods[request.method];
      if (!handler) {
        send({
          jsonrpc: "2.0",
          id: request.id,
          error: { code: -32601, message: `Method not found: ${request.method}` },
        });
        return;
      }
      try {
        send({ jsonrpc: "2.0", id: request.id, result: (await handler(request.params)) ?? null });
      } catch (error) {
        send({ jsonrpc: "2.0", id: request.id, error: toRpcError(error) });
      }
    });
  });
  await new Promise((resolve) => lines.once("close", resolve));
  await queue;
  await (await opened?.catch(() => undefined))?.close();
}

// A panic inside the wasm engine can surface outside any request's promise. Report it
// the way the native engine does (an ERROR line, exit 101) so the CLI shows the reason.
process.on("uncaughtException", (error) => {
  log("ERROR", lastPanicMessage() ?? String(error?.stack ?? error), { is_panic: true });
  process.exit(101);
});

const { datamodelPaths, datasource, cliCommand } = parseArgs(process.argv.slice(2));
if (cliCommand) {
  process.exitCode = await runCliCommand(cliCommand, datasource);
} else {
  await serveRpc(datamodelPaths, datasource);
}
// node-postgres pools may hold idle sockets open; the CLI waits for this process to exit.
process.exit(process.exitCode ?? 0);
