// @ts-check
/**
 * Prisma's schema engine (migrations, introspection, diff) compiled to WebAssembly,
 * driven through node-postgres. Prisma's CLI normally downloads a native
 * `schema-engine` binary from binaries.prisma.sh; these machines reach only the
 * npm registry, so the same engine is loaded from `@prisma/schema-engine-wasm`.
 * See docs/decisions/001-prisma-schema-engine-offline.md.
 *
 * Plain JavaScript on purpose: `schema-engine.mjs` is spawned by the Prisma CLI as a
 * binary, so it must run on bare Node with no TypeScript loader.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { connectionSettingsFromUrl } from "../../connection.mjs";

const require = createRequire(import.meta.url);

/** PostgreSQL's internal single-byte `"char"` type (pg_catalog.*.relkind and friends). */
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/** @typedef {import("@prisma/schema-engine-wasm").SchemaEngine} SchemaEngine */

/**
 * The engine arms 10 s timers (timeouts around its own queries) that would keep a
 * finished script alive until they fire; unref them so only real work holds the
 * process open.
 * @param {Record<string, unknown>} bindings
 */
function withUnrefTimers(bindings) {
  const imports = { ...bindings };
  for (const name of Object.keys(imports).filter((key) => key.startsWith("__wbg_setTimeout_"))) {
    const setTimer = /** @type {(...args: unknown[]) => NodeJS.Timeout} */ (imports[name]);
    imports[name] = (/** @type {unknown[]} */ ...args) => {
      const timer = setTimer(...args);
      timer?.unref?.();
      return timer;
    };
  }
  return imports;
}

/** @type {Promise<typeof import("@prisma/schema-engine-wasm").SchemaEngine> | undefined} */
let engineClass;

/**
 * The wasm build reports a Rust panic's message through this global before trapping;
 * without it the panic hook itself throws and the real message is lost.
 */
const panicRegistry = {
  /** @type {string | undefined} */
  message: undefined,
  /** @param {string} message */
  set_message(message) {
    this.message = message;
  },
};
/** @type {any} */ (globalThis).PRISMA_WASM_PANIC_REGISTRY ??= panicRegistry;

/**
 * The last engine panic's message, if any (after a call rejected with a wasm trap).
 * @returns {string | undefined}
 */
export function lastPanicMessage() {
  return /** @type {any} */ (globalThis).PRISMA_WASM_PANIC_REGISTRY?.message;
}

/**
 * Instantiates the wasm module once per process: wasm-bindgen keeps global state,
 * and a second instantiation breaks it.
 */
function loadEngineClass() {
  engineClass ??= (async () => {
    const bindings = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const wasmPath = path.join(
      path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")),
      "schema_engine_bg.wasm",
    );
    const module = new WebAssembly.Module(await readFile(wasmPath));
    const imports = /** @type {WebAssembly.ModuleImports} */ (withUnrefTimers(bindings));
    const instance = new WebAssembly.Instance(module, { "./schema_engine_bg.js": imports });
    bindings.__wbg_set_wasm(instance.exports);
    /** @type {() => void} */ (instance.exports.__wbindgen_start)();
    return bindings.SchemaEngine;
  })();
  return engineClass;
}

/**
 * Fixes two adapter-pg behaviours the schema engine trips over:
 * - `"char"` columns (OID 18: pg_constraint.contype, pg_class.relkind, …) are
 *   "unsupported" by adapter-pg, yet the engine reads them as characters (with
 *   PostgreSQL 18's NOT NULL constraints it panics otherwise): report them as Character;
 * - `executeScript` splits the script on every `;`, breaking `$$` function bodies and
 *   sending statements down different pool connections: send it as one simple-protocol
 *   query instead (one implicit transaction, as the native engine does).
 * @template {object} T
 * @param {T} queryable
 * @returns {T}
 */
function patchQueryable(queryable) {
  const q = /** @type {any} */ (queryable);
  const performIO = q.performIO.bind(q);
  const queryRaw = q.queryRaw.bind(q);
  /** @type {number[] | null} */
  let charColumnsOfNextQuery = null;
  q.performIO = async (/** @type {unknown} */ query) => {
    const charColumns = charColumnsOfNextQuery;
    charColumnsOfNextQuery = null;
    const result = await performIO(query);
    result?.fields?.forEach((/** @type {{ dataTypeID: number }} */ field, /** @type {number} */ index) => {
      if (field.dataTypeID !== PG_CHAR_OID) return;
      field.dataTypeID = PG_TEXT_OID; // node-postgres already parsed it to a string
      charColumns?.push(index);
    });
    return result;
  };
  q.queryRaw = async (/** @type {unknown} */ query) => {
    /** @type {number[]} */
    const charColumns = [];
    // adapter-pg's queryRaw calls performIO synchronously, before its first await,
    // so the hand-over below cannot be taken by another query.
    charColumnsOfNextQuery = charColumns;
    const pending = queryRaw(query);
    charColumnsOfNextQuery = null;
    const result = await pending;
    for (const index of charColumns) result.columnTypes[index] = ColumnTypeEnum.Character;
    return result;
  };
  if (typeof q.executeScript === "function") {
    q.executeScript = async (/** @type {string} */ script) => {
      try {
        await q.client.query(script);
      } catch (error) {
        q.onError(error); // maps to a DriverAdapterError and throws
      }
    };
  }
  if (typeof q.startTransaction === "function") {
    const startTransaction = q.startTransaction.bind(q);
    q.startTransaction = async (/** @type {unknown[]} */ ...args) => patchQueryable(await startTransaction(...args));
  }
  return queryable;
}

