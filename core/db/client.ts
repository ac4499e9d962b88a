import { PrismaPg } from "@prisma/adapter-pg";
import { connectionSettingsFromUrl } from "../../prisma/engine/connection.mjs";
import { PrismaClient } from "./generated/client.ts";

export type Db = PrismaClient;
export { Prisma } from "./generated/client.ts";

/**
 * A Prisma client on node-postgres (no native query engine). The URL's `sslmode`,
 * `connection_limit`, `pool_timeout` and `schema` are honoured; see connection.mjs.
 */
export function createDb(databaseUrl: string): Db {
  const { poolConfig, schema } = connectionSettingsFromUrl(databaseUrl);
  return new PrismaClient({ adapter: new PrismaPg(poolConfig, schema ? { schema } : undefined) });
}
