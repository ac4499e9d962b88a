/**
 * Watching the watcher. Every few seconds the app judges its own health (database and
 * runner, as /healthz does) and says so in the log when it changes: an error line when
 * it goes bad, so a stuck runner is noticed even if nobody polls /healthz. With
 * HEARTBEAT_URL set it also pings that URL every interval while healthy: an outside
 * service (a dead man's switch) then notices when the whole instance dies or hangs.
 */
import type { Logger } from "../../core/logger.ts";
import type { Health } from "../server/services/health.server.ts";

export interface Watchdog {
  stop(): void;
}

export interface WatchdogOptions {
  check: () => Promise<Health>;
  logger: Logger;
  heartbeatUrl?: string;
  heartbeatIntervalMs: number;
  checkIntervalMs?: number;
}

const HEARTBEAT_TIMEOUT_MS = 10_000;

function describe(health: Health): string | null {
  const problems = [
    health.database === "down" ? "the database does not answer" : null,
    health.runner?.stalled ? `the runner is stuck (${health.runner.stalled})` : null,
  ].filter(Boolean);
  return problems.length > 0 ? problems.join("; ") : null;
}

export function startWatchdog(options: WatchdogOptions): Watchdog {
  const { logger } = options;
  let problem: string | null = null;
  let healthy = true;
  let checking = false;
  let lastBeat = 0;

  const beat = async (url: string) => {
    lastBeat = Date.now();
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(HEARTBEAT_TIMEOUT_MS) });
      await response.body?.cancel();
      if (!response.ok) logger.warn({ status: response.status }, "heartbeat URL answered with an error");
    } catch (error) {
      logger.warn({ err: error }, "heartbeat URL could not be reached");
    }
  };

  const tick = async () => {
    if (checking) return;
    checking = true;
    try {
      const now = describe(await options.check());
      if (now && now !== problem) logger.error({ problem: now }, `unhealthy: ${now}`);
      if (!now && problem) logger.info({ was: problem }, "healthy again");
      problem = now;
      healthy = now === null;
      if (healthy && options.heartbeatUrl && Date.now() - lastBeat >= options.heartbeatIntervalMs) {
        await beat(options.heartbeatUrl);
      }
    } finally {
      checking = false;
    }
  };

  const timer = setInterval(() => void tick(), Math.min(options.checkIntervalMs ?? 5_000, options.heartbeatIntervalMs));
  timer.unref();
  void tick();
  return {
    stop: () => clearInterval(timer),
  };
}
