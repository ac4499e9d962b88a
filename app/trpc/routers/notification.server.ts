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
  /** The account's alert channels (URLs masked). */
  list: protectedProcedure.query(({ ctx }) => listChannels(ctx.scope)),
  /** A new alert channel (email, webhook, Slack, Discord); an email to another address waits for its recipient's consent. */
  create: verifiedProcedure.input(CreateChannelInput).mutation(({ ctx, input }) => createChannel(ctx.scope, input)),
  /** Changes an alert channel. */
  update: verifiedProcedure.input(UpdateChannelInput).mutation(({ ctx, input }) => updateChannel(ctx.scope, input)),
  /** Deletes an alert channel. */
  delete: protectedProcedure.input(ChannelId).mutation(({ ctx, input }) => deleteChannel(ctx.scope, input)),
  /** A new signing secret for a webhook channel (shown once). */
  rotateSecret: verifiedProcedure.input(ChannelId).mutation(({ ctx, input }) => rotateSigningSecret(ctx.scope, input)),
  /** Sends a test alert through a channel (rate-limited). */
  test: verifiedProcedure
    .use(rateLimited("alertTest"))
    .input(ChannelId)
    .mutation(({ ctx, input }) => sendTestAlert(ctx.scope, input)),
  /** The recipient's consent, from the confirmation mail (no sign-in: they may have no account). */
  confirm: publicProcedure.input(TokenInput).mutation(({ ctx, input }) => confirmChannel(ctx.scope, input)),
  /** The delivery log: alerts sent, retried or given up, newest first. */
  deliveries: protectedProcedure.input(DeliveriesInput).query(({ ctx, input }) => listDeliveries(ctx.scope, input)),
});
