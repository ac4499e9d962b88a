/**
 * The monitor form's fields ↔ the API's input. Field names are the settings' names, so
 * the API's field errors land on the right inputs. Headers are edited as text, one
 * "Name: value" per line.
 */
import { MASKED_VALUE, type CreateHttpMonitorInput, type CreateTcpMonitorInput } from "./monitor-input.ts";
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

const number = (value: string | undefined) => (value === undefined || value.trim() === "" ? undefined : Number(value));

/**
 * From submitted fields to the API's input; the API validates (and names bad fields).
 * `channelIds`: the ticked alert channels (all values of the checkbox group).
 */
export function formToMonitorInput(fields: Record<string, string>, channelIds?: string[]): MonitorFormInput {
  if (fields.type === "TCP") {
    return {
      type: "TCP",
      host: fields.host ?? "",
      port: number(fields.port) ?? Number.NaN,
      tls: fields.tls === "on",
      ...commonFields(fields, channelIds),
    };
  }
  const headers = parseHeaderLines(fields.headers ?? "");
  return {
    url: fields.url ?? "",
    method: (fields.method ?? "GET") as z.input<typeof CreateHttpMonitorInput>["method"],
    headers: headers.ok ? headers.headers : [],
    headersError: headers.ok ? undefined : headers.error,
    body: fields.body ?? null,
    expectedStatusCodes: fields.expectedStatusCodes ?? "200-299",
    keyword: fields.keyword ?? null,
    keywordMode: fields.keywordMode === "ABSENT" ? "ABSENT" : "PRESENT",
    followRedirects: fields.followRedirects === "on",
    maxRedirects: number(fields.maxRedirects),
    ...commonFields(fields, channelIds),
  };
}

/** What the form sends: an HTTP monitor (with header lines to check), or a TCP port. */
export type MonitorFormInput =
  | (z.input<typeof CreateHttpMonitorInput> & { headersError?: string })
  | (z.input<typeof CreateTcpMonitorInput> & { headersError?: undefined });

/** The settings every type's form has. */
function commonFields(fields: Record<string, string>, channelIds?: string[]) {
  return {
    name: fields.name ?? null,
    // Empty: the automatic timeout (null), as the form's placeholder says.
    timeoutMs: number(fields.timeoutSeconds) === undefined ? null : Math.round(number(fields.timeoutSeconds)! * 1000),
    intervalSeconds: number(fields.intervalSeconds),
    failureThreshold: number(fields.failureThreshold),
    recoveryThreshold: number(fields.recoveryThreshold),
    regions: (fields.regions ?? "default")
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
