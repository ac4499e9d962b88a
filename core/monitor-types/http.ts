/** HTTP(S) monitors: a request, its status codes, keyword and JSON assertions. */
import { z } from "zod";
import { storedAssertions } from "../domain/assertions.ts";
import { HTTP_DEFAULTS } from "../domain/monitor-defaults.ts";
import { parseStatusCodes } from "../domain/status-codes.ts";
import { parseAssertionLines, parseHeaderLines } from "./http-lines.ts";
import { clamp, headersOf, jsonPathOf } from "./kuma.ts";
import type { MonitorTypeModule } from "./module.ts";
import {
  channelIds,
  LIMITS,
  monitorSettingsShape,
  PROBED_SETTINGS,
  REQUEST_SETTINGS,
  requestedTimeout,
  type MonitorSettings,
} from "./settings.ts";

/** HTTP(S): the default type (`type` may be left out). */
export const CreateHttpMonitorInput = z.object({
  ...z.object(monitorSettingsShape).partial().shape,
  type: z.literal("HTTP").optional(),
  url: monitorSettingsShape.url,
  timeoutMs: requestedTimeout,
  channelIds: channelIds.optional(),
});

/** A stored status list that no longer parses: the default one. */
const defaultCodes = parseStatusCodes(HTTP_DEFAULTS.expectedStatusCodes);
const DEFAULT_RANGES = defaultCodes.ok ? defaultCodes.ranges : [];

const urlTarget = (url: string) => ({ host: new URL(url).hostname, field: "url" });

export const http = {
  type: "HTTP",
  name: "HTTP",
  choice: "HTTP(S) URL",
  upWhen: null,
  judgedBy: "probe",
  opensInBrowser: true,
  judgesCertificate: false,
  createInput: CreateHttpMonitorInput,
  // Its fields are the stored settings' own (settings.ts): the update shape has them already.
  updateShape: {},
  settings: [...REQUEST_SETTINGS, ...PROBED_SETTINGS],

  stored({ type: _type, ...settings }) {
    return { settings, columns: { type: "HTTP" }, target: urlTarget(settings.url), firstCheckAfterSeconds: 0 };
  },
  patch: (existing, input: { url?: string }) => ({
    columns: {},
    target: input.url && input.url !== existing.url ? urlTarget(input.url) : null,
  }),
  createInputOf: (_monitor, settings: MonitorSettings) => ({ ...settings, type: "HTTP" }),
  defaultName: (input) => input.url,
  view: () => ({}),
  label: (monitor) => monitor.url,
  subtitle: (url) => url,
  fromForm(fields, common, read) {
    const headers = parseHeaderLines(fields.headers ?? "");
    const assertions = parseAssertionLines(fields.assertions ?? "");
    const parseErrors = {
      ...(headers.ok ? {} : { headers: [headers.error] }),
      ...(assertions.ok ? {} : { assertions: [assertions.error] }),
    };
    return {
      url: fields.url ?? "",
      method: (fields.method ?? HTTP_DEFAULTS.method) as MonitorSettings["method"],
      headers: headers.ok ? headers.headers : [],
      body: fields.body ?? null,
      expectedStatusCodes: fields.expectedStatusCodes ?? HTTP_DEFAULTS.expectedStatusCodes,
      keyword: fields.keyword ?? null,
      keywordMode: fields.keywordMode === "ABSENT" ? "ABSENT" : "PRESENT",
      keywordIgnoreCase: fields.keywordIgnoreCase === "on",
      assertions: assertions.ok ? assertions.assertions : [],
      maxResponseMs: read.number(fields.maxResponseMs) ?? null,
      ignoreTlsErrors: fields.ignoreTlsErrors === "on",
      followRedirects: fields.followRedirects === "on",
      maxRedirects: read.number(fields.maxRedirects),
      ...common,
      ...(Object.keys(parseErrors).length > 0 ? { parseErrors } : {}),
    };
  },
  formTargets: () => ({}),
  kuma: {
    types: ["http", "keyword", "json-query"],
    names: ["HTTP", "keyword", "JSON query"],
    map(monitor, common) {
      const headers = headersOf(monitor);
      if (typeof headers === "string") return headers;
      const http: Record<string, unknown> = {
        ...common,
        type: "HTTP",
        url: monitor.url ?? "",
        method: (monitor.method ?? HTTP_DEFAULTS.method).toUpperCase(),
        headers,
        body: monitor.body?.trim() ? monitor.body : null,
        expectedStatusCodes: (monitor.accepted_statuscodes ?? [HTTP_DEFAULTS.expectedStatusCodes]).join(","),
        ignoreTlsErrors: monitor.ignoreTls,
        followRedirects: (monitor.maxredirects ?? 10) > 0,
        maxRedirects: clamp(monitor.maxredirects ?? HTTP_DEFAULTS.maxRedirects, 0, LIMITS.maxRedirects),
      };
      if (monitor.type === "keyword") {
        if (!monitor.keyword) return "a keyword monitor without a keyword";
        http.keyword = monitor.keyword;
        http.keywordMode = monitor.invertKeyword ? "ABSENT" : "PRESENT";
      }
      if (monitor.type === "json-query") {
        const path = jsonPathOf(monitor.jsonPath ?? "");
        if (!path)
          return `its JSON query "${monitor.jsonPath ?? ""}" is more than a path (JSONata expressions are not supported)`;
        http.assertions = [{ source: "json", path, operator: "equals", value: monitor.expectedValue ?? "" }];
      }
      return http;
    },
  },

  needsDatabaseToJudge: false,
  probeRequest(check, limits) {
    const codes = parseStatusCodes(check.expectedStatusCodes);
    return {
      kind: "http",
      url: check.url,
      method: check.method,
      headers: check.headers,
      body: check.body,
      expectedStatus: codes.ok ? codes.ranges : DEFAULT_RANGES,
      keyword: check.keyword,
      keywordMode: check.keywordMode,
      keywordIgnoreCase: check.keywordIgnoreCase,
      assertions: storedAssertions(check.assertions),
      maxResponseMs: check.maxResponseMs,
      ignoreTlsErrors: check.ignoreTlsErrors,
      followRedirects: check.followRedirects,
      maxRedirects: check.maxRedirects,
      timeoutMs: check.timeoutMs,
      maxBodyBytes: limits.maxBodyBytes,
    };
  },
} satisfies MonitorTypeModule<"HTTP", typeof CreateHttpMonitorInput>;
