/**
 * What the setup scripts share: the typed API client (an API token, as any outside
 * script would use), reading a setup file, sending a large document in parts, and
 * printing an import's report.
 */
import { readFile } from "node:fs/promises";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import type { AppRouter } from "../../app/trpc/root.server.ts";
import {
  SETUP_LIMITS,
  type ImportReport,
  type ItemKind,
  type SetupDocument,
  type SetupDocumentInput,
} from "../../app/lib/setup/setup-document.ts";

export type Api = ReturnType<typeof createTRPCClient<AppRouter>>;

export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** The API at BETTER_UPTIME_URL as the owner of BETTER_UPTIME_TOKEN. */
export function apiFromEnv(): Api {
  const baseUrl = (process.env.BETTER_UPTIME_URL ?? "http://127.0.0.1:3000").replace(/\/$/, "");
  const token = process.env.BETTER_UPTIME_TOKEN;
  if (!token) {
    fail(
      "Set BETTER_UPTIME_TOKEN to an API token (Account → API tokens), and BETTER_UPTIME_URL to the instance (default http://127.0.0.1:3000).",
    );
  }
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${baseUrl}/api/trpc`, headers: { authorization: `Bearer ${token}` } })],
  });
}

/** An API error in one line: the message and, for bad input, each field at fault. */
export function describeError(error: unknown): string {
  if (!(error instanceof TRPCClientError)) return error instanceof Error ? error.message : String(error);
  const data = (error as TRPCClientError<AppRouter>).data as { fieldErrors?: Record<string, string[]> } | undefined;
  const fields = Object.entries(data?.fieldErrors ?? {}).map(([field, messages]) => `${field}: ${messages.join(", ")}`);
  return [error.message, ...fields].join("\n  ");
}

/**
 * A JSON file, or standard input for "-". Lines npm prints before a script's output
 * (`> better-uptime@… export`) are skipped, so `npm run export > setup.json` just works.
 */
export async function readJsonFile(file: string | undefined, usage: string): Promise<unknown> {
  if (!file) fail(usage);
  const text = file === "-" ? await readStdin() : await readFile(file, "utf8").catch(() => fail(`Cannot read ${file}`));
  const json = text.replace(/^(?:\s*\n|>[^\n]*\n)*/, "");
  try {
    return JSON.parse(json);
  } catch (error) {
    return fail(`${file} is not JSON: ${(error as Error).message}`);
  }
}

async function readStdin(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

/** Requests stay well under the server's 1 MiB body limit. */
const MAX_PART_BYTES = 512 * 1024;
const SECTIONS = ["channels", "monitors", "statusPages", "maintenance", "recurringMaintenance"] as const;

/**
 * The document in parts the server accepts: sections in reference order (channels,
 * monitors, pages, windows), each split by count and size. Later parts refer to items
 * of earlier ones by key, which the server resolves against what is already imported.
 */
export function parts(document: SetupDocument): SetupDocumentInput[] {
  const {
    channels: _c,
    monitors: _m,
    statusPages: _s,
    maintenance: _w,
    recurringMaintenance: _r,
    ...header
  } = document;
  const result: SetupDocumentInput[] = [];
  for (const section of SECTIONS) {
    let items: unknown[] = [];
    let bytes = 0;
    const flush = () => {
      if (items.length) result.push({ ...header, [section]: items });
      items = [];
      bytes = 0;
    };
    for (const item of document[section]) {
      const size = JSON.stringify(item).length;
      if (items.length >= SETUP_LIMITS[section] || (items.length > 0 && bytes + size > MAX_PART_BYTES)) flush();
      items.push(item);
      bytes += size;
    }
    flush();
  }
  return result;
}

export async function importInParts(api: Api, document: SetupDocument): Promise<ImportReport> {
  const report: ImportReport = { created: [], updated: [], unchanged: [], skipped: [] };
  for (const part of parts(document)) {
    const partial = await api.account.import.mutate(part);
    for (const outcome of ["created", "updated", "unchanged", "skipped"] as const)
      report[outcome].push(...partial[outcome]);
  }
  return report;
}

const KIND_LABEL = {
  channel: "channels",
  monitor: "monitors",
  statusPage: "status pages",
  maintenance: "maintenance windows",
  recurringMaintenance: "recurring maintenance",
} satisfies Record<ItemKind, string>;

/** The report for people: counts per outcome and kind, then every item that has something to say. */
export function printReport(report: ImportReport, write: (line: string) => void): void {
  for (const outcome of ["created", "updated", "unchanged", "skipped"] as const) {
    const items = report[outcome];
    const byKind = Object.entries(KIND_LABEL)
      .map(([kind, label]) => [items.filter((item) => item.kind === kind).length, label] as const)
      .filter(([count]) => count > 0)
      .map(([count, label]) => `${count} ${label}`);
    write(`${outcome.padEnd(9)} ${byKind.length ? byKind.join(", ") : "nothing"}`);
  }
  const noted = (["created", "updated", "unchanged", "skipped"] as const).flatMap((outcome) =>
    report[outcome].filter((item) => item.note).map((item) => ({ ...item, outcome })),
  );
  if (noted.length) write("");
  for (const item of noted) write(`${item.outcome} ${item.kind} "${item.name}" (${item.key}): ${item.note}`);
}
