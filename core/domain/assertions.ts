/**
 * HTTP assertions beyond the status code: on the JSON body (a JSON Pointer or a JSONPath),
 * on response headers, and on the body by regular expression. Pure and isomorphic: the
 * check threads evaluate them, the API and the forms validate
 * paths and patterns with `parsePath` and `compilePattern`.
 *
 * Patterns run on RE2 (re2js): linear time in the body's length whatever the pattern, so a
 * pattern like `(a+)+$` cannot hold a check thread (and every other tenant's checks on it).
 */
import { RE2JS } from "re2js";

export const JSON_OPERATORS = ["equals", "contains", "lt", "gt", "exists"] as const;
export const HEADER_OPERATORS = ["equals", "contains", "matches", "exists"] as const;
export const BODY_OPERATORS = ["matches", "not_matches"] as const;

export type Assertion =
  | { source: "json"; path: string; operator: (typeof JSON_OPERATORS)[number]; value: string }
  | { source: "header"; name: string; operator: (typeof HEADER_OPERATORS)[number]; value: string }
  | { source: "body"; operator: (typeof BODY_OPERATORS)[number]; value: string };

export const OPERATOR_LABELS: Record<Assertion["operator"], string> = {
  equals: "equals",
  contains: "contains",
  lt: "is less than",
  gt: "is greater than",
  exists: "exists",
  matches: "matches",
  not_matches: "does not match",
};

/** The response an assertion looks at. */
export interface AssertedResponse {
  headers: Record<string, string>;
  body: string;
}

type Segment = string | number;

/**
 * A path's segments: JSON Pointer ("/data/0/status", RFC 6901) or JSONPath in its common
 * form ("$.data[0].status", "$['odd key']"). Null when the path is neither.
 */
export function parsePath(path: string): Segment[] | null {
  if (path === "" || path === "$") return [];
  if (path.startsWith("/")) {
    return path
      .slice(1)
      .split("/")
      .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
  }
  if (!path.startsWith("$")) return null;
  const segments: Segment[] = [];
  const token = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/y;
  token.lastIndex = 1;
  while (token.lastIndex < path.length) {
    const match = token.exec(path);
    if (!match) return null;
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push((match[3] ?? match[4]!).replace(/\\(.)/g, "$1"));
  }
  return segments;
}

const MISSING = Symbol("missing");

function select(document: unknown, segments: Segment[]): unknown {
  let current: unknown = document;
  for (const segment of segments) {
    if (Array.isArray(current)) {
      const index = typeof segment === "number" ? segment : /^\d+$/.test(segment) ? Number(segment) : NaN;
      if (!(index >= 0 && index < current.length)) return MISSING;
      current = current[index];
    } else if (current !== null && typeof current === "object" && Object.hasOwn(current, String(segment))) {
      current = (current as Record<string, unknown>)[String(segment)];
    } else {
      return MISSING;
    }
  }
  return current;
}

