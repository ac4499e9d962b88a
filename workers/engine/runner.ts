/**
 * A runner: scheduler + check pool + result writer + retention + the alert outbox's
 * sender, for one region.
 * `npm start` runs one beside the web server; `npm run runner` runs more, anywhere
 * that reaches the database. PostgreSQL is the only coordination between them.
 */
import { readFileSync } from "node:fs";
import type { Env } from "../../core/env.ts";
import type { Logger } from "../../core/logger.ts";
import { createSmtpTransport } from "../../core/mail/smtp-transport.ts";
import type { RunnerLiveness } from "../../core/runner/liveness.ts";
import { parseDnsServers } from "../../core/net/domain-resolver.ts";
import { formatAllowedNetworks, parseAllowedNetworks } from "../../core/net/target-policy.ts";
import { createTargetResolver } from "../../core/net/target-resolver.ts";
import type pg from "pg";
import { acknowledgeKey, acknowledgeUrl } from "../../core/outbox/acknowledge-link.ts";
import { subscriberLinkKey } from "../../core/outbox/subscriber-links.ts";
import { startOutboxSender } from "../notifications/outbox-sender.ts";
import type { SendDependencies } from "../notifications/send.ts";
import { createCheckPool } from "./check-pool.ts";
import { createPgPool } from "../../core/db/pg-pool.ts";
import { sqlOfPool } from "../../core/db/sql.ts";
import { createResultWriter } from "../results/writer.ts";
import { startRetention } from "./retention.ts";
import { addRuntimeSource } from "../../core/metrics/registry.ts";
import { startScheduler, type SchedulerStats } from "./scheduler.ts";

export interface RunnerOptions {
  databaseUrl: string;
  region: string;
  logger: Logger;
  concurrency: number;
  threads: number;
  allowedNetworks: string;
  /** DNS_SERVERS ("" for the system's resolvers). */
  dnsServers?: string;
  /** PEM certificates checks trust besides Node's (EXTRA_CA_CERTS' contents). */
  extraCaCerts?: string;
  maxBodyBytes: number;
  retentionDays: number;
  /** Sent/failed alert deliveries and hourly rollups are kept this long (defaults 30 and 100 days). */
  deliveryRetentionDays?: number;
  hourlyRollupRetentionDays?: number;
  queueLimit: number;
  /** Tests: a different check worker. */
  workerFilename?: string;
  pollIntervalMs?: number;
  alerts: AlertOptions;
}

export interface AlertOptions {
  appUrl: string;
  smtpUrl?: string;
  mailFrom: string;
  tlsExpiryDays: number;
  retryBaseMs?: number;
  retryMaxMs: number;
}

export interface Runner {
  /** SIGTERM semantics: stop claiming, finish checks in flight (bounded), flush, close. */
  stop(): Promise<void>;
  stats(): SchedulerStats & { written: number; queued: number; dropped: number };
  liveness(): RunnerLiveness;
}

export function runnerOptionsFromEnv(env: Env, databaseUrl: string, logger: Logger): RunnerOptions {
  return {
    databaseUrl,
    region: env.REGION,
    logger,
    concurrency: env.RUNNER_CONCURRENCY,
    threads: env.CHECK_WORKER_THREADS,
    allowedNetworks: formatAllowedNetworks(env.ALLOWED_TARGET_NETWORKS),
    dnsServers: env.DNS_SERVERS ?? "",
    extraCaCerts: env.EXTRA_CA_CERTS ? readExtraCaCerts(env.EXTRA_CA_CERTS) : "",
    maxBodyBytes: env.CHECK_MAX_BODY_BYTES,
    retentionDays: env.RESULTS_RETENTION_DAYS,
    deliveryRetentionDays: env.DELIVERY_RETENTION_DAYS,
    hourlyRollupRetentionDays: env.HOURLY_ROLLUP_RETENTION_DAYS,
    queueLimit: env.RESULT_QUEUE_LIMIT,
    alerts: {
      appUrl: env.APP_URL,
      smtpUrl: env.SMTP_URL,
      mailFrom: env.MAIL_FROM,
      tlsExpiryDays: env.ALERT_TLS_EXPIRY_DAYS,
      retryMaxMs: env.ALERT_RETRY_MAX_SECONDS * 1000,
    },
  };
}

