/**
 * `npm run export > setup.json` (add `-- --include-secrets` for header values, webhook
 * URLs, bot tokens and API keys — never push tokens or signing secrets, which an import
 * would not take): the account's whole setup as one JSON document, through the API with
 * BETTER_UPTIME_TOKEN. `npm run import setup.json` brings it back.
 */
import { apiFromEnv, describeError, fail } from "./api.ts";

const includeSecrets = process.argv.includes("--include-secrets");
const api = apiFromEnv();
const document = await api.account.export
  .query({ includeSecrets })
  .catch((error: unknown) => fail(describeError(error)));
process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
process.stderr.write(
  `export: ${document.monitors.length} monitors, ${document.channels.length} channels, ${document.statusPages.length} status pages, ${document.maintenance.length} maintenance windows${includeSecrets ? " (with secrets: keep the file safe)" : " (without secrets)"}\n`,
);
