import {
  ChannelId,
  CreateChannelInput,
  DeliveriesInput,
  UpdateChannelInput,
} from "~/lib/notifications/channel-input.ts";
import {
  confirmChannel,
  createChannel,
  deleteChannel,
  listChannels,
  listDeliveries,
  rotateSigningSecret,
  sendTestAlert,
  updateChannel,
} from "~/server/services/notifications/channels.server.ts";
import { TokenInput } from "~/lib/auth/auth-input.ts";
import { protectedProcedure, publicProcedure, rateLimited, router, verifiedProcedure } from "../init.server.ts";

/** Alert channels and their delivery log. */
export const notificationRouter = router({
  list: protectedProcedure.query(({ ctx }) => listChannels(ctx.scope)),
  create: verifiedProcedure.input(CreateChannelInput).mutation(({ ctx, input }) => createChannel(ctx.scope, input)),
  update: verifiedProcedure.input(UpdateChannelInput).mutation(({ ctx, input }) => updateChannel(ctx.scope, input)),
  delete: protectedProcedure.input(ChannelId).mutation(({ ctx, input }) => deleteChannel(ctx.scope, input)),
  rotateSecret: verifiedProcedure.input(ChannelId).mutation(({ ctx, input }) => rotateSigningSecret(ctx.scope, input)),
  test: verifiedProcedure
    .use(rateLimited("alertTest"))
    .input(ChannelId)
    .mutation(({ ctx, input }) => sendTestAlert(ctx.scope, input)),
  /** The recipient's consent, from the confirmation mail (no sign-in: they may have no account). */
  confirm: publicProcedure.input(TokenInput).mutation(({ ctx, input }) => confirmChannel(ctx.scope, input)),
  deliveries: protectedProcedure.input(DeliveriesInput).query(({ ctx, input }) => listDeliveries(ctx.scope, input)),
});
