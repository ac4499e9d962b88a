/**
 * Alert channels of one user: create, list (secrets masked), update, delete, rotate the
 * webhook signing secret, send a test, attach to monitors, read the delivery log.
 * Channel URLs are user input: they pass the same target policy as monitored URLs.
 *
 * Consent: an email channel to any address but the owner's own verified one receives a
 * confirmation mail and nothing else until its recipient confirms, so nobody can use
 * this instance to mail alerts (or test alerts) to people who never asked for them.
 */
import { assertWithinQuota, createWithinQuota } from "../quotas.server.ts";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import {
  CHANNEL_FIELDS,
  channelFieldsOf,
  CreateChannelInput,
  storedChannelOf,
  type StoredChannel,
  type UpdateChannelInput,
} from "~/lib/notifications/channel-input.ts";
import { maskTarget, type ChannelType } from "../../../../core/outbox/channel-types.ts";
import { newToken, sha256 } from "../crypto.server.ts";
import type { NotificationChannel } from "../../../../core/db/generated/client.ts";
import { isServiceError, NotFoundError, ValidationError } from "../errors.server.ts";
import type { OwnerScope, Scope } from "../scope.server.ts";
import { assertTargetAllowed } from "../monitors/target-check.server.ts";

export interface ChannelView {
  id: string;
  type: ChannelType;
  name: string;
  /** The address, or the URL with its secret part hidden. */
  target: string;
  /** The type's settings that are not secret (a chat id, a topic, a room). */
  settings: Record<string, string>;
  isDefault: boolean;
  reminderMinutes: number | null;
  /** An email channel waiting for its recipient to confirm: nothing is sent to it yet. */
  awaitingConfirmation: boolean;
  createdAt: Date;
}

