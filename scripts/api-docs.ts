/**
 * `npm run docs:api` regenerates docs/api.md and docs/openapi.json from the router;
 * `npm run docs:api -- --check` (part of `npm test`) fails when they are out of date.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import prettier from "prettier";
import { collectProcedures, renderMarkdown, renderOpenApi } from "./api-docs/generate.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const procedures = collectProcedures(repoRoot);

/** Formatted as `prettier --check` wants it, so the gate's formatting step agrees. */
async function formatted(file: string, text: string): Promise<string> {
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...options, filepath: file });
}

const outputs = [
  { file: path.join(repoRoot, "docs", "api.md"), text: renderMarkdown(procedures) },
  { file: path.join(repoRoot, "docs", "openapi.json"), text: renderOpenApi(procedures) },
];

let stale = 0;
for (const { file, text } of outputs) {
  const wanted = await formatted(file, text);
  const current = await readFile(file, "utf8").catch(() => "");
  if (current === wanted) continue;
  if (process.argv.includes("--check")) {
    stale += 1;
    console.error(
      `docs:api: ${path.relative(repoRoot, file)} is out of date with the router: run \`npm run docs:api\` and commit it`,
    );
  } else {
    await writeFile(file, wanted);
    process.stderr.write(`docs:api: wrote ${path.relative(repoRoot, file)} (${procedures.length} procedures)\n`);
  }
}
if (stale > 0) process.exit(1);
