/**
 * npm run test:mutation — mutation testing (StrykerJS, vitest runner, TypeScript checker)
 * over the modules in ./mutation-modules.ts, one Stryker run per module. A bench, not a
 * gate: it takes hours on two cores, so it is not part of `npm test`.
 *
 *   npm run test:mutation                           every module, in the table's order
 *   npm run test:mutation -- --module outbox        one module (repeat --module for more)
 *   npm run test:mutation -- --force                ignore earlier results, test every mutant
 *   npm run test:mutation -- --concurrency 1        test runners at once (default 2)
 *   npm run test:mutation -- --list                 the modules, their code and tests
 *   npm run test:mutation -- --count                how many mutants each module has (seconds,
 *                                                   no tests run)
 *   npm run test:mutation -- --report               the table and BENCH line from every
 *                                                   module's latest run, running nothing
 *
 * Incremental: each module keeps its results in reports/mutation/<module>/incremental.json
 * (not committed); the next run re-tests only mutants whose code or covering tests
 * changed. Integration tests need PostgreSQL: DATABASE_URL when set (each test runner
 * makes and drops its own database there), else an embedded one per runner, as
 * `npm test`. Writes reports/mutation/<module>/index.html (the report: every mutant, and
 * for survivors the tests that ran), mutation.json, and reports/mutation/survivors.txt.
 * Prints a score table, the timeouts on their own line, and `BENCH {json}`.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { Instrumenter } from "@stryker-mutator/instrumenter";
import ts from "typescript";
import { MODULES, type MutationModule } from "./mutation-modules.ts";

const root = path.resolve(import.meta.dirname, "../..");
const reportsDir = path.join(root, "reports", "mutation");

const { values } = parseArgs({
  options: {
    module: { type: "string", multiple: true },
    force: { type: "boolean", default: false },
    concurrency: { type: "string", default: "2" },
    list: { type: "boolean", default: false },
    report: { type: "boolean", default: false },
    count: { type: "boolean", default: false },
  },
});

/** `file:startLine-endLine` for each function (declaration or `const x = () =>`) whose name matches. */
function functionRanges(file: string, names: RegExp): string[] {
  const text = readFileSync(path.join(root, file), "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const ranges: string[] = [];
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const visit = (node: ts.Node) => {
    const name =
      ts.isFunctionDeclaration(node) && node.name
        ? node.name.text
        : ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer
          ? node.name.text
          : null;
    if (name !== null && names.test(name)) {
      // `const owned = await …; if (owned !== …) throw …`: the check is the statement after.
      const statement = ts.isVariableDeclaration(node) ? node.parent.parent : node;
      const siblings = ts.isBlock(statement.parent) ? statement.parent.statements : undefined;
      const next = siblings?.[siblings.indexOf(statement as ts.Statement) + 1];
      const end = next && ts.isIfStatement(next) ? next.getEnd() : node.getEnd();
      ranges.push(`${file}:${lineOf(node.getStart(source))}-${lineOf(end)}`);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (ranges.length === 0) throw new Error(`${file}: no function matches ${names}`);
  return ranges;
}

function mutateOf(module: MutationModule): string[] {
  return [...module.mutate, ...(module.functions ?? []).flatMap(({ file, names }) => functionRanges(file, names))];
}

interface ReportMutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
  coveredBy?: string[];
}
interface Report {
  files: Record<string, { source: string; mutants: ReportMutant[] }>;
}

interface ModuleResult {
  module: string;
  seconds: number;
  ok: boolean;
  mutants: number;
  killed: number;
  survived: number;
  no_coverage: number;
  timeout: number;
  /** Mutants the TypeScript checker rejected (they could not ship): not counted. */
  compile_errors: number;
  runtime_errors: number;
  /** Stryker's score: (killed + timeout) / (killed + timeout + survived + no coverage). */
  mutation_score: number | null;
  /** Killed alone (a timeout is not a test that noticed): the issue's "≥ 85 % killed". */
  killed_score: number | null;
}

function strykerConfig(module: MutationModule, dir: string) {
  return {
    $schema: "../../../node_modules/@stryker-mutator/core/schema/stryker-schema.json",
    testRunner: "vitest",
    // The module's test files, through vitest's own config (see vitest.mutation.config.ts).
    vitest: { configFile: "vitest.mutation.config.ts", related: false },
    checkers: ["typescript"],
    tsconfigFile: "tsconfig.json",
    typescriptChecker: { prioritizePerformanceOverAccuracy: true },
    coverageAnalysis: "perTest",
    mutate: mutateOf(module),
    incremental: true,
    incrementalFile: path.relative(root, path.join(dir, "incremental.json")),
    force: values.force,
    concurrency: Number(values.concurrency),
    // A busy two-core machine: a slow mutant is not a hung one.
    timeoutMS: 30_000,
    timeoutFactor: 2.5,
    dryRunTimeoutMinutes: 30,
    reporters: ["html", "json", "progress-append-only"],
    htmlReporter: { fileName: path.relative(root, path.join(dir, "index.html")) },
    jsonReporter: { fileName: path.relative(root, path.join(dir, "mutation.json")) },
    thresholds: { high: 85, low: 70, break: null },
    // One sandbox folder per module, so two modules may run at once.
    tempDirName: `.stryker-tmp/${module.name}`,
    cleanTempDir: "always",
    ignorePatterns: [
      "/build",
      "/public/build",
      "/.data",
      "/.cache",
      "/tests/.tmp",
      "/test-results",
      "/playwright-report",
      "/docs/screenshots",
      "/reports",
      "/.stryker-tmp",
    ],
    logLevel: "info",
    fileLogLevel: "off",
  };
}

function runStryker(module: MutationModule, configFile: string, logFile: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(path.join(root, "node_modules", ".bin", "stryker"), ["run", configFile], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, CHECKPOINT_DISABLE: "1", MUTATION_TEST_FILES: module.tests.join(",") },
    });
    const log: Buffer[] = [];
    const relay = (chunk: Buffer) => {
      log.push(chunk);
      // Progress and errors to the console; the full log to the file.
      for (const line of chunk.toString().split("\n")) {
        if (/Mutation testing|ERROR|WARN|tested \(|Initial test run|Found \d+ of|Incremental report/.test(line))
          process.stderr.write(`  ${line.trim()}\n`);
      }
    };
    child.stdout.on("data", relay);
    child.stderr.on("data", relay);
    child.on("close", (code) => {
      writeFileSync(logFile, Buffer.concat(log));
      resolve(code === 0);
    });
  });
}

