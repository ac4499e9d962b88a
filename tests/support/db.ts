import { inject } from "vitest";
import { createDb, type Db } from "../../core/db/client.ts";

/** A Prisma client on this run's migrated test database. Disconnect it in afterAll. */
export function testDb(): Db {
  return createDb(inject("databaseUrl"));
}
