/**
 * Vitest global setup for integration tests: one isolated, migrated database per run,
 * handed to the tests as `inject("databaseUrl")`. Tests that need a blank database of
 * their own make one beside it with `createDatabaseBeside`.
 */
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../../core/ops/migrate.ts";
import { startTestServer } from "./test-database.ts";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await startTestServer();
  const database = await server.createDatabase("bu_test");
  await applyMigrations(database.url);
  project.provide("databaseUrl", database.url);
  return async () => {
    await database.drop();
    await server.stop();
  };
}
