/**
 * The `npm start` process: validate configuration, open the database (embedded
 * PostgreSQL when DATABASE_URL is unset) and apply migrations, then serve HTTP and run
 * one check runner (RUNNER_ENABLED). SIGINT/SIGTERM stop it cleanly: HTTP first, then
 * the runner (checks in flight finish, results are flushed), then the database.
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { openDatabase } from "../core/db/database.ts";
import { createPgPool } from "../core/db/pg-pool.ts";
import { loadEnv } from "../core/env.ts";
import { isLoopbackHost, withSessionSecret } from "./host/session-secret.server.ts";
import { StartupError } from "../core/errors.ts";
import { startHttpServer, type HttpServer } from "./host/http-server.server.ts";
import { createLogger, type Logger } from "../core/logger.ts";
import { startWatchdog } from "./host/watchdog.server.ts";
import { checkHealth } from "./server/services/health.server.ts";
import { createMailer } from "./server/mail/mailer.server.ts";
import { createRateLimits } from "./server/services/process/rate-limits.server.ts";
import { createPasswordWork } from "./server/services/process/password-work.server.ts";
import { createDomainResolver, parseDnsServers, type DomainResolver } from "../core/net/domain-resolver.ts";
import type { Db } from "../core/db/client.ts";
import { recheckVerifiedDomains } from "./server/services/status-pages/domains.server.ts";
import { createCaches, type Caches } from "./server/services/process/caches.server.ts";
import { createMonitorEvents } from "./host/live/monitor-events.server.ts";
import { createReadRouting } from "../core/db/read-routing.ts";
import { createTargetResolver } from "../core/net/target-resolver.ts";
import { readDatabaseGauges } from "../core/metrics/database-reading.ts";
import { addRuntimeSource, setDatabaseSource } from "../core/metrics/registry.ts";
import { runnerOptionsFromEnv, startRunner, type Runner } from "../workers/engine/runner.ts";
import { publicCaller } from "./trpc/caller.server.ts";

const buildDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

async function main(): Promise<void> {
  const env = await withSessionSecret(loadEnv());
  const logger = createLogger(env.LOG_LEVEL);
  if (env.NODE_ENV !== "production" && !isLoopbackHost(env.HOST)) {
    logger.warn(
      { host: env.HOST, nodeEnv: env.NODE_ENV },
      `HOST=${env.HOST} is reachable from other machines, but NODE_ENV is ${env.NODE_ENV}: development defaults apply (monitors may reach loopback addresses). Set NODE_ENV=production for a real deployment.`,
    );
  }
  const database = await openDatabase(env, logger, exitLoudly);
  const pgPool = createPgPool(database.url, 4);
  // The runner starts after the web server; /healthz asks it through this reference.
  const started: { runner?: Runner } = {};
  const liveness = () => started.runner?.liveness();
  const domainDns = createDomainResolver(parseDnsServers(env.DNS_SERVERS));
  // One set of caches for the process: the Express host and the Remix routes share it.
  const caches = createCaches();
  // Lagging reads on DATABASE_REPLICA_URL's replica, when there is one.
  const reads = createReadRouting({
    primary: database.db,
    replicaUrl: env.DATABASE_REPLICA_URL,
    maxLagMs: env.REPLICA_MAX_LAG_SECONDS * 1000,
    logger,
  });
  const monitorEvents = createMonitorEvents({
    db: database.db,
    databaseUrl: database.url,
    logger,
    limits: { perUser: env.LIVE_STREAMS_PER_USER, perProcess: env.LIVE_STREAMS_PER_PROCESS },
  });
  setDatabaseSource(() => readDatabaseGauges(pgPool));
  addRuntimeSource(() => ({ liveStreamClients: monitorEvents.subscribers() }));
  let http: HttpServer | undefined;
  try {
    const build = (await import(pathToFileURL(path.join(buildDir, "remix", "index.js")).href)) as ServerBuild;
    http = await startHttpServer({
      build,
      publicDir: path.resolve(buildDir, "..", "public"),
      context: {
        db: database.db,
        env,
        logger,
        resolve: createTargetResolver({ servers: parseDnsServers(env.DNS_SERVERS) }),
        dns: domainDns,
        mailer: createMailer({ smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, logger }),
        rateLimits: createRateLimits(pgPool),
        // One set of argon2 lanes for the process, shared by both bundles (see password-work.server.ts).
        passwords: createPasswordWork({ logger }),
        caches,
        reads,
        liveness,
        monitorEvents,
      },
      // The push URLs' procedure, for a caller that is nobody (the token is the credential).
      pushPing: (requestContext, input) => publicCaller(requestContext, null).heartbeat.ping(input),
    });
  } catch (error) {
    await monitorEvents.stop();
    await reads.stop();
    await pgPool.end();
    await database.close();
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new StartupError(`${env.HOST}:${env.PORT} is already in use: set PORT (or HOST) to a free address.`);
    }
    throw error;
  }
  const runner = env.RUNNER_ENABLED ? startRunner(runnerOptionsFromEnv(env, database.url, logger)) : undefined;
  started.runner = runner;
  const watchdog = startWatchdog({
    check: () =>
      checkHealth(database, {
        liveness: liveness(),
        replica: reads.state(),
        stallAfterMs: env.HEALTH_STALL_SECONDS * 1000,
      }),
    logger,
    heartbeatUrl: env.HEARTBEAT_URL,
    heartbeatIntervalMs: env.HEARTBEAT_INTERVAL_SECONDS * 1000,
  });
  const domainRechecks = startDomainRechecks({ db: database.db, dns: domainDns, caches }, logger);
  logger.info({ url: http.url, database: database.kind }, `Better Uptime is serving on ${http.url}`);
  const background: Stoppable = {
    stop() {
      watchdog.stop();
      domainRechecks.stop();
      void monitorEvents.stop(); // ends the open live streams, so the HTTP server can close
    },
  };
  stopOnSignals(logger, http, runner, background, async () => {
    await reads.stop();
    await pgPool.end();
    await database.close();
  });
}

/** Timers that run beside the server (the watchdog, domain re-checks). */
interface Stoppable {
  stop(): void;
}

