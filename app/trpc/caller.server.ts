import type { AppLoadContext } from "@remix-run/node";
import { AuthenticationError } from "~/server/services/errors.server.ts";
import { createTrpcContext } from "./context.server.ts";
import { createCallerFactory } from "./init.server.ts";
import { appRouter } from "./root.server.ts";

const createCallerForContext = createCallerFactory(appRouter);

/**
 * Server-side tRPC calls from loaders and actions: same procedures, same checks, no HTTP
 * hop. A request whose API token is not valid is answered 401, as /api/trpc answers it.
 */
export async function createCaller(context: AppLoadContext, request: Request) {
  try {
    return createCallerForContext(await createTrpcContext(context, request));
  } catch (error) {
    if (error instanceof AuthenticationError) throw new Response(error.message, { status: 401 });
    throw error;
  }
}
