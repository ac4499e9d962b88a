/**
 * LISTEN on a PostgreSQL channel with a dedicated connection that reconnects after the
 * database restarts. Notifications sent while it was away are lost: `onReconnect` tells
 * the listener's owner to catch up its own way (the scheduler polls anyway; the live
 * dashboard tells its pages to reload what they show).
 */
import pg from "pg";
import { connectionSettingsFromUrl } from "../connection.mjs";
import type { Logger } from "../logger.ts";

export interface Listener {
  stop(): Promise<void>;
}

export function startListener(options: {
  databaseUrl: string;
  channel: string;
  onNotify: (payload: string) => void;
  /** Listening again after the connection was lost (not on the first connect). */
  onReconnect?: () => void;
  logger: Logger;
}): Listener {
  let connectedBefore = false;
  let client: pg.Client | null = null;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;

  const retrySoon = () => {
    if (stopped) return;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => void connect(), 1_000);
  };

  const connect = async () => {
    if (stopped) return;
    const next = new pg.Client(connectionSettingsFromUrl(options.databaseUrl).poolConfig);
    next.on("notification", (message) => options.onNotify(message.payload ?? ""));
    next.on("error", () => undefined);
    next.on("end", () => {
      if (client !== next) return;
      client = null;
      retrySoon();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${options.channel}`);
      client = next;
      if (stopped) return void (await next.end());
      if (connectedBefore) options.onReconnect?.();
      connectedBefore = true;
    } catch (error) {
      options.logger.debug({ err: error, channel: options.channel }, "listener: will retry");
      await next.end().catch(() => undefined);
      retrySoon();
    }
  };
  void connect();

  return {
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      await client?.end().catch(() => undefined);
    },
  };
}
