import type { AppLoadContext } from "@remix-run/node";
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { isServiceError } from "~/server/services/errors.server.ts";
import { authenticate } from "~/server/auth/current-user.server.ts";
import { trpcContext } from "./caller.server.ts";
import { retryAfterSeconds } from "~/trpc/retry-after.server.ts";
import { appRouter } from "./root.server.ts";

export const TRPC_ENDPOINT = "/api/trpc";

/** Calls one batched request may carry (more: 400); the browser's client batches at most this many. */
export const MAX_BATCH_SIZE = 20;

/**
 * Serves the typed API at /api/trpc for the browser (session cookie) and scripts (API
 * tokens). Cross-site writes never get here (see host/origin.server.ts).
 */
export function handleTrpcRequest(request: Request, context: AppLoadContext): Promise<Response> {
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req: request,
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    async createContext() {
      try {
        return trpcContext(context, request, await authenticate(context, request), false);
      } catch (error) {
        if (isServiceError(error, "UNAUTHENTICATED"))
          throw new TRPCError({ code: "UNAUTHORIZED", message: error.message });
        throw error;
      }
    },
    // A refusal for too many requests says when to come back (the longest wait of the batch).
    responseMeta({ errors }) {
      const longest = Math.max(0, ...errors.map((error) => retryAfterSeconds(error) ?? 0));
      return longest > 0 ? { headers: { "Retry-After": String(longest) } } : {};
    },
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR")
        context.logger.error({ err: error.cause ?? error, path }, "tRPC error");
    },
  });
}
