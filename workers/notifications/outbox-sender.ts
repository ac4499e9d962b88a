/**
 * Delivers the outbox. Any number of runners can send: deliveries are claimed with
 * FOR UPDATE SKIP LOCKED and leased (a sender that dies leaves them due again when the
 * lease ends, so a restart resumes where it stopped). A failure is retried with
 * exponential backoff for up to 24 hours, then marked FAILED.
 *
 * Exactly once: each claim carries a token, and a delivery is settled only by the
 * sender holding its token, so a late answer never overwrites another sender's result.
 * While a send is in progress its lease is extended, so a slow receiver is never sent
 * the same alert by a second sender.
 *
 * Order and fairness: for one channel and one monitor, only the oldest undelivered alert
 * is eligible (a "resolved" never overtakes its "opened"). Sends run side by side, each
 * settled on its own (no round waits for its slowest send), each bounded by a short
 * timeout, and one channel has at most `perChannelLimit` sends in flight across all
 * senders: one user's slow or failing receivers delay nobody else's alerts.
 */
import { alertDeliveriesTotal } from "../../core/metrics/registry.ts";
import { wakeableSleep } from "../engine/wakeable-sleep.ts";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { MONITOR_CHANGES_CHANNEL } from "../../core/db/channels.ts";
import {
  channelsByIds,
  claimDeliveries,
  extendLeases,
  settleDelivery,
  subscriberRecipients,
  type ClaimedDelivery,
  type SubscriberRecipient,
} from "../../core/db/queries/outbox.ts";
import { sqlOfPool } from "../../core/db/sql.ts";
import { storableText } from "../../core/text/storable.ts";
import type { Logger } from "../../core/logger.ts";
import { isConnectionError } from "../../core/db/pg-pool.ts";
import { deliver, deliverToSubscriber, type ChannelRecord, type SendDependencies } from "./send.ts";
import { enqueueReminders } from "./reminders.ts";

export interface OutboxOptions {
  pool: pg.Pool;
  deps: SendDependencies;
  logger: Logger;
  pollIntervalMs?: number;
  /** Sends in flight in this sender. */
  maxInFlight?: number;
  /** Sends in flight for one channel, across every sender. */
  perChannelLimit?: number;
  /** How long a claim is reserved for its sender; renewed while the send goes on. */
  leaseMs?: number;
  /** One send attempt gives up after this long. */
  attemptTimeoutMs?: number;
  /** Give up after this long (default 24 h). */
  maxAgeMs?: number;
  /** Backoff: first retry after `retryBaseMs`, doubling, at most `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  reminderEveryMs?: number;
}

export interface OutboxSender {
  stop(): Promise<void>;
  /** Claims what is due now and waits for those sends to settle (tests, waking up on new work). */
  flush(): Promise<number>;
  stats(): OutboxStats;
}

export interface OutboxStats {
  inFlight: number;
  /** When a claim last succeeded (ms since epoch). */
  lastClaimAt: number;
}

/** Exponential backoff with ±10 % jitter (pure). */
export function retryDelayMs(attempts: number, baseMs: number, maxMs: number, random = Math.random): number {
  const delay = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(delay * (0.9 + 0.2 * random()));
}

/** The attempt, or its failure once `ms` have passed (the timer is unref'd: it never keeps the process up). */
function withinMs<T>(promise: Promise<T>, ms: number): Promise<T> {
  const timeout = new Promise<never>((_, reject) => {
    setTimeout(() => reject(new Error(`no answer within ${Math.round(ms / 1000)} s`)), ms).unref();
  });
  return Promise.race([promise, timeout]);
}

