/**
 * `npm run import setup.json` (or `-` for standard input): imports a setup written by
 * `npm run export` into the account of BETTER_UPTIME_TOKEN, and prints what it created,
 * updated, left unchanged and skipped (with why). Running it twice changes nothing.
 */
import { z } from "zod";
import { SetupDocument } from "../../app/lib/setup/setup-document.ts";
import { apiFromEnv, describeError, fail, importInParts, printReport, readJsonFile } from "./api.ts";

const file = process.argv.slice(2).find((arg) => !arg.startsWith("--"));
const json = await readJsonFile(file, "Usage: npm run import <setup.json>   (- reads standard input)");
// The whole file is checked before anything is sent: a mistake in item 900 imports nothing.
const parsed = SetupDocument.safeParse(json);
if (!parsed.success) fail(`${file} is not a setup this instance can import:\n${z.prettifyError(parsed.error)}`);
const report = await importInParts(apiFromEnv(), parsed.data).catch((error: unknown) => fail(describeError(error)));
printReport(report, (line) => process.stdout.write(`${line}\n`));
