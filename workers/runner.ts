/**
 * `npm run runner`: one more check runner, on this host or any other, against the same
 * database (DATABASE_URL, or the embedded PostgreSQL of a local `npm start`). Set
 * REGION to check monitors from another location. SIGTERM/SIGINT: stop claiming, finish
 * checks in flight, flush results, exit.
 */
import { openDatabase } from "../core/db/database.ts";
import { loadEnv } from "../core/env.ts";
import { StartupError } from "../core/errors.ts";
import { createLogger } from "../core/logger.ts";
import { createPgPool } from "../core/db/pg-pool.ts";
import { readDatabaseGauges } from "../core/metrics/database-reading.ts";
import { serveMetrics } from "../core/metrics/endpoint.ts";
import { setDatabaseSource } from "../core/metrics/registry.ts";
import { runnerOptionsFromEnv, startRunner } from "./engine/runner.ts";

try {
  const env = loadEnv();
  const logger = createLogger(env.LOG_LEVEL);
  const database = await openDatabase(env, logger, (message) => {
    process.stderr.write(`better-uptime runner: ${message}\n`);
    process.exit(1);
  });
  const runner = startRunner(runnerOptionsFromEnv(env, database.url, logger));
  // METRICS_PORT: this runner's /metrics (the web server serves its own).
  const metricsPool = env.METRICS_PORT === undefined ? undefined : createPgPool(database.url, 1);
  if (metricsPool) setDatabaseSource(() => readDatabaseGauges(metricsPool));
  const metricsServer =
    env.METRICS_PORT === undefined ? undefined : await serveMetrics(env.HOST, env.METRICS_PORT, env.METRICS_TOKEN);
  if (metricsServer) logger.info({ port: env.METRICS_PORT }, "runner metrics at /metrics");
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    metricsServer?.close();
    void runner
      .stop()
      .then(() => metricsPool?.end())
      .then(() => database.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, "unclean shutdown");
          process.exit(1);
        },
      );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
} catch (error) {
  process.stderr.write(
    `better-uptime runner: ${error instanceof StartupError ? error.message : ((error as Error)?.stack ?? String(error))}\n`,
  );
  process.exit(1);
}
