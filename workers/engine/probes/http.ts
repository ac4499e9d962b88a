/**
 * One HTTP check: a fresh connection per request (undici Client with our own connector),
 * a hard deadline, a capped body read, phase timings, TLS certificate expiry, assertions
 * (status codes, keyword), redirects followed hop by hop through the target policy.
 * A down target is data (`status: "DOWN"` with an error class), never an exception.
 */
import { performance } from "node:perf_hooks";
import type { IncomingHttpHeaders } from "node:http";
import { Client, type Dispatcher } from "undici";
import type { HttpProbeRequest } from "../../../core/monitor-types/probe-request.ts";
import type { ErrorClass } from "../../../core/domain/error-class.ts";
import { TargetResolutionError } from "../../../core/net/target-policy.ts";
import { classifyError, DeadlineError, type CheckOutcome, type ResponseSnapshot, type Timings } from "./outcome.ts";
import { statusMatches } from "../../../core/domain/status-codes.ts";
import { containsKeyword, failedAssertion } from "../../../core/domain/assertions.ts";
import {
  guardedConnector,
  type ConnectionPhases,
  type GuardedDependencies,
  type SocketOpener,
} from "../guarded-connector.ts";

export type { SocketOpener };

export type CheckDependencies = GuardedDependencies;

const USER_AGENT = "BetterUptime/0.1 (+uptime monitor)";
const SNAPSHOT_BODY_BYTES = 1024;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

interface HopResult {
  statusCode: number;
  headers: Record<string, string>;
  body: Buffer;
  timings: Timings;
  tlsExpiresAt: string | null;
}

export async function runCheck(request: HttpProbeRequest, deps: CheckDependencies): Promise<CheckOutcome> {
  const started = performance.now();
  const controller = new AbortController();
  const deadline = setTimeout(
    () => controller.abort(new DeadlineError(`no response within ${request.timeoutMs} ms`)),
    request.timeoutMs,
  );
  let url: URL;
  let method = request.method;
  let body = request.body;
  let last: HopResult | null = null;
  const current: { phases?: ConnectionPhases } = {};
  const elapsed = () => Math.round(performance.now() - started);
  try {
    url = new URL(request.url);
    const origin = url.origin;
    for (let hops = 0; ; hops++) {
      // The user's headers (credentials, cookies, custom) go to the monitored origin only:
      // never to another origin a redirect names, nor over a downgrade from https to http.
      const headers = url.origin === origin ? request.headers : [];
      const hop = await requestOnce(url, method, request, headers, body, deps, controller.signal, current);
      last = hop;
      const location = hop.headers.location;
      if (!request.followRedirects || !REDIRECT_STATUSES.has(hop.statusCode) || !location) break;
      if (hops >= request.maxRedirects) {
        return down(hop, elapsed(), "redirect", `more than ${request.maxRedirects} redirects (last to ${location})`);
      }
      const next = new URL(location, url);
      if (next.protocol !== "http:" && next.protocol !== "https:") {
        return down(hop, elapsed(), "redirect", `redirect to a non-HTTP URL (${next.protocol})`);
      }
      if (hop.statusCode === 303 || ((hop.statusCode === 301 || hop.statusCode === 302) && method === "POST")) {
        method = "GET";
        body = null;
      }
      url = next;
    }
    return evaluate(last, request, elapsed());
  } catch (error) {
    const stillResolving = controller.signal.aborted && current.phases?.resolving;
    const reason: unknown = stillResolving
      ? new TargetResolutionError(`DNS lookup of ${url!.hostname} gave no answer within ${request.timeoutMs} ms`)
      : controller.signal.aborted
        ? controller.signal.reason
        : error;
    const { errorClass, message } = classifyError(reason);
    return {
      status: "DOWN",
      statusCode: last?.statusCode ?? null,
      responseTimeMs: elapsed(),
      timings: last?.timings ?? emptyTimings(),
      tlsExpiresAt: last?.tlsExpiresAt ?? null,
      errorClass,
      error: message,
      snapshot: last ? snapshotOf(last) : null,
    };
  } finally {
    clearTimeout(deadline);
  }
}

function evaluate(hop: HopResult, request: HttpProbeRequest, responseTimeMs: number): CheckOutcome {
  if (!statusMatches(request.expectedStatus, hop.statusCode)) {
    const expected = request.expectedStatus.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(",");
    return down(hop, responseTimeMs, "status", `HTTP ${hop.statusCode}, expected ${expected}`);
  }
  const body = request.keyword || request.assertions.length > 0 ? hop.body.toString("utf8") : "";
  if (request.keyword) {
    const found = containsKeyword(body, request.keyword, request.keywordIgnoreCase);
    if (request.keywordMode === "PRESENT" && !found) {
      return down(hop, responseTimeMs, "keyword", `keyword "${request.keyword}" not found in the response`);
    }
    if (request.keywordMode === "ABSENT" && found) {
      return down(hop, responseTimeMs, "keyword", `keyword "${request.keyword}" found in the response`);
    }
  }
  const failed =
    request.assertions.length > 0 ? failedAssertion(request.assertions, { headers: hop.headers, body }) : null;
  if (failed) return down(hop, responseTimeMs, "assertion", failed);
  if (request.maxResponseMs !== null && responseTimeMs > request.maxResponseMs) {
    return down(
      hop,
      responseTimeMs,
      "slow",
      `responded in ${responseTimeMs} ms, slower than ${request.maxResponseMs} ms`,
    );
  }
  return {
    status: "UP",
    statusCode: hop.statusCode,
    responseTimeMs,
    timings: hop.timings,
    tlsExpiresAt: hop.tlsExpiresAt,
    errorClass: null,
    error: null,
    snapshot: null,
  };
}

