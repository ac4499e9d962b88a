/** An HTTP check request as a monitor with default settings makes it, for tests that run checks directly. */
import type { HttpProbeRequest } from "../../core/monitor-types/probe-request.ts";
import { HTTP_DEFAULTS } from "../../core/domain/monitor-defaults.ts";
import { parseStatusCodes } from "../../core/domain/status-codes.ts";

const { expectedStatusCodes, ...requestDefaults } = HTTP_DEFAULTS;
const codes = parseStatusCodes(expectedStatusCodes);

export function httpCheckRequest(url: string, overrides: Partial<HttpProbeRequest> = {}): HttpProbeRequest {
  return {
    kind: "http",
    url,
    ...requestDefaults,
    expectedStatus: codes.ok ? codes.ranges : [],
    // Shorter than a monitor's automatic timeout: the tests' targets answer on loopback.
    timeoutMs: 2_000,
    maxBodyBytes: 1024 * 1024,
    ...overrides,
  };
}
