/** HTTP(S) monitors: a request, its status codes, keyword and JSON assertions. */
import { storedAssertions } from "../domain/assertions.ts";
import { HTTP_DEFAULTS } from "../domain/monitor-defaults.ts";
import { parseStatusCodes } from "../domain/status-codes.ts";
import type { MonitorTypeModule } from "./module.ts";

/** A stored status list that no longer parses: the default one. */
const defaultCodes = parseStatusCodes(HTTP_DEFAULTS.expectedStatusCodes);
const DEFAULT_RANGES = defaultCodes.ok ? defaultCodes.ranges : [];

export const http: MonitorTypeModule<"HTTP"> = {
  type: "HTTP",
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
};
