import { checkHealth } from "~/server/services/health.server.ts";
import { publicProcedure } from "../init.server.ts";

export const healthProcedure = publicProcedure.query(({ ctx }) =>
  checkHealth(ctx.scope, {
    liveness: ctx.liveness(),
    replica: ctx.reads.state(),
    stallAfterMs: ctx.env.HEALTH_STALL_SECONDS * 1000,
  }),
);
