/**
 * An HTTP monitor's headers and assertions as the form edits them, as text: headers one
 * "Name: value" per line, assertions one per line ("json $.status equals ok").
 */
import type { Assertion } from "../domain/assertions.ts";

export type HeaderLines = { ok: true; headers: { name: string; value: string }[] } | { ok: false; error: string };

export function parseHeaderLines(text: string): HeaderLines {
  const headers: { name: string; value: string }[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (!line.trim()) continue;
    const colon = line.indexOf(":");
    if (colon <= 0) return { ok: false, error: `Line ${index + 1}: write headers as "Name: value"` };
    headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  return { ok: true, headers };
}

export function headerLines(headers: { name: string; value: string }[]): string {
  return headers.map((header) => `${header.name}: ${header.value}`).join("\n");
}

/** Operators as typed in an assertion line, symbols included. */
const OPERATOR_WORDS: Record<string, Assertion["operator"]> = {
  equals: "equals",
  "=": "equals",
  "==": "equals",
  contains: "contains",
  lt: "lt",
  "<": "lt",
  gt: "gt",
  ">": "gt",
  exists: "exists",
  matches: "matches",
  "~": "matches",
  not_matches: "not_matches",
  "!~": "not_matches",
};

export type AssertionLines = { ok: true; assertions: Assertion[] } | { ok: false; error: string };

/**
 * One assertion per line: `json <path> <operator> [value]`, `header <name> <operator>
 * [value]`, `body matches|not_matches <pattern>`. The API validates what they say.
 */
export function parseAssertionLines(text: string): AssertionLines {
  const assertions: Assertion[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line) continue;
    const fail = (why: string) => ({ ok: false as const, error: `Line ${index + 1}: ${why}` });
    const [source, ...rest] = line.split(/\s+/);
    if (source === "body") {
      const operator = OPERATOR_WORDS[rest[0] ?? ""];
      if (operator !== "matches" && operator !== "not_matches") return fail('write "body matches <pattern>"');
      assertions.push({ source, operator, value: line.replace(/^body\s+\S+\s?/, "") });
      continue;
    }
    if (source !== "json" && source !== "header") return fail("start with json, header or body");
    const [target, operatorWord] = rest;
    const operator = OPERATOR_WORDS[operatorWord ?? ""];
    if (!target || !operator)
      return fail(`write "${source} <${source === "json" ? "path" : "name"}> <operator> <value>"`);
    const value = line.replace(/^\S+\s+\S+\s+\S+\s?/, "");
    if (source === "json") {
      if (operator === "matches" || operator === "not_matches")
        return fail("JSON values are compared with equals, contains, <, > or exists");
      assertions.push({ source, path: target, operator, value });
    } else {
      if (operator !== "equals" && operator !== "contains" && operator !== "matches" && operator !== "exists") {
        return fail("headers are compared with equals, contains, matches or exists");
      }
      assertions.push({ source, name: target, operator, value });
    }
  }
  return { ok: true, assertions };
}

export function assertionLines(assertions: readonly Assertion[]): string {
  return assertions
    .map((a) => {
      const target = a.source === "json" ? ` ${a.path}` : a.source === "header" ? ` ${a.name}` : "";
      return `${a.source}${target} ${a.operator}${a.operator === "exists" ? "" : ` ${a.value}`}`;
    })
    .join("\n");
}