/** The stored settings, as strings (malformed JSON reads as none). */
function settingsOf(channel: Pick<NotificationChannel, "settings">): Record<string, string> {
  const json = channel.settings;
  if (!json || typeof json !== "object" || Array.isArray(json)) return {};
  return Object.fromEntries(
    Object.entries(json).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}

/** A stored channel as its type's fields see it (secrets included: for the server's own use). */
export function storedOf(channel: NotificationChannel): StoredChannel {
  return { type: channel.type, target: channel.target, secret: channel.secret, settings: settingsOf(channel) };
}

function toView(channel: NotificationChannel): ChannelView {
  return {
    id: channel.id,
    type: channel.type,
    name: channel.name,
    target: maskTarget(channel.type, channel.target),
    settings: settingsOf(channel),
    isDefault: channel.isDefault,
    reminderMinutes: channel.reminderMinutes,
    awaitingConfirmation: channel.confirmedAt === null,
    createdAt: channel.createdAt,
  };
}

/** Consent for `target`: granted at once for the owner's own verified address, else asked by mail. */
async function consentFor(
  ctx: OwnerScope,
  type: ChannelType,
  target: string,
): Promise<{ confirmedAt: Date | null; confirmTokenHash: string | null; token: string | null }> {
  if (type !== "EMAIL") return { confirmedAt: new Date(), confirmTokenHash: null, token: null };
  const owner = await ctx.db.user.findUniqueOrThrow({ where: { id: ctx.userId } });
  if (owner.emailVerified && owner.email === target)
    return { confirmedAt: new Date(), confirmTokenHash: null, token: null };
  // Confirmation mails go to strangers: at most a few per address and client.
  await ctx.rateLimits.consume("resend", { ip: ctx.clientIp, email: target });
  const token = newToken("chn_");
  return { confirmedAt: null, confirmTokenHash: sha256(token), token };
}

async function askForConsent(ctx: OwnerScope, target: string, token: string): Promise<void> {
  const owner = await ctx.db.user.findUniqueOrThrow({ where: { id: ctx.userId } });
  await ctx.mailer.send({
    to: target,
    subject: "Do you want monitoring alerts from Better Uptime?",
    text: [
      `${owner.name ?? owner.email} (${owner.email}) wants to send uptime alerts to this address`,
      `from the Better Uptime instance at ${ctx.env.APP_URL}.`,
      "",
      `If you expect them, confirm here: ${ctx.env.APP_URL}/alerts/confirm?token=${encodeURIComponent(token)}`,
      "",
      "If not, ignore this mail: nothing else will be sent to you.",
    ].join("\n"),
  });
}

/** The recipient's consent, from the link in the confirmation mail. */
export async function confirmChannel({ db }: Scope, { token }: { token: string }): Promise<{ name: string }> {
  const channel = await db.notificationChannel.findUnique({ where: { confirmTokenHash: sha256(token) } });
  if (!channel) throw new NotFoundError("This confirmation link is not valid (it may have been used already).");
  await db.notificationChannel.update({
    where: { id: channel.id },
    data: { confirmedAt: new Date(), confirmTokenHash: null },
  });
  return { name: channel.name };
}

function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString("base64url")}`;
}

async function checkTarget(ctx: OwnerScope, type: ChannelType, target: string) {
  if (type === "EMAIL") return;
  await assertTargetAllowed(ctx, target).catch((error: unknown) => {
    if (isServiceError(error, "INVALID")) throw new ValidationError({ target: error.fieldErrors.url ?? [] });
    throw error;
  });
}

/**
 * Returns the signing secret of a new webhook channel once; it is never shown again. The
 * server always makes it: an import gives only the key (issue 25).
 */
export async function createChannel(
  ctx: OwnerScope,
  input: z.output<typeof CreateChannelInput>,
  imported: { importKey?: string } = {},
): Promise<ChannelView & { signingSecret: string | null }> {
  // Early, before a target's DNS lookup or a consent rate limit; decided under the lock below.
  await assertWithinQuota(ctx, "channels");
  const stored = storedChannelOf(input);
  await checkTarget(ctx, stored.type, stored.target);
  const { token, ...consent } = await consentFor(ctx, stored.type, stored.target);
  const signingSecret = stored.type === "WEBHOOK" ? newSigningSecret() : null;
  const channel = await createWithinQuota(ctx, "channels", (db) =>
    db.notificationChannel.create({
      data: {
        userId: ctx.userId,
        importKey: imported.importKey ?? null,
        type: stored.type,
        name: input.name,
        target: stored.target,
        secret: stored.secret,
        settings: stored.settings,
        signingSecret,
        isDefault: input.isDefault ?? false,
        reminderMinutes: input.reminderMinutes ?? null,
        ...consent,
      },
    }),
  );
  // The mail once the channel is committed (a refused create mails no one).
  if (token) await askForConsent(ctx, stored.target, token);
  return { ...toView(channel), signingSecret };
}

export async function listChannels({ db, userId }: OwnerScope): Promise<ChannelView[]> {
  return (await db.notificationChannel.findMany({ where: { userId }, orderBy: { createdAt: "asc" } })).map(toView);
}

const COMMON_UPDATE_FIELDS = new Set(["id", "name", "isDefault", "reminderMinutes"]);

/**
 * What an update changes in the channel's own fields: a masked target sent back unchanged
 * changes nothing; another type's field is refused, naming it.
 */
function typeChanges(channel: NotificationChannel, input: z.output<typeof UpdateChannelInput>): Record<string, string> {
  const own = CHANNEL_FIELDS[channel.type] as Record<string, unknown>;
  const changes: Record<string, string> = {};
  const foreign: Record<string, string[]> = {};
  for (const [field, value] of Object.entries(input)) {
    if (COMMON_UPDATE_FIELDS.has(field) || value === undefined) continue;
    if (!(field in own)) foreign[field] = [`${channel.type} channels have no ${field}`];
    else if (!(field === "target" && value === maskTarget(channel.type, channel.target))) {
      changes[field] = value as string;
    }
  }
  if (Object.keys(foreign).length > 0) throw new ValidationError(foreign);
  return changes;
}

/** The stored form after the changes, each field checked as on create; no change: as stored (whatever rules came since). */
function storedAfter(channel: NotificationChannel, changes: Record<string, string>): StoredChannel {
  if (Object.keys(changes).length === 0) return storedOf(channel);
  const parsed = CreateChannelInput.safeParse({
    ...channelFieldsOf(storedOf(channel)),
    ...changes,
    type: channel.type,
    name: channel.name,
  });
  if (!parsed.success) throw new ValidationError(z.flattenError(parsed.error).fieldErrors);
  return storedChannelOf(parsed.data);
}

export async function updateChannel(ctx: OwnerScope, input: z.output<typeof UpdateChannelInput>): Promise<ChannelView> {
  const channel = await ctx.own.channel(input.id);
  const stored = storedAfter(channel, typeChanges(channel, input));
  let consent: Awaited<ReturnType<typeof consentFor>> | null = null;
  if (stored.target !== channel.target) {
    await checkTarget(ctx, channel.type, stored.target);
    consent = await consentFor(ctx, channel.type, stored.target);
  }
  const updated = await ctx.db.notificationChannel.update({
    where: { id: channel.id },
    data: {
      name: input.name,
      isDefault: input.isDefault,
      reminderMinutes: input.reminderMinutes,
      target: stored.target,
      secret: stored.secret,
      settings: stored.settings,
      ...(consent ? { confirmedAt: consent.confirmedAt, confirmTokenHash: consent.confirmTokenHash } : {}),
    },
  });
  if (consent?.token) await askForConsent(ctx, stored.target, consent.token);
  return toView(updated);
}

export async function deleteChannel({ db, userId }: OwnerScope, { id }: { id: string }): Promise<{ id: string }> {
  const { count } = await db.notificationChannel.deleteMany({ where: { id, userId } });
  if (count === 0) throw new NotFoundError("Channel not found");
  return { id };
}

export async function rotateSigningSecret(
  { db, own }: OwnerScope,
  { id }: { id: string },
): Promise<{ signingSecret: string }> {
  const channel = await own.channel(id);
  if (channel.type !== "WEBHOOK") throw new ValidationError({ id: ["Only webhook channels are signed."] });
  const signingSecret = newSigningSecret();
  await db.notificationChannel.update({ where: { id }, data: { signingSecret } });
  return { signingSecret };
}

/** Queues a test alert through the outbox; it shows up in the delivery log. */
export async function sendTestAlert({ db, own }: OwnerScope, { id }: { id: string }): Promise<{ deliveryId: string }> {
  const channel = await own.channel(id);
  if (!channel.confirmedAt) {
    throw new ValidationError({ id: ["This channel's recipient has not confirmed yet: nothing can be sent to it."] });
  }
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
  { db, userId, own }: OwnerScope,
  filter: { channelId?: string; monitorId?: string },
): Promise<DeliveryView[]> {
  if (filter.channelId) await own.channel(filter.channelId);
  if (filter.monitorId) await own.monitor(filter.monitorId);
  const deliveries = await db.notificationDelivery.findMany({
    where: {
      channel: { userId },
      ...(filter.channelId ? { channelId: filter.channelId } : {}),
      ...(filter.monitorId ? { monitorId: filter.monitorId } : {}),
    },
    orderBy: { seq: "desc" },
    take: 50,
    include: { channel: { select: { id: true, name: true, type: true } } },
  });
  return deliveries.map((delivery) => ({
    id: delivery.id,
    channel: delivery.channel!, // the filter above only returns channel deliveries
    monitorId: delivery.monitorId,
    event: delivery.event,
    status: delivery.status,
    attempts: delivery.attempts,
    lastError: delivery.lastError,
    createdAt: delivery.createdAt,
    sentAt: delivery.sentAt,
    nextAttemptAt: delivery.nextAttemptAt,
  }));
}
