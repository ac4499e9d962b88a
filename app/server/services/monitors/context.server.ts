import type { Db } from "../../db/client.server.ts";
import type { QuotaEnv } from "../quotas.server.ts";
import type { Env } from "../../env.server.ts";
import type { Resolver } from "../../net/target-policy.server.ts";

/** What monitor services need: the store, the owner, the target policy and its resolver. */
export interface MonitorServiceContext {
  db: Db;
  userId: string;
  env: Pick<Env, "ALLOWED_TARGET_NETWORKS"> & QuotaEnv;
  resolve: Resolver;
}

/** Channel runners LISTEN on, to check a new, edited or resumed monitor at once. */
export const SCHEDULE_CHANNEL = "better_uptime_schedule";