/** How a value reads in a cause: short, JSON for anything but plain strings. */
function shown(value: unknown): string {
  const text = typeof value === "string" ? `"${value}"` : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** A JSON value against the user's text: numbers as numbers, strings as strings, the rest as JSON. */
function equalsText(actual: unknown, expected: string): boolean {
  if (typeof actual === "string") return actual === expected;
  if (typeof actual === "number") return expected.trim() !== "" && Number(expected) === actual;
  try {
    return JSON.stringify(actual) === JSON.stringify(JSON.parse(expected));
  } catch {
    return false;
  }
}

function containsText(actual: unknown, expected: string): boolean {
  if (typeof actual === "string") return actual.includes(expected);
  if (Array.isArray(actual)) return actual.some((item) => equalsText(item, expected));
  return false;
}

function numberOf(value: unknown): number | null {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return null;
}

/** A compiled pattern, or the reason it is not one. */
export function compilePattern(pattern: string): RE2JS | string {
  try {
    return RE2JS.compile(pattern);
  } catch (error) {
    return (error as Error).message.replace(/^error parsing regexp: /, "");
  }
}

const PATTERNS = new Map<string, RE2JS | string>();

/** Compiled once per pattern per thread (a monitor is checked again and again). */
function pattern(source: string): RE2JS | string {
  let compiled = PATTERNS.get(source);
  if (compiled === undefined) {
    if (PATTERNS.size > 10_000) PATTERNS.clear();
    compiled = compilePattern(source);
    PATTERNS.set(source, compiled);
  }
  return compiled;
}

function matches(source: string, text: string): boolean | string {
  const compiled = pattern(source);
  return typeof compiled === "string" ? compiled : compiled.matcher(text).find();
}

function numericComparison(actual: unknown, assertion: { operator: "lt" | "gt"; value: string }, where: string) {
  const left = numberOf(actual);
  const right = numberOf(assertion.value);
  if (left === null) return `${where} is ${shown(actual)}, not a number`;
  if (right === null) return `${assertion.value} is not a number`;
  const holds = assertion.operator === "lt" ? left < right : left > right;
  return holds ? null : `${where} is ${left}, expected ${OPERATOR_LABELS[assertion.operator]} ${right}`;
}

function checkJson(assertion: Extract<Assertion, { source: "json" }>, document: unknown): string | null {
  const segments = parsePath(assertion.path);
  if (!segments) return `${assertion.path} is not a JSON Pointer or JSONPath`;
  const actual = select(document, segments);
  const where = `JSON ${assertion.path}`;
  if (actual === MISSING) return `${where} is missing`;
  switch (assertion.operator) {
    case "exists":
      return null;
    case "equals":
      return equalsText(actual, assertion.value)
        ? null
        : `${where} is ${shown(actual)}, expected ${shown(assertion.value)}`;
    case "contains":
      return containsText(actual, assertion.value)
        ? null
        : `${where} is ${shown(actual)}, expected it to contain ${shown(assertion.value)}`;
    case "lt":
    case "gt":
      return numericComparison(actual, { operator: assertion.operator, value: assertion.value }, where);
  }
}

function checkHeader(assertion: Extract<Assertion, { source: "header" }>, headers: Record<string, string>) {
  const actual = headers[assertion.name.toLowerCase()];
  const where = `header ${assertion.name}`;
  if (actual === undefined) return `${where} is missing`;
  switch (assertion.operator) {
    case "exists":
      return null;
    case "equals":
      return actual === assertion.value ? null : `${where} is ${shown(actual)}, expected ${shown(assertion.value)}`;
    case "contains":
      return actual.includes(assertion.value)
        ? null
        : `${where} is ${shown(actual)}, expected it to contain ${shown(assertion.value)}`;
    case "matches": {
      const found = matches(assertion.value, actual);
      if (typeof found === "string") return `the pattern /${assertion.value}/ is invalid: ${found}`;
      return found ? null : `${where} is ${shown(actual)}, which does not match /${assertion.value}/`;
    }
  }
}

function checkBody(assertion: Extract<Assertion, { source: "body" }>, body: string): string | null {
  const found = matches(assertion.value, body);
  if (typeof found === "string") return `the pattern /${assertion.value}/ is invalid: ${found}`;
  if (assertion.operator === "matches") return found ? null : `the response does not match /${assertion.value}/`;
  return found ? `the response matches /${assertion.value}/` : null;
}

/** The first failing assertion's cause, or null when all hold. The body is parsed as JSON once, if any assertion needs it. */
export function failedAssertion(assertions: readonly Assertion[], response: AssertedResponse): string | null {
  let document: unknown = MISSING;
  for (const assertion of assertions) {
    let problem: string | null;
    if (assertion.source === "json") {
      if (document === MISSING) {
        try {
          document = JSON.parse(response.body);
        } catch {
          return `the response is not valid JSON (${shown(response.body.slice(0, 40))})`;
        }
      }
      problem = checkJson(assertion, document);
    } else if (assertion.source === "header") {
      problem = checkHeader(assertion, response.headers);
    } else {
      problem = checkBody(assertion, response.body);
    }
    if (problem) return problem;
  }
  return null;
}

/** Case-insensitive keyword search without building a lowered copy of a large body twice. */
export function containsKeyword(body: string, keyword: string, ignoreCase: boolean): boolean {
  return ignoreCase ? body.toLowerCase().includes(keyword.toLowerCase()) : body.includes(keyword);
}

/** Assertions as stored (validated when written): a JSON array, anything else as none. */
export function storedAssertions(raw: unknown): Assertion[] {
  return Array.isArray(raw) ? (raw as Assertion[]) : [];
}
