import type { AppLoadContext } from "@remix-run/node";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createTrpcContext } from "./context.server.ts";
import { appRouter } from "./root.server.ts";

export const TRPC_ENDPOINT = "/api/trpc";

/** Serves the typed API at /api/trpc for the browser and external scripts. */
export function handleTrpcRequest(request: Request, context: AppLoadContext): Promise<Response> {
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req: request,
    router: appRouter,
    createContext: () => createTrpcContext(context, request),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR")
        context.logger.error({ err: error.cause ?? error, path }, "tRPC error");
    },
  });
}