/**
 * @param {string} name
 */
export function quoteIdent(name) {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * A migration-aware driver adapter factory over node-postgres for the wasm engine.
 * @param {{ url: string, shadowDatabaseUrl?: string | null }} datasource
 */
export function createMigrationAdapterFactory(datasource) {
  const main = connectionSettingsFromUrl(datasource.url);
  /** @type {Set<{ dispose(): Promise<void> }>} */
  const open = new Set();
  /** @param {import("../../connection.mjs").ConnectionSettings} settings */
  const connectTo = async (settings) => {
    const adapter = patchQueryable(
      await new PrismaPg({ ...settings.poolConfig, max: 2 }, { schema: settings.schema }).connect(),
    );
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      open.delete(adapter);
      await dispose();
    };
    open.add(adapter);
    return adapter;
  };
  const factory = {
    provider: /** @type {const} */ ("postgres"),
    adapterName: "@prisma/adapter-pg",
    connect: () => connectTo(main),
    async connectToShadowDb() {
      if (datasource.shadowDatabaseUrl) return connectTo(connectionSettingsFromUrl(datasource.shadowDatabaseUrl));
      const database = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID()}`;
      await withClient(main.poolConfig, (client) => client.query(`CREATE DATABASE ${quoteIdent(database)}`));
      const adapter = await connectTo({ ...main, poolConfig: { ...main.poolConfig, database }, database });
      const dispose = adapter.dispose.bind(adapter);
      // Close the shadow pool before dropping its database, else PostgreSQL refuses:
      // "database is being accessed by other users".
      adapter.dispose = async () => {
        await dispose();
        await withClient(main.poolConfig, (client) => dropDatabase(client, database));
      };
      return adapter;
    },
  };
  return {
    factory: bindMigrationAwareSqlAdapterFactory(factory),
    /**
     * Closes every pool the engine opened. The engine does not dispose its main
     * connection when freed, and that connection holds Prisma's migration advisory
     * lock until the pool's idle timeout: the next engine would wait for it.
     */
    async disposeAll() {
      await Promise.all([...open].map((adapter) => adapter.dispose()));
    },
  };
}

/**
 * @template T
 * @param {pg.ClientConfig} config
 * @param {(client: pg.Client) => Promise<T>} action
 * @returns {Promise<T>}
 */
export async function withClient(config, action) {
  const client = new pg.Client(config);
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}

/**
 * `WITH (FORCE)` exists from PostgreSQL 13; 12 gets the plain form.
 * @param {pg.Client} client
 * @param {string} database
 */
export async function dropDatabase(client, database) {
  const version = Number((await client.query("SHOW server_version_num")).rows[0].server_version_num);
  const force = version >= 130000 ? " WITH (FORCE)" : "";
  await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)}${force}`);
}

/**
 * @typedef {object} OpenSchemaEngine
 * @property {SchemaEngine} engine
 * @property {() => Promise<void>} close frees the engine and closes its connections
 */

/**
 * @param {{ url: string, shadowDatabaseUrl?: string | null }} datasource
 * @param {[string, string][] | undefined} datamodels [path, contents] of each schema file
 * @param {(message: string) => void} [log]
 * @returns {Promise<OpenSchemaEngine>}
 */
export async function openSchemaEngine(datasource, datamodels, log = () => {}) {
  const SchemaEngine = await loadEngineClass();
  const adapters = createMigrationAdapterFactory(datasource);
  const engine = await SchemaEngine.new({ datamodels }, log, adapters.factory);
  return {
    engine,
    async close() {
      engine.free();
      await adapters.disposeAll();
    },
  };
}

/**
 * The migrations folder as the engine expects it (what the CLI's loader builds).
 * @param {string} migrationsDir
 * @returns {Promise<import("@prisma/schema-engine-wasm").MigrationList>}
 */
export async function readMigrationsList(migrationsDir) {
  const { readdir } = await import("node:fs/promises");
  const lockfilePath = "migration_lock.toml";
  const lockfileContent = await readFile(path.join(migrationsDir, lockfilePath), "utf8").catch(() => null);
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  const migrationDirectories = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const file = path.join(migrationsDir, entry.name, "migration.sql");
    /** @type {import("@prisma/schema-engine-wasm").JsResult<string, string>} */
    const content = await readFile(file, "utf8").then(
      (value) => ({ tag: /** @type {const} */ ("ok"), value }),
      (error) => ({ tag: /** @type {const} */ ("error"), value: String(error?.message ?? error) }),
    );
    migrationDirectories.push({ path: entry.name, migrationFile: { path: "migration.sql", content } });
  }
  return {
    baseDir: migrationsDir,
    lockfile: { path: lockfilePath, content: lockfileContent },
    migrationDirectories,
    shadowDbInitScript: "",
  };
}
