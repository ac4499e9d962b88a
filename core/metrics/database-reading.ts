/** The instance-wide figures only the database knows, for /metrics (core/db/queries/health.ts). */
import type pg from "pg";
import { databaseGauges } from "../db/queries/health.ts";
import { sqlOfPool } from "../db/sql.ts";
import type { DatabaseReading } from "./registry.ts";

export function readDatabaseGauges(pool: pg.Pool): Promise<DatabaseReading> {
  return databaseGauges(sqlOfPool(pool));
}
