/**
 * LISTEN on a PostgreSQL channel with a dedicated connection that reconnects after the
 * database restarts. Notifications are only a hint to wake up early: the scheduler polls
 * anyway, so a missed one costs at most a poll interval.
 */
import pg from "pg";
import { connectionSettingsFromUrl } from "../../prisma/engine/connection.mjs";
import type { Logger } from "../../core/logger.ts";

export interface Listener {
  stop(): Promise<void>;
}

export function startListener(options: {
  databaseUrl: string;
  channel: string;
  onNotify: () => void;
  logger: Logger;
}): Listener {
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
    next.on("notification", () => options.onNotify());
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
      if (stopped) await next.end();
    } catch (error) {
      options.logger.debug({ err: error }, "schedule listener: will retry");
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
