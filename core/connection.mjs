// @ts-check
/**
 * One reading of a PostgreSQL connection URL, shared by the app's Prisma client and
 * the migration engine, so both honour the same parameters:
 *  - `sslmode` (`require`, `verify-full`, `no-verify`, …) and `sslrootcert`/`sslcert`/`sslkey`,
 *    through node-postgres's own parser;
 *  - Prisma's pooling parameters, which node-postgres does not know: `connection_limit`
 *    (pool size), `pool_timeout` and `connect_timeout` (seconds), and `schema`;
 *  - `application_name`.
 * Fields are returned separately rather than as a `connectionString`: a pool built from a
 * connection string ignores a `database` override (needed for shadow databases).
 */
import { parse } from "pg-connection-string";

/**
 * @typedef {object} ConnectionSettings
 * @property {import("pg").PoolConfig} poolConfig
 * @property {string | undefined} schema
 * @property {string} host
 * @property {number} port
 * @property {string} database
 */

/**
 * @param {string} url
 * @returns {ConnectionSettings}
 */
export function connectionSettingsFromUrl(url) {
  /** @type {URL} */
  let parsedUrl;
  try {
    parsedUrl = new URL(url);
  } catch {
    throw new TypeError("is not a URL (expected postgresql://user:password@host:port/database)");
  }
  if (parsedUrl.protocol !== "postgresql:" && parsedUrl.protocol !== "postgres:") {
    throw new TypeError(`must start with postgresql:// (got ${parsedUrl.protocol}//)`);
  }
  const parsed = /** @type {Record<string, any>} */ (parse(url));
  const host = parsed.host || "localhost";
  const port = parsed.port ? Number(parsed.port) : 5432;
  const database = parsed.database || parsed.user || "postgres";
  /** @type {import("pg").PoolConfig} */
  const poolConfig = {
    host,
    port,
    user: parsed.user || undefined,
    password: parsed.password || undefined,
    database,
  };
  if (parsed.ssl !== undefined && parsed.ssl !== false) poolConfig.ssl = parsed.ssl;
  if (parsed.application_name) poolConfig.application_name = String(parsed.application_name);
  const connectionLimit = positiveNumber(parsed.connection_limit, "connection_limit");
  if (connectionLimit !== undefined) poolConfig.max = connectionLimit;
  const timeoutSeconds =
    positiveNumber(parsed.pool_timeout, "pool_timeout") ?? positiveNumber(parsed.connect_timeout, "connect_timeout");
  if (timeoutSeconds !== undefined) poolConfig.connectionTimeoutMillis = timeoutSeconds * 1000;
  const schema = parsed.schema ? String(parsed.schema) : undefined;
  // JIT compilation costs more than it saves on the short queries this app makes.
  const options = ["-c jit=off"];
  if (schema) options.push(`-c search_path="${schema.replaceAll('"', '""')}"`);
  poolConfig.options = options.join(" ");
  return { poolConfig, schema, host, port, database };
}

/**
 * @param {unknown} value
 * @param {string} name
 * @returns {number | undefined}
 */
function positiveNumber(value, name) {
  if (value === undefined || value === null || value === "") return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new TypeError(`has an invalid ${name}: ${JSON.stringify(value)}`);
  return number;
}

/**
 * What went wrong connecting, in the terms of README.md's troubleshooting section, with
 * the Prisma error code the CLI knows (P1000 auth, P1001 unreachable, P1003 no database,
 * P1011 TLS). Never includes the password.
 * @param {any} error a node-postgres connection error
 * @param {{ host: string, port: number, database: string, poolConfig: import("pg").PoolConfig }} settings
 * @returns {{ code: string, message: string }}
 */
export function describeConnectionError(error, { host, port, database, poolConfig }) {
  const where = `${host}:${port}`;
  const reason = String(error?.message ?? error);
  switch (error?.code) {
    case "3D000":
      return { code: "P1003", message: `Database "${database}" does not exist on the PostgreSQL server at ${where}` };
    case "28P01":
    case "28000":
      if (/no pg_hba\.conf entry.*(SSL off|no encryption)/i.test(reason)) {
        return { code: "P1011", message: `PostgreSQL at ${where} requires SSL: add ?sslmode=require to DATABASE_URL` };
      }
      return {
        code: "P1000",
        message: `Authentication failed for user "${poolConfig.user ?? ""}" on the PostgreSQL server at ${where}`,
      };
    case "ECONNREFUSED":
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
    case "ECONNRESET":
      return { code: "P1001", message: `Cannot reach PostgreSQL at ${where} (${error.code})` };
    default:
      if (/timeout/i.test(reason)) return { code: "P1001", message: `Cannot reach PostgreSQL at ${where} (timeout)` };
      if (/SSL|TLS|certificate/i.test(reason)) {
        return { code: "P1011", message: `TLS connection to PostgreSQL at ${where} failed: ${reason}` };
      }
      return { code: "P1000", message: `Cannot connect to PostgreSQL at ${where}: ${reason}` };
  }
}
