import type { AppLoadContext } from "@remix-run/node";
import { createCaller } from "../../app/trpc/caller.server.ts";
import type { Db } from "../../app/server/db/client.server.ts";
import { loadEnv } from "../../app/server/env.server.ts";
import { createLogger } from "../../app/server/logger.server.ts";

/** A tRPC caller as a route would get it, on the given database. */
export function callerFor(db: Db) {
  const context: AppLoadContext = { db, env: loadEnv({ NODE_ENV: "test" }), logger: createLogger("silent") };
  return createCaller(context, new Request("http://127.0.0.1/test"));
}
