/**
 * GET /metrics in Prometheus' text format. With METRICS_TOKEN set, only a scraper
 * sending `Authorization: Bearer <token>` is answered; others get 401.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { registry } from "./registry.ts";

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Compares digests, so neither the token's length nor its prefix leaks through timing. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(.+)$/i.exec(header ?? "")?.[1]?.trim() ?? "";
  return timingSafeEqual(digest(presented), digest(token));
}

export function metricsRequestHandler(token: string | undefined) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    if (token && !bearerMatches(request.headers.authorization, token)) {
      response.writeHead(401, {
        "content-type": "text/plain; charset=utf-8",
        "www-authenticate": 'Bearer realm="metrics"',
      });
      response.end("A bearer token (METRICS_TOKEN) is required.\n");
      return;
    }
    registry.metrics().then(
      (text) => {
        response.writeHead(200, { "content-type": registry.contentType, "cache-control": "no-store" });
        response.end(text);
      },
      (error: unknown) => {
        response.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
        response.end(`collecting metrics failed: ${(error as Error).message}\n`);
      },
    );
  };
}

/** A standalone runner's /metrics (METRICS_PORT): nothing else is served. */
export function serveMetrics(host: string, port: number, token: string | undefined): Promise<Server> {
  const handle = metricsRequestHandler(token);
  const server = createServer((request, response) => {
    if (request.method === "GET" && request.url?.split("?")[0] === "/metrics") return handle(request, response);
    response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    response.end("Not found. Metrics are at /metrics.\n");
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}