function down(hop: HopResult, responseTimeMs: number, errorClass: ErrorClass, error: string): CheckOutcome {
  return {
    status: "DOWN",
    statusCode: hop.statusCode,
    responseTimeMs,
    timings: hop.timings,
    tlsExpiresAt: hop.tlsExpiresAt,
    errorClass,
    error,
    snapshot: snapshotOf(hop),
  };
}

function snapshotOf(hop: HopResult): ResponseSnapshot {
  const { "set-cookie": _cookies, ...headers } = hop.headers; // the target's session cookies are not ours to keep
  return {
    statusCode: hop.statusCode,
    headers,
    body: hop.body.subarray(0, SNAPSHOT_BODY_BYTES).toString("utf8"),
  };
}

function emptyTimings(): Timings {
  return { dnsMs: null, connectMs: null, tlsMs: null, ttfbMs: null, downloadMs: null };
}

async function requestOnce(
  url: URL,
  method: string,
  request: HttpProbeRequest,
  userHeaders: HttpProbeRequest["headers"],
  body: string | null,
  deps: CheckDependencies,
  signal: AbortSignal,
  current: { phases?: ConnectionPhases },
): Promise<HopResult> {
  const { connector, phases } = guardedConnector(deps, url.protocol === "https:", signal, request.ignoreTlsErrors);
  current.phases = phases;
  // One request per client (a fresh connection per check, closed by us once it is read):
  // pipelining 1 keeps undici from "resetting" the socket itself after the response,
  // which builds an error with its stack trace every time.
  const client = new Client(url.origin, { connect: connector, pipelining: 1 });
  try {
    const headers: Record<string, string> = { "user-agent": USER_AGENT, accept: "*/*" };
    for (const header of userHeaders) headers[header.name.toLowerCase()] = header.value;
    const response = await exchange(
      client,
      {
        path: `${url.pathname}${url.search}`,
        method,
        headers,
        body: body ?? undefined,
      },
      request.maxBodyBytes,
      signal,
    );
    return {
      statusCode: response.statusCode,
      headers: flattenHeaders(response.headers),
      body: response.body,
      timings: {
        dnsMs: phases.dnsMs,
        connectMs: phases.connectMs,
        tlsMs: phases.tlsMs,
        ttfbMs: phases.readyAt === null ? null : Math.round(response.headersAt - phases.readyAt),
        downloadMs: Math.round(response.endedAt - response.headersAt),
      },
      tlsExpiresAt: phases.tlsExpiresAt,
    };
  } finally {
    // With an error of our own, made once: without one, undici builds a fresh error with
    // its stack trace for every check it closes — measurable CPU (docs/benchmarks.md).
    await client.destroy(CHECK_FINISHED).catch(() => undefined);
  }
}

interface Exchange {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** performance.now() when the headers arrived, and when the body was read (or capped). */
  headersAt: number;
  endedAt: number;
}

/**
 * One request and its answer through undici's dispatch handler: the body is collected
 * as it arrives, up to `maxBodyBytes` (the rest is never read), without the response
 * stream and promise layers `client.request` adds — a check reads every body whole.
 */
function exchange(
  client: Client,
  options: Dispatcher.DispatchOptions,
  maxBodyBytes: number,
  signal: AbortSignal,
): Promise<Exchange> {
  return new Promise<Exchange>((resolve, reject) => {
    const handler = new ExchangeHandler(maxBodyBytes, signal, resolve, reject);
    if (signal.aborted) return handler.abort();
    signal.addEventListener("abort", handler, { once: true });
    client.dispatch(options, handler);
  });
}

/** A class, not closures: a check makes one per request, and the runner makes a thousand checks a second. */
class ExchangeHandler implements Dispatcher.DispatchHandler, EventListenerObject {
  private settled = false;
  private controller: Dispatcher.DispatchController | null = null;
  private statusCode = 0;
  private headers: IncomingHttpHeaders = {};
  private headersAt = 0;
  private readonly chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly maxBodyBytes: number,
    private readonly signal: AbortSignal,
    private readonly resolve: (exchange: Exchange) => void,
    private readonly reject: (error: Error) => void,
  ) {}

  /** The check's deadline passed (the signal's "abort" event). */
  handleEvent(): void {
    this.abort();
  }

  abort(): void {
    const reason = this.signal.reason as Error;
    this.controller?.abort(reason);
    this.finish(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    this.statusCode = statusCode;
    this.headers = headers;
    this.headersAt = performance.now();
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    const room = this.maxBodyBytes - this.size;
    this.chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    this.size += Math.min(chunk.length, room);
    if (this.size >= this.maxBodyBytes) this.finish(null); // capped: the connection is closed unread
  }

  onResponseEnd(): void {
    this.finish(null);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.finish(error);
  }

  private finish(error: Error | null): void {
    if (this.settled) return;
    this.settled = true;
    this.signal.removeEventListener("abort", this);
    if (error) this.reject(error);
    else
      this.resolve({
        statusCode: this.statusCode,
        headers: this.headers,
        body: Buffer.concat(this.chunks, this.size),
        headersAt: this.headersAt,
        endedAt: performance.now(),
      });
  }
}

const CHECK_FINISHED = new Error("the check is finished: its connection is closed");
// Streams read an error's stack when destroyed with it: formatted once here, not per check.
void CHECK_FINISHED.stack;

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}
