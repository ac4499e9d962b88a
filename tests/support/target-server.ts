/**
 * An HTTP(S) target the tests control, on 127.0.0.1 only. It counts hits per path and
 * can be switched down (503), stopped (closed port) and restarted on the same port.
 *
 *   /ok                  200 "hello world"
 *   /status/:code        that status
 *   /slow/:ms            200 after a delay
 *   /hang                never answers
 *   /redirect/:n         n redirects, then /ok
 *   /redirect-to?url=…   one redirect to that URL
 *   /big/:bytes?tail=x   a body of that many bytes, then x
 *   /echo                the request's method, headers and body as JSON
 *   /flappy              200 or 503, as set by setHealthy()
 */
import { once } from "node:events";
import http from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";

export interface TargetServer {
  port: number;
  url(path: string): string;
  hits(path?: string): number;
  setHealthy(healthy: boolean): void;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

export async function startTargetServer(
  options: { tls?: { key: string; cert: string }; port?: number } = {},
): Promise<TargetServer> {
  const hits = new Map<string, number>();
  let healthy = true;
  const sockets = new Set<Socket>();

  const handler: http.RequestListener = (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const parts = path.split("/").filter(Boolean);
    switch (parts[0]) {
      case "ok":
        res.end("hello world");
        return;
      case "status":
        res.writeHead(Number(parts[1])).end(`status ${parts[1]}`);
        return;
      case "slow":
        setTimeout(() => res.end("slow hello"), Number(parts[1]));
        return;
      case "hang":
        return;
      case "redirect": {
        const left = Number(parts[1]);
        res.writeHead(302, { location: left > 1 ? `/redirect/${left - 1}` : "/ok" }).end();
        return;
      }
      case "redirect-to":
        res.writeHead(302, { location: url.searchParams.get("url") ?? "/ok" }).end();
        return;
      case "big":
        res.end(Buffer.concat([Buffer.alloc(Number(parts[1]), "a"), Buffer.from(url.searchParams.get("tail") ?? "")]));
        return;
      case "echo": {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () =>
          res
            .writeHead(200, { "content-type": "application/json" })
            .end(JSON.stringify({ method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString() })),
        );
        return;
      }
      case "respond": {
        // /respond?body=…&type=…&header=name:value — a response the test writes.
        const headers: Record<string, string> = { "content-type": url.searchParams.get("type") ?? "application/json" };
        for (const header of url.searchParams.getAll("header")) {
          const colon = header.indexOf(":");
          headers[header.slice(0, colon)] = header.slice(colon + 1);
        }
        res.writeHead(200, headers).end(url.searchParams.get("body") ?? "");
        return;
      }
      case "flappy":
        if (healthy) res.end("all good");
        else res.writeHead(503, { "retry-after": "30", "set-cookie": "session=secret" }).end("maintenance in progress");
        return;
      default:
        res.writeHead(404).end("not found");
    }
  };

  const server = options.tls ? https.createServer(options.tls, handler) : http.createServer(handler);
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  server.listen(options.port ?? 0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  const scheme = options.tls ? "https" : "http";

  return {
    port,
    url: (path) => `${scheme}://127.0.0.1:${port}${path}`,
    hits: (path) => (path ? (hits.get(path) ?? 0) : [...hits.values()].reduce((a, b) => a + b, 0)),
    setHealthy(value) {
      healthy = value;
    },
    async stop() {
      if (!server.listening) return;
      const closed = once(server, "close");
      server.close();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    async restart() {
      server.listen(port, "127.0.0.1");
      await once(server, "listening");
    },
  };
}
