import { PushPingInput } from "~/lib/monitors/push-input.ts";
import { recordPing } from "~/server/services/monitors/heartbeat-pings.server.ts";
import { publicProcedure, router } from "../init.server.ts";

/** What a heartbeat monitor's job calls: no session, the push token is the credential. */
export const heartbeatRouter = router({
  /** A heartbeat monitor's ping, by its push token (also GET/POST /api/push/<token>); `status: "down"` reports a failure. */
  ping: publicProcedure
    .input(PushPingInput)
    .mutation(({ ctx, input }) =>
      recordPing(ctx.scope, { token: input.token, failed: input.status, message: input.msg ?? null }),
    ),
});