function summarise(module: string, seconds: number, ok: boolean, report: Report | null): ModuleResult {
  const mutants = report ? Object.values(report.files).flatMap((file) => file.mutants) : [];
  const count = (status: string) => mutants.filter((mutant) => mutant.status === status).length;
  const killed = count("Killed");
  const survived = count("Survived");
  const noCoverage = count("NoCoverage");
  const timeout = count("Timeout");
  const valid = killed + survived + noCoverage + timeout;
  const pct = (n: number) => (valid === 0 ? null : Math.round((n / valid) * 10_000) / 100);
  return {
    module,
    seconds,
    ok,
    mutants: mutants.length,
    killed,
    survived,
    no_coverage: noCoverage,
    timeout,
    compile_errors: count("CompileError"),
    runtime_errors: count("RuntimeError"),
    mutation_score: pct(killed + timeout),
    killed_score: pct(killed),
  };
}

/** One line per mutant that no test noticed: where, which mutator, what it became. */
function survivorLines(module: string, report: Report, statuses: string[]): string[] {
  const lines: string[] = [];
  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    const sourceLines = source.split("\n");
    for (const mutant of mutants.filter((m) => statuses.includes(m.status))) {
      const { start, end } = mutant.location;
      const original =
        start.line === end.line
          ? sourceLines[start.line - 1]!.slice(start.column - 1, end.column - 1)
          : `${sourceLines[start.line - 1]!.slice(start.column - 1)} …`;
      const clip = (text: string) => text.replace(/\s+/g, " ").trim().slice(0, 100);
      lines.push(
        `${module}\t${file}:${start.line}:${start.column}\t${mutant.status}\t${mutant.mutatorName}\t` +
          `${clip(original)}  →  ${clip(mutant.replacement ?? "")}`,
      );
    }
  }
  return lines;
}

