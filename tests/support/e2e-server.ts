/**
 * Playwright's web server: the built app on a fresh database of its own (a new database
 * on DATABASE_URL's server, or a throwaway embedded cluster), with a local SMTP server,
 * a fake GitHub and a DNS server standing in for the outside world. Removed when Playwright stops
 * it with SIGTERM.
 */
import { applyMigrations } from "../../core/ops/migrate.ts";
import { startApp } from "./app-process.ts";
import { E2E } from "./e2e-env.ts";
import { startFakeDns, startFakeGitHub, startMailCatcher } from "./fakes.ts";
import { startTestServer } from "./test-database.ts";

const server = await startTestServer();
const database = await server.createDatabase("bu_e2e");
await applyMigrations(database.url);
const mail = await startMailCatcher(E2E.smtpPort, E2E.mailApiPort);
const github = await startFakeGitHub(E2E.gitHubUser, E2E.gitHubPort);
const dns = await startFakeDns({ port: E2E.dnsPort, controlPort: E2E.dnsControlPort });
const app = await startApp(
  {
    DATABASE_URL: database.url,
    LOG_LEVEL: "warn",
    // Production settings, but tests monitor targets on this machine.
    ALLOWED_TARGET_NETWORKS: "127.0.0.0/8,::1/128",
    SMTP_URL: `smtp://127.0.0.1:${mail.smtpPort}`,
    GITHUB_CLIENT_ID: "e2e-client-id",
    GITHUB_CLIENT_SECRET: "e2e-client-secret",
    GITHUB_AUTHORIZE_URL: `${github.url}/login/oauth/authorize`,
    GITHUB_TOKEN_URL: `${github.url}/login/oauth/access_token`,
    GITHUB_API_URL: github.url,
    DNS_SERVERS: dns.server,
    // The tests sign up as many visitors (tests/e2e/helpers.ts): the client address is the
    // X-Forwarded-For the browser on loopback sends.
    TRUST_PROXY: "loopback",
  },
  E2E.appPort,
);
app.child.stderr?.pipe(process.stderr);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await app.stop();
  await Promise.allSettled([mail.stop(), github.stop(), dns.stop()]);
  await database.drop().catch((error: unknown) => console.error("e2e: could not drop the test database", error));
  await server.stop();
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
app.child.once("exit", () => void stop());
