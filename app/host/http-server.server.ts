import { once } from "node:events";
import type { Server } from "node:http";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import type { HostContext } from "./load-context.server.ts";
import { crossSiteGuard } from "./cross-site.server.ts";
import { customDomains } from "./custom-domains.server.ts";
import { createPublicResponseCache } from "./public-cache.server.ts";
import { canonicalHost } from "./request-host.server.ts";
import { bodySizeLimit } from "./request-limits.server.ts";
import { metricsRequestHandler } from "../../core/metrics/endpoint.ts";
import { pushEndpoint, PUSH_PATH, type PushPing } from "./push-endpoint.server.ts";
import { securityHeaders } from "./security-headers.server.ts";

export interface HttpServer {
  server: Server;
  url: string;
  /** Stops accepting connections and waits (bounded) for in-flight requests. */
  close(): Promise<void>;
}

const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Express hosting the Remix build: fingerprinted assets cached for a year, everything
 * else through Remix with the app context (db, env, logger) as load context.
 */
export async function startHttpServer(options: {
  build: ServerBuild;
  publicDir: string;
  context: HostContext;
  /** Served ahead of Remix (push-endpoint.server.ts). */
  pushPing: PushPing;
}): Promise<HttpServer> {
  const { build, publicDir, context } = options;
  const app = express();
  app.disable("x-powered-by");
  // Behind reverse proxies, read the client's address (rate limits) from X-Forwarded-For,
  // only as far back as our own proxies wrote it (a hop count or their addresses).
  app.set("trust proxy", context.env.TRUST_PROXY);
  // Before anything reads the host: X-Forwarded-Host only from a trusted proxy.
  app.use(canonicalHost());
  app.use(bodySizeLimit());
  app.use(crossSiteGuard(context));
  app.all(PUSH_PATH, pushEndpoint(context, options.pushPing));
  app.use(customDomains(context.db, context.caches.hosts, new URL(context.env.APP_URL).hostname));
  // Ahead of the page middleware; on a custom domain this path is the page's, not ours.
  app.get("/metrics", metricsRequestHandler(context.env.METRICS_TOKEN));
  app.use(securityHeaders(context.env));
  // Before compression, so a cached public answer is kept (and replayed) compressed.
  app.use(createPublicResponseCache({ pageVersion: (slug) => context.caches.publicPages.version(slug) }).middleware);
  // Not the live event streams: compression would hold their events back.
  app.use(
    compression({
      filter: (req, res) =>
        !String(res.getHeader("content-type") ?? "").startsWith("text/event-stream") && compression.filter(req, res),
    }),
  );
  // Remix flushes the compressor after every chunk it writes (for streaming, which no
  // route here uses: no defer, no event streams). Each flush ends a deflate block, so a
  // status page came out at 65 KiB of gzip instead of 11. Compress whole answers.
  app.use((_req, res, next) => {
    res.flush = () => {};
    next();
  });
  app.use("/build", express.static(path.join(publicDir, "build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(publicDir, { maxAge: "1h" }));
  const remix = createRequestHandler({
    build,
    mode: context.env.NODE_ENV,
    getLoadContext: (req, res) => ({
      ...context,
      clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
      cspNonce: String(res.locals.cspNonce ?? ""),
    }),
  });
  // Remix's handler passes its own errors to next(); nothing is left to reject.
  app.all("*", (req, res, next) => void remix(req, res, next));

  const server = app.listen(context.env.PORT, context.env.HOST);
  await once(server, "listening");
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : context.env.PORT;
  const host = context.env.HOST.includes(":") ? `[${context.env.HOST}]` : context.env.HOST;

  return {
    server,
    url: `http://${host}:${port}`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await closed;
      clearTimeout(timer);
    },
  };
}
