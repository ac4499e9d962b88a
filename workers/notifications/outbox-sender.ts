/**
 * Delivers the outbox. Any number of runners can send: deliveries are claimed with
 * FOR UPDATE SKIP LOCKED and leased (a sender that dies leaves them due again when the
 * lease ends, so a restart resumes where it stopped). A failure is retried with
 * exponential backoff for up to 24 hours, then marked FAILED.
 *
 * Order and isolation: for one channel and one monitor, only the oldest undelivered
 * alert is eligible (a "resolved" never overtakes its "opened"); channels never wait
 * on each other, so one failing receiver delays no one else.
 */
import type pg from "pg";
import type { Logger } from "../../app/server/logger.server.ts";
import { isConnectionError } from "../../app/server/db/pg-pool.server.ts";
import { deliver, deliverToSubscriber, type ChannelRecord, type SendDependencies } from "./send.ts";
import { enqueueReminders } from "./reminders.ts";

export interface OutboxOptions {
  pool: pg.Pool;
  deps: SendDependencies;
  logger: Logger;
  pollIntervalMs?: number;
  batchSize?: number;
  /** How long a claimed delivery is reserved for its sender. */
  leaseMs?: number;
  /** Give up after this long (default 24 h). */
  maxAgeMs?: number;
  /** Backoff: first retry after `retryBaseMs`, doubling, at most `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  reminderEveryMs?: number;
}

export interface OutboxSender {
  stop(): Promise<void>;
  /** Runs one claim-and-send round now (tests, and waking up on new work). */
  flush(): Promise<number>;
}

interface ClaimedDelivery {
  id: string;
  payload: unknown;
  attempts: number;
  createdAt: Date;
  channelId: string | null;
  subscriberId: string | null;
}

interface SubscriberRecipient {
  id: string;
  email: string;
  unsubscribeToken: string;
  slug: string;
}

const CLAIM_SQL = `
UPDATE "NotificationDelivery" d
SET attempts = d.attempts + 1, "nextAttemptAt" = now() + make_interval(secs => $2 / 1000.0)
WHERE d.id IN (
  SELECT p.id FROM "NotificationDelivery" p
  WHERE p.status = 'PENDING' AND p."nextAttemptAt" <= now()
    AND NOT EXISTS (
      SELECT 1 FROM "NotificationDelivery" e
      WHERE e."channelId" IS NOT DISTINCT FROM p."channelId"
        AND e."subscriberId" IS NOT DISTINCT FROM p."subscriberId"
        AND e."websiteId" IS NOT DISTINCT FROM p."websiteId"
        AND e.status = 'PENDING' AND e.seq < p.seq)
  ORDER BY p.seq
  LIMIT $1
  FOR UPDATE OF p SKIP LOCKED)
RETURNING d.id, d.payload, d.attempts, d."createdAt", d."channelId", d."subscriberId"`;

/** Exponential backoff with ±10 % jitter (pure). */
export function retryDelayMs(attempts: number, baseMs: number, maxMs: number, random = Math.random): number {
  const delay = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(delay * (0.9 + 0.2 * random()));
}

export function startOutboxSender(options: OutboxOptions): OutboxSender {
  const { pool, deps, logger } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const batchSize = options.batchSize ?? 50;
  const leaseMs = options.leaseMs ?? 60_000;
  const maxAgeMs = options.maxAgeMs ?? 24 * 3_600_000;
  const retryBaseMs = options.retryBaseMs ?? 5_000;
  const retryMaxMs = options.retryMaxMs ?? 10 * 60_000;
  const reminderEveryMs = options.reminderEveryMs ?? 30_000;
  let stopped = false;
  let round: Promise<number> | null = null;
  let lastReminders = 0;

  async function settle(delivery: ClaimedDelivery, error: unknown): Promise<void> {
    if (error === null) {
      await pool.query(
        `UPDATE "NotificationDelivery" SET status = 'SENT', "sentAt" = now(), "lastError" = NULL WHERE id = $1`,
        [delivery.id],
      );
      return;
    }
    const message = String((error as Error)?.message ?? error).slice(0, 500);
    const expired = Date.now() - delivery.createdAt.getTime() >= maxAgeMs;
    await pool.query(
      `UPDATE "NotificationDelivery"
       SET status = $2::"DeliveryStatus", "lastError" = $3, "nextAttemptAt" = now() + make_interval(secs => $4 / 1000.0)
       WHERE id = $1`,
      [delivery.id, expired ? "FAILED" : "PENDING", message, retryDelayMs(delivery.attempts, retryBaseMs, retryMaxMs)],
    );
    if (expired)
      logger.error({ delivery: delivery.id, channel: delivery.channelId, error: message }, "alert given up after 24 h");
    else
      logger.warn(
        { delivery: delivery.id, channel: delivery.channelId, attempts: delivery.attempts, error: message },
        "alert delivery failed; will retry",
      );
  }

  async function runRound(): Promise<number> {
    if (Date.now() - lastReminders >= reminderEveryMs) {
      lastReminders = Date.now();
      await enqueueReminders(pool).catch((error: unknown) => logger.warn({ err: error }, "queueing reminders failed"));
    }
    const { rows } = await pool.query<ClaimedDelivery>(CLAIM_SQL, [batchSize, leaseMs]);
    if (rows.length === 0) return 0;
    const channelIds = rows.flatMap((row) => (row.channelId ? [row.channelId] : []));
    const subscriberIds = rows.flatMap((row) => (row.subscriberId ? [row.subscriberId] : []));
    const [channels, subscribers] = await Promise.all([
      pool.query<ChannelRecord>(
        `SELECT id, type::text AS type, target, "signingSecret" FROM "NotificationChannel" WHERE id = ANY($1)`,
        [channelIds],
      ),
      pool.query<SubscriberRecipient>(
        `SELECT s.id, s.email, s."unsubscribeToken", p.slug
         FROM "Subscriber" s JOIN "StatusPage" p ON p.id = s."statusPageId" WHERE s.id = ANY($1)`,
        [subscriberIds],
      ),
    ]);
    const channelById = new Map(channels.rows.map((channel) => [channel.id, channel]));
    const subscriberById = new Map(subscribers.rows.map((subscriber) => [subscriber.id, subscriber]));
    await Promise.all(
      rows.map(async (delivery) => {
        const channel = delivery.channelId ? channelById.get(delivery.channelId) : undefined;
        const subscriber = delivery.subscriberId ? subscriberById.get(delivery.subscriberId) : undefined;
        const send = channel
          ? deliver(channel, delivery, deps)
          : subscriber
            ? deliverToSubscriber(subscriber, delivery, deps)
            : Promise.reject(new Error("its recipient no longer exists"));
        const error = await send.then(
          () => null,
          (failure: unknown) => failure ?? new Error("unknown error"),
        );
        await settle(delivery, error);
      }),
    );
    return rows.length;
  }

  const flush = () => {
    round ??= runRound().finally(() => {
      round = null;
    });
    return round;
  };

  const loop = (async () => {
    while (!stopped) {
      let claimed = 0;
      try {
        claimed = await flush();
      } catch (error) {
        if (!isConnectionError(error)) logger.error({ err: error }, "outbox round failed");
      }
      if (claimed < batchSize) await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
    }
  })();

  return {
    flush,
    async stop() {
      stopped = true;
      await loop;
      await round?.catch(() => 0);
    },
  };
}