function table(results: ModuleResult[]): string {
  const header = [
    "module",
    "mutants",
    "not compiling",
    "killed",
    "survived",
    "no cov",
    "timeout",
    "score",
    "killed %",
    "time",
  ];
  const rows = results.map((r) => [
    r.module + (r.ok ? "" : " (failed)"),
    String(r.mutants),
    String(r.compile_errors),
    String(r.killed),
    String(r.survived),
    String(r.no_coverage),
    String(r.timeout),
    r.mutation_score === null ? "–" : `${r.mutation_score.toFixed(2)} %`,
    r.killed_score === null ? "–" : `${r.killed_score.toFixed(2)} %`,
    `${Math.round(r.seconds / 60)} min`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

const selected = values.module?.length
  ? values.module.map((name) => {
      const found = MODULES.find((m) => m.name === name);
      if (!found) throw new Error(`No module "${name}". Modules: ${MODULES.map((m) => m.name).join(", ")}`);
      return found;
    })
  : MODULES;

/** The files a module's `mutate` names (globs expanded, `!` patterns removed). */
function filesOf(module: MutationModule): string[] {
  const all = ["app", "core", "workers"].flatMap((dir) =>
    readdirSync(path.join(root, dir), { recursive: true }).map((file) => path.join(dir, String(file))),
  );
  const matching = (patterns: string[]) =>
    all.filter((file) => patterns.some((pattern) => path.matchesGlob(file, pattern)));
  const excluded = new Set(matching(module.mutate.filter((p) => p.startsWith("!")).map((p) => p.slice(1))));
  return matching(module.mutate.filter((p) => !p.startsWith("!"))).filter((file) => !excluded.has(file));
}

/** Stryker's own instrumenter, as a run starts with: the mutants, before any test runs. */
async function countMutants(module: MutationModule): Promise<number> {
  const quiet = () => false;
  const noop = () => undefined;
  const logger = {
    isDebugEnabled: quiet,
    isTraceEnabled: quiet,
    isInfoEnabled: quiet,
    isWarnEnabled: quiet,
    isErrorEnabled: quiet,
    isFatalEnabled: quiet,
    trace: noop,
    debug: noop,
    info: noop,
    warn: noop,
    error: noop,
    fatal: noop,
  };
  const ranges = (module.functions ?? []).flatMap(({ file, names }) => functionRanges(file, names));
  const files = [
    ...filesOf(module).map((name) => ({ name, mutate: true as const })),
    ...ranges.map((range) => {
      const [name, lines] = range.split(":") as [string, string];
      const [from, to] = lines.split("-").map(Number) as [number, number];
      return { name, mutate: [{ start: { line: from - 1, column: 0 }, end: { line: to, column: 0 } }] };
    }),
  ];
  const result = await new Instrumenter(logger).instrument(
    files.map((file) => ({ ...file, content: readFileSync(path.join(root, file.name), "utf8") })),
    { plugins: null, excludedMutations: [], ignorers: [] },
  );
  return result.mutants.length;
}

if (values.count) {
  for (const module of selected) console.log(`${module.name}: ${await countMutants(module)} mutants`);
  process.exit(0);
}

if (values.list) {
  for (const module of selected) {
    console.log(
      `${module.name}: ${module.what}\n  mutate: ${mutateOf(module).join(" ")}\n  tests:  ${module.tests.join(" ")}`,
    );
  }
  process.exit(0);
}

/** A module's latest results: its report and how its run went (null: never run here). */
function latest(module: MutationModule): ModuleResult | null {
  const dir = path.join(reportsDir, module.name);
  const runFile = path.join(dir, "run.json");
  if (!existsSync(runFile)) return null;
  const run = JSON.parse(readFileSync(runFile, "utf8")) as { seconds: number; ok: boolean };
  const report = readReport(module);
  return summarise(module.name, run.seconds, run.ok && report !== null, report);
}

function readReport(module: MutationModule): Report | null {
  const file = path.join(reportsDir, module.name, "mutation.json");
  const text = existsSync(file) ? readFileSync(file, "utf8") : "";
  return text ? (JSON.parse(text) as Report) : null;
}

/** reports/mutation/survivors.txt from every module's latest report, in the table's order. */
function writeSurvivors(): void {
  const survivors: string[] = [];
  const timeouts: string[] = [];
  for (const module of MODULES) {
    const report = readReport(module);
    if (!report) continue;
    survivors.push(...survivorLines(module.name, report, ["Survived", "NoCoverage"]));
    timeouts.push(...survivorLines(module.name, report, ["Timeout"]));
  }
  writeFileSync(
    path.join(reportsDir, "survivors.txt"),
    `# module\tfile:line:column\tstatus\tmutator\toriginal  →  mutant\n${survivors.join("\n")}\n` +
      `\n# timeouts (the mutant made the tests hang: counted as detected by Stryker, not as killed)\n${timeouts.join("\n")}\n`,
  );
}

if (!values.report) {
  for (const module of selected) {
    const dir = path.join(reportsDir, module.name);
    mkdirSync(dir, { recursive: true });
    const configFile = path.join(dir, "stryker.config.json");
    writeFileSync(configFile, `${JSON.stringify(strykerConfig(module, dir), null, 2)}\n`);
    process.stderr.write(`mutation: ${module.name} (${module.what})\n`);
    const started = Date.now();
    // A report or run left by an earlier run must not pass for this one's.
    for (const file of ["mutation.json", "run.json"]) rmSync(path.join(dir, file), { force: true });
    const ok = await runStryker(module, configFile, path.join(dir, "stryker.log"));
    const seconds = Math.round((Date.now() - started) / 1000);
    writeFileSync(path.join(dir, "run.json"), `${JSON.stringify({ seconds, ok, finishedAt: new Date() })}\n`);
    const result = latest(module)!;
    process.stderr.write(
      `mutation: ${module.name}: ${result.ok ? `${result.mutation_score ?? "–"} % in ${seconds} s` : `failed, see ${path.relative(root, dir)}/stryker.log`}\n`,
    );
    // After every module, so a run stopped half-way still leaves what finished.
    writeSurvivors();
  }
}

// --report: every module's latest results, without running anything.
const results = (values.report ? MODULES : selected).map(latest).filter((r): r is ModuleResult => r !== null);
writeSurvivors();
console.log(table(results));
console.log(`timeouts: ${results.map((r) => `${r.module} ${r.timeout}`).join(", ")}`);
console.log(`reports: reports/mutation/<module>/index.html; survivors: reports/mutation/survivors.txt`);
console.log(
  `BENCH ${JSON.stringify({
    bench: "mutation",
    modules: Object.fromEntries(results.map(({ module, ...rest }) => [module, rest])),
  })}`,
);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