export function startOutboxSender(options: OutboxOptions): OutboxSender {
  const {
    pool,
    deps,
    logger,
    pollIntervalMs = 1_000,
    maxInFlight = 100,
    perChannelLimit = 4,
    attemptTimeoutMs = 15_000,
    maxAgeMs = 86_400_000, // 24 h
    retryBaseMs = 5_000,
    retryMaxMs = 600_000, // 10 min
    reminderEveryMs = 30_000,
  } = options;
  const sql = sqlOfPool(pool);
  const leaseMs = Math.max(options.leaseMs ?? 60_000, 3_000);
  const sendDeps: SendDependencies = {
    ...deps,
    timeoutMs: Math.min(deps.timeoutMs ?? attemptTimeoutMs, attemptTimeoutMs),
  };
  let stopped = false;
  let lastReminders = 0;
  let lastClaimAt = Date.now();
  /** Sends in progress: delivery id → its claim token and its settling. */
  const inFlight = new Map<string, { token: string; done: Promise<void> }>();

  const { sleep, wake } = wakeableSleep();

  const leaseTimer = setInterval(() => {
    if (inFlight.size === 0) return;
    const held = [...inFlight.entries()];
    extendLeases(sql, { ids: held.map(([id]) => id), tokens: held.map(([, claim]) => claim.token) }, leaseMs).catch(
      (error: unknown) => logger.warn({ err: error }, "renewing alert leases failed"),
    );
  }, leaseMs / 3);
  leaseTimer.unref();

  /** Records the outcome, if we still hold the claim; retried while the database is away. */
  /** `recipient`: the channel type, or "subscriber" (for the metrics). */
  async function settle(delivery: ClaimedDelivery, error: unknown, recipient: string): Promise<void> {
    const message = error === null ? null : storableText(String((error as Error).message ?? error), 500);
    const expired = Date.now() - delivery.createdAt.getTime() >= maxAgeMs;
    const status = error === null ? "SENT" : expired ? "FAILED" : "PENDING";
    for (let attempt = 0; ; attempt++) {
      try {
        // The monitor's open pages show its delivery log: tell them (on commit), as the writer does for results.
        const rowCount = await settleDelivery(
          sql,
          delivery,
          { status, message, retryDelayMs: retryDelayMs(delivery.attempts, retryBaseMs, retryMaxMs) },
          MONITOR_CHANGES_CHANNEL,
        );
        if (rowCount === 0) logger.warn({ delivery: delivery.id }, "alert delivery settled elsewhere (claim lost)");
        break;
      } catch (settleError) {
        // Sent but not recorded yet: keep the claim (its lease is renewed) and try again.
        if (!isConnectionError(settleError) || stopped || attempt >= 120) {
          logger.error({ err: settleError, delivery: delivery.id }, "could not record an alert delivery");
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
    alertDeliveriesTotal.inc({
      channel_type: recipient,
      outcome: status === "SENT" ? "sent" : status === "FAILED" ? "failed" : "retry",
    });
    if (status === "FAILED")
      logger.error({ delivery: delivery.id, channel: delivery.channelId, error: message }, "alert given up after 24 h");
    else if (status === "PENDING")
      logger.warn(
        { delivery: delivery.id, channel: delivery.channelId, attempts: delivery.attempts, error: message },
        "alert delivery failed; will retry",
      );
  }

  async function send(
    delivery: ClaimedDelivery,
    channels: Map<string, ChannelRecord>,
    subscribers: Map<string, SubscriberRecipient>,
  ): Promise<void> {
    const channel = delivery.channelId ? channels.get(delivery.channelId) : undefined;
    const subscriber = delivery.subscriberId ? subscribers.get(delivery.subscriberId) : undefined;
    const attempt = channel
      ? deliver(channel, delivery, sendDeps)
      : subscriber
        ? deliverToSubscriber(subscriber, delivery, sendDeps)
        : Promise.reject(new Error("its recipient no longer exists"));
    const error = await withinMs(attempt, attemptTimeoutMs).then(
      () => null,
      (failure: unknown) => failure ?? new Error("unknown error"),
    );
    await settle(delivery, error, channel ? channel.type.toLowerCase() : subscriber ? "subscriber" : "none");
  }

  /** Claims what is due (up to the free slots) and starts sending it; resolves with the sends. */
  async function claimAndStart(): Promise<Promise<void>[]> {
    if (Date.now() - lastReminders >= reminderEveryMs) {
      lastReminders = Date.now();
      await enqueueReminders(pool).catch((error: unknown) => logger.warn({ err: error }, "queueing reminders failed"));
    }
    const room = maxInFlight - inFlight.size;
    if (room <= 0) {
      lastClaimAt = Date.now(); // busy, not stuck
      return [];
    }
    const rows = await claimDeliveries(sql, { limit: room, leaseMs, claimToken: randomUUID(), perChannelLimit });
    lastClaimAt = Date.now();
    if (rows.length === 0) return [];
    const channelIds = rows.flatMap((row) => (row.channelId ? [row.channelId] : []));
    const subscriberIds = rows.flatMap((row) => (row.subscriberId ? [row.subscriberId] : []));
    const [channels, subscribers] = await Promise.all([
      channelsByIds(sql, channelIds),
      subscriberRecipients(sql, subscriberIds),
    ]);
    const channelById = new Map(channels.map((channel) => [channel.id, channel]));
    const subscriberById = new Map(subscribers.map((subscriber) => [subscriber.id, subscriber]));
    return rows.map((delivery) => {
      const done = send(delivery, channelById, subscriberById)
        .catch((error: unknown) => logger.error({ err: error, delivery: delivery.id }, "alert send failed"))
        .finally(() => {
          inFlight.delete(delivery.id);
          wake();
        });
      inFlight.set(delivery.id, { token: delivery.claimToken, done });
      return done;
    });
  }

  const flush = async () => {
    const sends = await claimAndStart();
    await Promise.all(sends);
    return sends.length;
  };

  const loop = (async () => {
    while (!stopped) {
      let claimed = 0;
      try {
        claimed = (await claimAndStart()).length;
      } catch (error) {
        if (!isConnectionError(error)) logger.error({ err: error }, "claiming alerts failed");
      }
      // Claim again at once while there is work and room; otherwise until a send ends or the next poll.
      if (claimed === 0 || inFlight.size >= maxInFlight) await sleep(pollIntervalMs);
    }
  })();

  return {
    flush,
    stats: () => ({ inFlight: inFlight.size, lastClaimAt }),
    async stop() {
      stopped = true;
      wake();
      await loop;
      await Promise.all([...inFlight.values()].map((claim) => claim.done));
      clearInterval(leaseTimer);
    },
  };
}
