import type { Db } from "../../../../core/db/client.ts";
import type { QuotaEnv } from "../quotas.server.ts";
import type { Env } from "../../../../core/env.ts";
import type { Resolver } from "../../../../core/net/target-policy.ts";

/** What monitor services need: the store, the owner, the target policy and its resolver. */
export interface MonitorServiceContext {
  db: Db;
  userId: string;
  env: Pick<Env, "ALLOWED_TARGET_NETWORKS"> & QuotaEnv;
  resolve: Resolver;
}
