import type { AppLoadContext } from "@remix-run/node";
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { isSameOrigin } from "~/server/auth/origin.server.ts";
import { AuthenticationError } from "~/server/services/errors.server.ts";
import { createTrpcContext } from "./context.server.ts";
import { appRouter } from "./root.server.ts";

export const TRPC_ENDPOINT = "/api/trpc";

/** Serves the typed API at /api/trpc for the browser (session cookie) and scripts (API tokens). */
export function handleTrpcRequest(request: Request, context: AppLoadContext): Promise<Response> {
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req: request,
    router: appRouter,
    async createContext() {
      // Cookie-authenticated writes must come from our own pages (CSRF).
      if (
        request.method !== "GET" &&
        !request.headers.has("authorization") &&
        !isSameOrigin(request, context.env.APP_URL)
      ) {
        throw new TRPCError({ code: "FORBIDDEN", message: "Cross-site request refused." });
      }
      try {
        return await createTrpcContext(context, request);
      } catch (error) {
        if (error instanceof AuthenticationError) throw new TRPCError({ code: "UNAUTHORIZED", message: error.message });
        throw error;
      }
    },
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR")
        context.logger.error({ err: error.cause ?? error, path }, "tRPC error");
    },
  });
}
