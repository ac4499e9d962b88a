import { PrismaPg } from "@prisma/adapter-pg";
import { connectionSettingsFromUrl } from "../connection.mjs";
import { PrismaClient } from "./generated/client.ts";

export type Db = PrismaClient;
export { Prisma } from "./generated/client.ts";

/**
 * A Prisma client on node-postgres (no native query engine). The URL's `sslmode`,
 * `connection_limit`, `pool_timeout` and `schema` are honoured; see connection.mjs.
 */
/** How long a query or transaction waits for a free connection when the URL sets no `pool_timeout`. */
const DEFAULT_POOL_WAIT_MS = 10_000;

export function createDb(databaseUrl: string): Db {
  const { poolConfig, schema } = connectionSettingsFromUrl(databaseUrl);
  return new PrismaClient({
    adapter: new PrismaPg(poolConfig, schema ? { schema } : undefined),
    // A transaction waits for a connection as long as any query does (Prisma's own default
    // of 2 s failed 100 of 120 concurrent monitor creates while the pool was busy, each a
    // 500); past that wait the request is answered 503 (core/db/busy.ts).
    transactionOptions: { maxWait: poolConfig.connectionTimeoutMillis || DEFAULT_POOL_WAIT_MS, timeout: 15_000 },
  });
}
