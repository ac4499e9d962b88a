/** An HTTP check request as a monitor with default settings makes it, for tests that run checks directly. */
import type { HttpProbeRequest } from "../../core/monitor-types/probe-request.ts";

export function httpCheckRequest(url: string, overrides: Partial<HttpProbeRequest> = {}): HttpProbeRequest {
  return {
    kind: "http",
    url,
    method: "GET",
    headers: [],
    body: null,
    expectedStatus: [{ from: 200, to: 299 }],
    keyword: null,
    keywordMode: "PRESENT",
    keywordIgnoreCase: false,
    assertions: [],
    maxResponseMs: null,
    ignoreTlsErrors: false,
    followRedirects: true,
    maxRedirects: 5,
    timeoutMs: 2_000,
    maxBodyBytes: 1024 * 1024,
    ...overrides,
  };
}
