/**
 * Heartbeat push URLs: GET or POST /api/push/<token>[?status=down&msg=…]. No session: the
 * token is the credential. Served here, ahead of Remix and the page middleware (CSP
 * nonces, custom domains, the public cache, static files): a busy instance takes a
 * thousand pings a second, and the page machinery cost a millisecond of CPU each
 * (docs/benchmarks.md, bench:push). The rules stay in the `heartbeat.ping` procedure.
 * Plain-text answers a shell script can read. The procedure arrives from the composition
 * root (main.server.ts), so the host imports no tRPC module.
 */
import type { AppLoadContext } from "@remix-run/node";
import type { RequestHandler } from "express";
import { TRPCError } from "@trpc/server";
import type { AppContext } from "../server/app-context.server.ts";
import { retryAfterHeaders } from "../trpc/retry-after.server.ts";

/** `heartbeat.ping` for an anonymous caller of this request (its errors are the procedure's). */
export type PushPing = (
  context: AppLoadContext,
  input: { token: string; status: "up" | "down" | undefined; msg: string | undefined },
) => Promise<unknown>;

export const PUSH_PATH = "/api/push/:token";

const UNKNOWN = "No heartbeat monitor has this push URL.\n";

export function pushEndpoint(context: AppContext, ping: PushPing): RequestHandler {
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "POST" && req.method !== "HEAD") return next();
    const answer = (status: number, body: string, headers: Record<string, string> = {}) =>
      void res
        .status(status)
        .set({ "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...headers })
        .send(body);
    const status = typeof req.query.status === "string" ? req.query.status.toLowerCase() : undefined;
    const msg = typeof req.query.msg === "string" ? req.query.msg : undefined;
    ping(
      { ...context, clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown", cspNonce: "" },
      { token: String(req.params.token ?? ""), status: status as "up" | "down" | undefined, msg },
    ).then(
      () => answer(200, "OK\n"),
      (error: unknown) => {
        if (!(error instanceof TRPCError)) return next(error);
        switch (error.code) {
          case "NOT_FOUND":
            return answer(404, UNKNOWN);
          case "TOO_MANY_REQUESTS":
            return answer(429, `${error.message}\n`, retryAfterHeaders(error));
          case "SERVICE_UNAVAILABLE":
            return answer(503, `${error.message}\n`, retryAfterHeaders(error));
          case "BAD_REQUEST":
            // A token that cannot be one is an unknown push URL, like any other wrong token.
            return /token/i.test(error.message) ? answer(404, UNKNOWN) : answer(400, `${error.message}\n`);
          default:
            return next(error);
        }
      },
    );
  };
}
