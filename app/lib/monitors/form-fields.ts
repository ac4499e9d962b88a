/**
 * The monitor form's fields ↔ the API's input. Field names are the settings' names, so
 * the API's field errors land on the right inputs. Headers are edited as text, one
 * "Name: value" per line; assertions likewise, one per line ("json $.status equals ok").
 */
import {
  MASKED_VALUE,
  type CreateDnsMonitorInput,
  type CreateHeartbeatMonitorInput,
  type CreateHttpMonitorInput,
  type CreateTcpMonitorInput,
  type CreateTlsMonitorInput,
} from "./monitor-input.ts";
import type { Assertion } from "../../../core/domain/assertions.ts";
import {
  DNS_DEFAULTS,
  HEARTBEAT_DEFAULTS,
  HTTP_DEFAULTS,
  SHARED_DEFAULTS,
  TLS_DEFAULTS,
} from "../../../core/domain/monitor-defaults.ts";
import type { z } from "zod";

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

const number = (value: string | undefined) => (value === undefined || value.trim() === "" ? undefined : Number(value));
const text = (value: string | undefined) => (value === undefined || value.trim() === "" ? null : value);

/** What the API gets from the form: one type's input. */
export type MonitorApiInput =
  | z.input<typeof CreateHttpMonitorInput>
  | z.input<typeof CreateTcpMonitorInput>
  | z.input<typeof CreateTlsMonitorInput>
  | z.input<typeof CreateDnsMonitorInput>
  | z.input<typeof CreateHeartbeatMonitorInput>;

/** What the form sends: the API's input, and errors in what the form itself parses (header and assertion lines). */
export type MonitorFormInput = MonitorApiInput & { parseErrors?: Record<string, string[]> };

/**
 * From submitted fields to the API's input; the API validates (and names bad fields).
 * `channelIds`: the ticked alert channels (all values of the checkbox group).
 */
export function formToMonitorInput(fields: Record<string, string>, channelIds?: string[]): MonitorFormInput {
  switch (fields.type) {
    case "TCP":
      return {
        type: "TCP",
        host: fields.host ?? "",
        port: number(fields.port) ?? Number.NaN,
        tls: fields.tls === "on",
        ...commonFields(fields, channelIds),
      };
    case "TLS":
      return {
        type: "TLS",
        host: fields.host ?? "",
        port: number(fields.port) ?? TLS_DEFAULTS.port,
        expiryDays: number(fields.expiryDays),
        ...commonFields(fields, channelIds),
      };
    case "DNS":
      return {
        type: "DNS",
        hostname: fields.hostname ?? "",
        recordType: (fields.recordType ?? DNS_DEFAULTS.recordType) as z.input<
          typeof CreateDnsMonitorInput
        >["recordType"],
        expectedValue: text(fields.expectedValue),
        resolver: text(fields.resolver),
        ...commonFields(fields, channelIds),
      };
    case "HEARTBEAT": {
      const {
        name,
        tags,
        failureThreshold,
        recoveryThreshold,
        channelIds: channels,
      } = commonFields(fields, channelIds);
      return {
        type: "HEARTBEAT",
        periodSeconds: number(fields.periodSeconds) ?? Number.NaN,
        graceSeconds: number(fields.graceSeconds) ?? HEARTBEAT_DEFAULTS.graceSeconds,
        name,
        tags,
        failureThreshold,
        recoveryThreshold,
        channelIds: channels,
      };
    }
  }
  const headers = parseHeaderLines(fields.headers ?? "");
  const assertions = parseAssertionLines(fields.assertions ?? "");
  const parseErrors = {
    ...(headers.ok ? {} : { headers: [headers.error] }),
    ...(assertions.ok ? {} : { assertions: [assertions.error] }),
  };
  return {
    url: fields.url ?? "",
    method: (fields.method ?? HTTP_DEFAULTS.method) as z.input<typeof CreateHttpMonitorInput>["method"],
    headers: headers.ok ? headers.headers : [],
    body: fields.body ?? null,
    expectedStatusCodes: fields.expectedStatusCodes ?? HTTP_DEFAULTS.expectedStatusCodes,
    keyword: fields.keyword ?? null,
    keywordMode: fields.keywordMode === "ABSENT" ? "ABSENT" : "PRESENT",
    keywordIgnoreCase: fields.keywordIgnoreCase === "on",
    assertions: assertions.ok ? assertions.assertions : [],
    maxResponseMs: number(fields.maxResponseMs) ?? null,
    ignoreTlsErrors: fields.ignoreTlsErrors === "on",
    followRedirects: fields.followRedirects === "on",
    maxRedirects: number(fields.maxRedirects),
    ...commonFields(fields, channelIds),
    ...(Object.keys(parseErrors).length > 0 ? { parseErrors } : {}),
  };
}

/** The settings every type's form has (heartbeats use some of them). */
function commonFields(fields: Record<string, string>, channelIds?: string[]) {
  return {
    name: fields.name ?? null,
    // Empty: the automatic timeout (null), as the form's placeholder says.
    timeoutMs: number(fields.timeoutSeconds) === undefined ? null : Math.round(number(fields.timeoutSeconds)! * 1000),
    intervalSeconds: number(fields.intervalSeconds),
    failureThreshold: number(fields.failureThreshold),
    recoveryThreshold: number(fields.recoveryThreshold),
    regions: (fields.regions ?? SHARED_DEFAULTS.regions.join(","))
      .split(",")
      .map((region) => region.trim())
      .filter(Boolean),
    downQuorum: number(fields.downQuorum),
    tags: (fields.tags ?? "")
      .split(",")
      .map((tag) => tag.trim())
      .filter(Boolean),
    // The alert section was on the form: an empty tick list means "no channels".
    channelIds: fields.channelsShown === "yes" ? (channelIds ?? []) : undefined,
  };
}

export { MASKED_VALUE };
