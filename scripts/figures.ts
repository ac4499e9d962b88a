/**
 * The figures docs/architecture.md quotes, printed from the tree as it stands (`npm run -s
 * figures`), so the document is refreshed by running this, never by counting by hand:
 * modules and lines per folder, the largest source files, and the pairs of places that
 * repeat six or more lines (the `duplicates` tool, when this machine has it).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

const repoRoot = path.resolve(import.meta.dirname, "..");
const FOLDERS = ["app", "core", "workers", "scripts", "tests"];
/** Code we write: not the generated Prisma client, not data (migrations, fixtures). */
const SOURCE = /\.(ts|tsx|mjs|js)$/;
const NOT_OURS = /(^|\/)(generated|fixtures)\//;
const LARGEST = 5;

function tracked(): string[] {
  const out = execFileSync("git", ["ls-files", "-co", "--exclude-standard", ...FOLDERS], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  return out.split("\n").filter((file) => SOURCE.test(file) && !NOT_OURS.test(file));
}

function linesOf(file: string): number {
  const text = readFileSync(path.join(repoRoot, file), "utf8");
  return text.length === 0 ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

/** `duplicates`' first line: "N pairs of places (… by shape alone, B of those marked boilerplate)". */
function duplicatePairs(): string {
  let first: string;
  try {
    first = execFileSync("duplicates", ["--seconds", "120"], { cwd: repoRoot, encoding: "utf8" }).split("\n")[0] ?? "";
  } catch {
    return "duplicate pairs: not measured (the `duplicates` tool is not installed here)";
  }
  const pairs = /^(\d+) pairs/.exec(first)?.[1] ?? (first.startsWith("no duplicates") ? "0" : "?");
  const boilerplate = /(\d+) of those marked boilerplate/.exec(first)?.[1] ?? "0";
  return `duplicate pairs (six or more shared lines, source and tests): ${pairs}, ${boilerplate} of them marked boilerplate`;
}

const files = tracked().map((file) => ({ file, lines: linesOf(file) }));
const revision = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repoRoot, encoding: "utf8" }).trim();

console.log(`Figures of ${revision} (npm run -s figures)`);
console.log(duplicatePairs());
const code = files.filter(({ file }) => !file.startsWith("tests/"));
const largest = [...code].sort((a, b) => b.lines - a.lines).slice(0, LARGEST);
console.log(`largest source files (lines): ${largest.map(({ file, lines }) => `\`${file}\` ${lines}`).join(", ")}`);
console.log(`source files over 500 lines: ${code.filter(({ lines }) => lines > 500).length}`);
for (const folder of FOLDERS) {
  const inFolder = files.filter(({ file }) => file.startsWith(`${folder}/`));
  const lines = inFolder.reduce((sum, { lines }) => sum + lines, 0);
  console.log(`${folder}/: ${inFolder.length} modules, ${lines} lines`);
}
