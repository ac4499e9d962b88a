/**
 * Live dashboards by push. One LISTEN connection per web process hears which monitors
 * the result writer changed (MONITOR_CHANGES_CHANNEL, sent on commit); for each user with
 * a dashboard open, the changes of a short window are read once — that user's rows only
 * — and sent to each of their open pages. A page with nothing changing costs nothing: no
 * request, no query.
 *
 * Events are numbered. A page that reconnects (it sends the Last-Event-ID it saw) may
 * have missed changes while it was away — nobody reads for a user with no page open —
 * so it is told to reload what it shows, once; so are all pages when the listener itself
 * lost its connection (and with it, notifications).
 */
import type { Db } from "../../../core/db/client.ts";
import { MONITOR_CHANGES_CHANNEL } from "../../../core/db/channels.ts";
import { startListener } from "../../../core/db/listener.ts";
import { decodeMonitorChanges } from "../../../core/db/monitor-changes.ts";
import type { Logger } from "../../../core/logger.ts";
import { changedListRows } from "../../server/services/monitors/monitor-list.server.ts";
import { createStreamSlots, type StreamSlotLimits, type StreamSlots } from "./stream-slots.server.ts";

export type MonitorEvent =
  | { type: "monitors"; id: number; data: Awaited<ReturnType<typeof changedListRows>> }
  /** Changes may have been missed: reload what the page shows. */
  | { type: "resync"; id: number };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type Subscriber = (event: MonitorEvent) => void;

export interface MonitorEvents {
  /**
   * Follows `userId`'s monitors; `lastEventId` from a reconnecting page; `end` closes the
   * page's stream when the server shuts down. Returns the unsubscribe.
   */
  subscribe(userId: string, send: Subscriber, options?: { lastEventId?: string | null; end?: () => void }): () => void;
  /** Open pages, for /healthz and the bench. */
  subscribers(): number;
  /** Streams open per user and per process, capped: a stream takes a slot before it subscribes. */
  slots: StreamSlots;
  stop(): Promise<void>;
}

export interface MonitorEventsOptions {
  db: Db;
  databaseUrl: string;
  logger: Logger;
  /** Changes are gathered this long before one read per user (default 250 ms). */
  gatherMs?: number;
  /** Streams open at once (LIVE_STREAMS_PER_USER, LIVE_STREAMS_PER_PROCESS). */
  limits: StreamSlotLimits;
}

export function createMonitorEvents(options: MonitorEventsOptions): MonitorEvents {
  const { db, logger } = options;
  const gatherMs = options.gatherMs ?? 250;
  const subscribers = new Map<string, Set<Subscriber>>();
  const enders = new Set<() => void>();
  const pending = new Map<string, Set<string>>();
  let timer: NodeJS.Timeout | null = null;
  let lastId = 0;

  const broadcast = (userId: string, event: DistributiveOmit<MonitorEvent, "id">) => {
    const id = ++lastId;
    for (const send of subscribers.get(userId) ?? []) send({ ...event, id });
  };

  const flush = async () => {
    timer = null;
    const batch = [...pending];
    pending.clear();
    await Promise.all(
      batch.map(async ([userId, ids]) => {
        if (!subscribers.has(userId)) return;
        try {
          broadcast(userId, { type: "monitors", data: await changedListRows(db, userId, [...ids]) });
        } catch (error) {
          logger.warn({ err: error }, "live dashboard: could not read changed monitors; pages will resync");
          broadcast(userId, { type: "resync" });
        }
      }),
    );
  };

  const listener = startListener({
    databaseUrl: options.databaseUrl,
    channel: MONITOR_CHANGES_CHANNEL,
    logger,
    onNotify(payload) {
      for (const [userId, ids] of decodeMonitorChanges(payload)) {
        if (!subscribers.has(userId)) continue; // nobody is looking: nothing to read
        const set = pending.get(userId) ?? new Set<string>();
        for (const id of ids) set.add(id);
        pending.set(userId, set);
      }
      if (pending.size > 0) timer ??= setTimeout(() => void flush(), gatherMs);
    },
    onReconnect() {
      for (const userId of subscribers.keys()) broadcast(userId, { type: "resync" });
    },
  });

  return {
    subscribe(userId, send, { lastEventId, end } = {}) {
      const set = subscribers.get(userId) ?? new Set<Subscriber>();
      set.add(send);
      subscribers.set(userId, set);
      if (end) enders.add(end);
      if (lastEventId) send({ type: "resync", id: ++lastId }); // back after a drop
      return () => {
        set.delete(send);
        if (end) enders.delete(end);
        if (set.size === 0) subscribers.delete(userId);
      };
    },
    subscribers: () => [...subscribers.values()].reduce((sum, set) => sum + set.size, 0),
    slots: createStreamSlots(options.limits),
    async stop() {
      if (timer) clearTimeout(timer);
      for (const end of [...enders]) end(); // open streams would hold the server's close
      await listener.stop();
    },
  };
}
