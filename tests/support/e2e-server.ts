/**
 * Playwright's web server: the built app on a fresh database of its own (a new database
 * on DATABASE_URL's server, or a throwaway embedded cluster), removed when Playwright
 * stops it with SIGTERM.
 */
import { applyMigrations } from "../../app/server/db/migrate.server.ts";
import { startApp } from "./app-process.ts";
import { startTestServer } from "./test-database.ts";

const port = Number(process.env.E2E_PORT ?? 3100);
const server = await startTestServer();
const database = await server.createDatabase("bu_e2e");
await applyMigrations(database.url);
const app = await startApp({ DATABASE_URL: database.url, LOG_LEVEL: "warn" }, port);
app.child.stderr?.pipe(process.stderr);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await app.stop();
  await database.drop().catch((error: unknown) => console.error("e2e: could not drop the test database", error));
  await server.stop();
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
app.child.once("exit", () => void stop());