function stopOnSignals(
  logger: Logger,
  http: HttpServer,
  runner: Runner | undefined,
  background: Stoppable,
  closeDatabase: () => Promise<void>,
): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    void (async () => {
      try {
        background.stop();
        await http.close();
        await runner?.stop();
        await closeDatabase();
        logger.info("stopped");
        process.exit(0);
      } catch (error) {
        logger.error({ err: error }, "unclean shutdown");
        process.exit(1);
      }
    })();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

/**
 * Custom domains' claims are checked again daily (each round takes those due): one round
 * at start, so a restart never delays a due check (or a waiting claim's takeover) by an
 * hour, then one an hour.
 */
function startDomainRechecks(scope: { db: Db; dns: DomainResolver; caches: Caches }, logger: Logger): Stoppable {
  const round = () =>
    void recheckVerifiedDomains(scope).then(
      ({ failed }) => failed.length > 0 && logger.warn({ domains: failed }, "custom domains no longer verified"),
      (error: unknown) => logger.warn({ err: error }, "re-checking custom domains failed"),
    );
  const first = setTimeout(round, 0);
  const timer = setInterval(round, 3_600_000);
  first.unref();
  timer.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}

/** Never run on blind: a process manager (or the user) must see us go, and restart us. */
function exitLoudly(message: string): never {
  process.stderr.write(`better-uptime: ${message}\n`);
  process.exit(1);
}

main().catch((error: unknown) => {
  if (error instanceof StartupError) {
    process.stderr.write(`better-uptime: ${error.message}\n`);
  } else {
    process.stderr.write(`better-uptime: failed to start: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  process.exit(1);
});
