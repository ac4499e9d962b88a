/**
 * A webhook receiver on 127.0.0.1 that records what it gets, and can refuse (503) for a
 * while to test retries.
 */
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Receiver {
  url(path: string): string;
  received: Received[];
  refused: number;
  refuseUntil(ms: number): void;
  stop(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  let refuseUntil = 0;
  const state = { refused: 0 };
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      if (Date.now() < refuseUntil) {
        state.refused += 1;
        res.writeHead(503).end("try later");
        return;
      }
      received.push({ method: req.method ?? "GET", path: req.url ?? "/", headers: req.headers, body, at: Date.now() });
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    received,
    get refused() {
      return state.refused;
    },
    refuseUntil(ms) {
      refuseUntil = ms;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