/** The operator's private CA(s): unreadable or not PEM is a startup error, not checks that fail later. */
function readExtraCaCerts(file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`EXTRA_CA_CERTS: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) throw new Error(`EXTRA_CA_CERTS: ${file} holds no PEM certificate`);
  return pem;
}

function sendDependencies(options: RunnerOptions, pool: pg.Pool): SendDependencies {
  const transport = options.alerts.smtpUrl ? createSmtpTransport(options.alerts.smtpUrl) : undefined;
  let key: Promise<Buffer> | undefined;
  const loadKey = () =>
    (key ??= acknowledgeKey(sqlOfPool(pool)).catch((error: unknown) => {
      key = undefined; // the database was away: try again at the next mail
      throw error;
    }));
  let linkKey: Promise<Buffer> | undefined;
  const loadLinkKey = () =>
    (linkKey ??= subscriberLinkKey(sqlOfPool(pool)).catch((error: unknown) => {
      linkKey = undefined; // the database was away: try again at the next mail
      throw error;
    }));
  return {
    appUrl: options.alerts.appUrl,
    acknowledgeUrl: async (incidentId, channelId) =>
      acknowledgeUrl(options.alerts.appUrl, await loadKey(), incidentId, channelId),
    subscriberLinkKey: loadLinkKey,
    sendMail: transport
      ? async (message) => {
          await transport.sendMail({ from: options.alerts.mailFrom, ...message });
        }
      : undefined,
    guarded: {
      policy: { allowedNetworks: parseAllowedNetworks(options.allowedNetworks) },
      resolve: createTargetResolver({ servers: parseDnsServers(options.dnsServers) }),
    },
  };
}

/** Longest a check can take (the timeout's maximum) plus a margin. */
const IN_FLIGHT_GRACE_MS = 65_000;
const FLUSH_GRACE_MS = 15_000;

export function startRunner(options: RunnerOptions): Runner {
  const logger = options.logger.child({ region: options.region });
  const pool = createPgPool(options.databaseUrl);
  const checks = createCheckPool({
    threads: options.threads,
    filename: options.workerFilename,
    allowedNetworks: options.allowedNetworks,
    dnsServers: options.dnsServers ?? "",
    extraCaCerts: options.extraCaCerts ?? "",
  });
  const writer = createResultWriter({
    pool,
    logger,
    queueLimit: options.queueLimit,
    tlsExpiryAlertDays: options.alerts.tlsExpiryDays,
  });
  const scheduler = startScheduler({
    pool,
    databaseUrl: options.databaseUrl,
    region: options.region,
    checks,
    writer,
    logger,
    concurrency: options.concurrency,
    maxBodyBytes: options.maxBodyBytes,
    pollIntervalMs: options.pollIntervalMs,
  });
  const retention = startRetention({
    pool,
    retentionDays: options.retentionDays,
    housekeeping: {
      deliveryRetentionDays: options.deliveryRetentionDays ?? 30,
      hourlyRollupRetentionDays: options.hourlyRollupRetentionDays ?? 100,
      pingRetentionDays: options.retentionDays,
    },
    logger,
  });
  const outbox = startOutboxSender({
    pool,
    deps: sendDependencies(options, pool),
    logger,
    retryBaseMs: options.alerts.retryBaseMs,
    retryMaxMs: options.alerts.retryMaxMs,
  });
  const stopReportingMetrics = addRuntimeSource(() => {
    const { running, waiting } = scheduler.inFlightNow();
    return { checksRunning: running, checksWaiting: waiting, writerQueue: writer.stats().queued };
  });
  logger.info({ concurrency: options.concurrency }, "runner started");

  return {
    async stop() {
      retention.stop();
      stopReportingMetrics();
      await scheduler.stop(IN_FLIGHT_GRACE_MS);
      await writer.drain(FLUSH_GRACE_MS);
      writer.stop();
      await outbox.stop();
      await checks.destroy();
      await pool.end();
      logger.info(writer.stats(), "runner stopped");
    },
    stats: () => ({ ...scheduler.stats(), ...writer.stats() }),
    liveness: () => ({
      lastClaimAt: scheduler.lastClaimAt(),
      lastFlushAt: writer.lastProgressAt(),
      lastAlertClaimAt: outbox.stats().lastClaimAt,
      writerQueue: writer.stats().queued,
    }),
  };
}
