/**
 * Alert channels of one user: create, list (secrets masked), update, delete, rotate the
 * webhook signing secret, send a test, attach to monitors, read the delivery log.
 * Channel URLs are user input: they pass the same target policy as monitored URLs.
 */
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import type { CreateChannelInput, UpdateChannelInput } from "~/lib/notifications/channel-input.ts";
import type { Db } from "../../db/client.server.ts";
import type { NotificationChannel } from "../../db/generated/client.ts";
import { NotFoundError, ValidationError } from "../errors.server.ts";
import type { MonitorServiceContext } from "../monitors/context.server.ts";
import { assertTargetAllowed } from "../monitors/target-check.server.ts";

export interface ChannelView {
  id: string;
  type: NotificationChannel["type"];
  name: string;
  /** The address, or the URL with its secret part hidden. */
  target: string;
  isDefault: boolean;
  reminderMinutes: number | null;
  createdAt: Date;
}

/** Slack, Discord and webhook URLs carry credentials in their path: show only the host. */
export function maskTarget(type: NotificationChannel["type"], target: string): string {
  if (type === "EMAIL") return target;
  try {
    const url = new URL(target);
    return `${url.protocol}//${url.host}/…`;
  } catch {
    return "…";
  }
}

function toView(channel: NotificationChannel): ChannelView {
  return {
    id: channel.id,
    type: channel.type,
    name: channel.name,
    target: maskTarget(channel.type, channel.target),
    isDefault: channel.isDefault,
    reminderMinutes: channel.reminderMinutes,
    createdAt: channel.createdAt,
  };
}

function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString("base64url")}`;
}

async function checkTarget(ctx: MonitorServiceContext, type: NotificationChannel["type"], target: string) {
  if (type === "EMAIL") return;
  await assertTargetAllowed(target, ctx).catch((error: unknown) => {
    if (error instanceof ValidationError) throw new ValidationError({ target: error.fieldErrors.url ?? [] });
    throw error;
  });
}

async function owned(db: Db, userId: string, id: string) {
  const channel = await db.notificationChannel.findFirst({ where: { id, userId } });
  if (!channel) throw new NotFoundError("Channel not found");
  return channel;
}

/** Returns the signing secret of a new webhook channel once; it is never shown again. */
export async function createChannel(
  ctx: MonitorServiceContext,
  input: z.output<typeof CreateChannelInput>,
): Promise<ChannelView & { signingSecret: string | null }> {
  await checkTarget(ctx, input.type, input.target);
  const signingSecret = input.type === "WEBHOOK" ? newSigningSecret() : null;
  const channel = await ctx.db.notificationChannel.create({
    data: {
      userId: ctx.userId,
      type: input.type,
      name: input.name,
      target: input.target,
      signingSecret,
      isDefault: input.isDefault ?? false,
      reminderMinutes: input.reminderMinutes ?? null,
    },
  });
  return { ...toView(channel), signingSecret };
}

export async function listChannels(db: Db, userId: string): Promise<ChannelView[]> {
  return (await db.notificationChannel.findMany({ where: { userId }, orderBy: { createdAt: "asc" } })).map(toView);
}

export async function updateChannel(
  ctx: MonitorServiceContext,
  input: z.output<typeof UpdateChannelInput>,
): Promise<ChannelView> {
  const channel = await owned(ctx.db, ctx.userId, input.id);
  if (input.target !== undefined && input.target !== maskTarget(channel.type, channel.target)) {
    await checkTarget(ctx, channel.type, input.target);
  }
  const updated = await ctx.db.notificationChannel.update({
    where: { id: channel.id },
    data: {
      name: input.name,
      isDefault: input.isDefault,
      reminderMinutes: input.reminderMinutes,
      ...(input.target !== undefined && input.target !== maskTarget(channel.type, channel.target)
        ? { target: input.target }
        : {}),
    },
  });
  return toView(updated);
}

export async function deleteChannel(db: Db, userId: string, id: string): Promise<{ id: string }> {
  const { count } = await db.notificationChannel.deleteMany({ where: { id, userId } });
  if (count === 0) throw new NotFoundError("Channel not found");
  return { id };
}

export async function rotateSigningSecret(db: Db, userId: string, id: string): Promise<{ signingSecret: string }> {
  const channel = await owned(db, userId, id);
  if (channel.type !== "WEBHOOK") throw new ValidationError({ id: ["Only webhook channels are signed."] });
  const signingSecret = newSigningSecret();
  await db.notificationChannel.update({ where: { id }, data: { signingSecret } });
  return { signingSecret };
}

/** Queues a test alert through the outbox; it shows up in the delivery log. */
export async function sendTestAlert(db: Db, userId: string, id: string): Promise<{ deliveryId: string }> {
  const channel = await owned(db, userId, id);
  const delivery = await db.notificationDelivery.create({
    data: {
      channelId: channel.id,
      event: "test",
      payload: {
        event: "test",
        occurredAt: new Date().toISOString(),
        monitor: { id: "test", name: `Test of "${channel.name}"`, url: "https://example.com/" },
        incident: null,
        tls: null,
      },
    },
  });
  return { deliveryId: delivery.id };
}

export interface DeliveryView {
  id: string;
  channel: { id: string; name: string; type: NotificationChannel["type"] };
  monitorId: string | null;
  event: string;
  status: "PENDING" | "SENT" | "FAILED";
  /** PENDING with attempts: retrying. */
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  nextAttemptAt: Date;
}

/** The delivery log: newest first, for one channel or one monitor (or all of the user's). */
export async function listDeliveries(
  db: Db,
  userId: string,
  filter: { channelId?: string; monitorId?: string },
  take = 50,
): Promise<DeliveryView[]> {
  if (filter.channelId) await owned(db, userId, filter.channelId);
  if (filter.monitorId && !(await db.website.findFirst({ where: { id: filter.monitorId, userId } }))) {
    throw new NotFoundError("Monitor not found");
  }
  const deliveries = await db.notificationDelivery.findMany({
    where: {
      channel: { userId },
      ...(filter.channelId ? { channelId: filter.channelId } : {}),
      ...(filter.monitorId ? { websiteId: filter.monitorId } : {}),
    },
    orderBy: { seq: "desc" },
    take,
    include: { channel: { select: { id: true, name: true, type: true } } },
  });
  return deliveries.map((delivery) => ({
    id: delivery.id,
    channel: delivery.channel!, // the filter above only returns channel deliveries
    monitorId: delivery.websiteId,
    event: delivery.event,
    status: delivery.status,
    attempts: delivery.attempts,
    lastError: delivery.lastError,
    createdAt: delivery.createdAt,
    sentAt: delivery.sentAt,
    nextAttemptAt: delivery.nextAttemptAt,
  }));
}
