import type { AppLoadContext } from "@remix-run/node";
import { createTrpcContext } from "./context.server.ts";
import { createCallerFactory } from "./init.server.ts";
import { appRouter } from "./root.server.ts";

const createCallerForContext = createCallerFactory(appRouter);

/** Server-side tRPC calls from loaders and actions: same procedures, same checks, no HTTP hop. */
export async function createCaller(context: AppLoadContext, request: Request) {
  return createCallerForContext(await createTrpcContext(context, request));
}
