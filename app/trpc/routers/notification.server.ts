import {
  ChannelId,
  CreateChannelInput,
  DeliveriesInput,
  UpdateChannelInput,
} from "~/lib/notifications/channel-input.ts";
import {
  confirmChannel,
  createChannel,
  type ChannelServiceContext,
  deleteChannel,
  listChannels,
  listDeliveries,
  rotateSigningSecret,
  sendTestAlert,
  updateChannel,
} from "~/server/services/notifications/channels.server.ts";
import { TokenInput } from "~/lib/auth/auth-input.ts";
import {
  protectedProcedure,
  publicProcedure,
  rateLimited,
  router,
  verifiedProcedure,
  type SessionUser,
  type TrpcContext,
} from "../init.server.ts";

function services(ctx: TrpcContext & { user: SessionUser }): ChannelServiceContext {
  return {
    db: ctx.db,
    userId: ctx.user.id,
    env: ctx.env,
    resolve: ctx.resolve,
    mailer: ctx.mailer,
    rateLimits: ctx.rateLimits,
    clientIp: ctx.clientIp,
    appUrl: ctx.env.APP_URL,
  };
}

/** Alert channels and their delivery log. */
export const notificationRouter = router({
  list: protectedProcedure.query(({ ctx }) => listChannels(ctx.db, ctx.user.id)),
  create: verifiedProcedure.input(CreateChannelInput).mutation(({ ctx, input }) => createChannel(services(ctx), input)),
  update: verifiedProcedure.input(UpdateChannelInput).mutation(({ ctx, input }) => updateChannel(services(ctx), input)),
  delete: protectedProcedure
    .input(ChannelId)
    .mutation(({ ctx, input }) => deleteChannel(ctx.db, ctx.user.id, input.id)),
  rotateSecret: verifiedProcedure
    .input(ChannelId)
    .mutation(({ ctx, input }) => rotateSigningSecret(ctx.db, ctx.user.id, input.id)),
  test: verifiedProcedure
    .use(rateLimited("alertTest"))
    .input(ChannelId)
    .mutation(({ ctx, input }) => sendTestAlert(ctx.db, ctx.user.id, input.id)),
  /** The recipient's consent, from the confirmation mail (no sign-in: they may have no account). */
  confirm: publicProcedure.input(TokenInput).mutation(({ ctx, input }) => confirmChannel(ctx.db, input.token)),
  deliveries: protectedProcedure
    .input(DeliveriesInput)
    .query(({ ctx, input }) => listDeliveries(ctx.db, ctx.user.id, input)),
});
