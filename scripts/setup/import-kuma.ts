/**
 * `npm run import:kuma <kuma-backup.json>` (add `-- --dry-run` to only see the mapping):
 * imports an Uptime Kuma 1.x backup — monitors, notifications, tags, status pages — into
 * the account of BETTER_UPTIME_TOKEN, lists what has no counterpart here, and prints
 * what was created, updated, left unchanged or skipped. Running it twice changes nothing.
 */
import { z } from "zod";
import { fromKumaBackup, KumaBackup } from "../../app/lib/setup/from-kuma.ts";
import { SetupDocument } from "../../app/lib/setup/setup-document.ts";
import { apiFromEnv, describeError, fail, importInParts, printReport, readJsonFile } from "./api.ts";

const args = process.argv.slice(2);
const file = args.find((arg) => !arg.startsWith("--"));
const json = await readJsonFile(file, "Usage: npm run import:kuma <kuma-backup.json> [-- --dry-run]");
const backup = KumaBackup.safeParse(json);
if (!backup.success) fail(`${file} is not an Uptime Kuma 1.x backup:\n${z.prettifyError(backup.error)}`);

const { document, unmapped } = fromKumaBackup(backup.data);
const say = (line: string) => process.stdout.write(`${line}\n`);
say(
  `Uptime Kuma ${backup.data.version}: ${document.monitors?.length ?? 0} monitors, ${document.channels?.length ?? 0} notifications, ${document.statusPages?.length ?? 0} status pages to import`,
);
if (unmapped.length) {
  say(`\nNot imported (${unmapped.length}):`);
  for (const item of unmapped) say(`  ${item.kind} "${item.name}": ${item.reason}`);
}
if (args.includes("--dry-run")) process.exit(0);

say("");
const report = await importInParts(apiFromEnv(), SetupDocument.parse(document)).catch((error: unknown) =>
  fail(describeError(error)),
);
printReport(report, say);
