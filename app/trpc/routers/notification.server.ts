import {
  ChannelId,
  CreateChannelInput,
  DeliveriesInput,
  UpdateChannelInput,
} from "~/lib/notifications/channel-input.ts";
import {
  createChannel,
  deleteChannel,
  listChannels,
  listDeliveries,
  rotateSigningSecret,
  sendTestAlert,
  updateChannel,
} from "~/server/services/notifications/channels.server.ts";
import { protectedProcedure, router, verifiedProcedure, type SessionUser, type TrpcContext } from "../init.server.ts";

function services(ctx: TrpcContext & { user: SessionUser }) {
  return { db: ctx.db, userId: ctx.user.id, env: ctx.env, resolve: ctx.resolve };
}

/** Alert channels and their delivery log. */
export const notificationRouter = router({
  list: protectedProcedure.query(({ ctx }) => listChannels(ctx.db, ctx.user.id)),
  create: verifiedProcedure
    .input(CreateChannelInput)
    .mutation(({ ctx, input }) => createChannel(services(ctx), input)),
  update: verifiedProcedure
    .input(UpdateChannelInput)
    .mutation(({ ctx, input }) => updateChannel(services(ctx), input)),
  delete: protectedProcedure
    .input(ChannelId)
    .mutation(({ ctx, input }) => deleteChannel(ctx.db, ctx.user.id, input.id)),
  rotateSecret: verifiedProcedure
    .input(ChannelId)
    .mutation(({ ctx, input }) => rotateSigningSecret(ctx.db, ctx.user.id, input.id)),
  test: verifiedProcedure.input(ChannelId).mutation(({ ctx, input }) => sendTestAlert(ctx.db, ctx.user.id, input.id)),
  deliveries: protectedProcedure
    .input(DeliveriesInput)
    .query(({ ctx, input }) => listDeliveries(ctx.db, ctx.user.id, input)),
});
