import { inject } from "vitest";
import { createDb, type Db } from "../../app/server/db/client.server.ts";

/** A Prisma client on this run's migrated test database. Disconnect it in afterAll. */
export function testDb(): Db {
  return createDb(inject("databaseUrl"));
}
