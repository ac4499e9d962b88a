import { z } from "zod";
import { connectionSettingsFromUrl } from "./connection.mjs";
import { StartupError } from "./errors.ts";
import { parseAllowedNetworks } from "./net/target-policy.ts";

const port = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(0, `${name} must be between 0 and 65535`)
    .max(65535, `${name} must be between 0 and 65535`);

const databaseUrl = z
  .string()
  .trim()
  .min(1)
  .superRefine((value, ctx) => {
    try {
      connectionSettingsFromUrl(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
    }
  });

/** Every environment variable the app reads. Documented in README.md and .env.example. */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().trim().min(1).default("127.0.0.1"),
  PORT: port("PORT").default(3000),
  DATABASE_URL: databaseUrl.optional(),
  /** A streaming replica for reads that may lag a little (public pages, dashboard lists). */
  DATABASE_REPLICA_URL: databaseUrl.optional(),
  /** Past this lag (or unreachable), reads go to the primary instead of the replica. */
  REPLICA_MAX_LAG_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
  DATA_DIR: z.string().trim().min(1).default(".data"),
  EMBEDDED_POSTGRES_PORT: port("EMBEDDED_POSTGRES_PORT").default(0),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Networks monitors may reach although not public (SSRF policy). See loadEnv for the default. */
  ALLOWED_TARGET_NETWORKS: z.string().optional(),
  /** Run a check runner inside `npm start` (web + runner in one process tree). */
  RUNNER_ENABLED: z.stringbool({ error: "RUNNER_ENABLED must be true or false" }).default(true),
  /** This runner's region; monitors list the regions that check them. */
  REGION: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "REGION must be lowercase letters, digits and -, up to 32 characters")
    .default("default"),
  /** Checks one runner keeps in flight at once. */
  RUNNER_CONCURRENCY: z.coerce.number().int().min(1).max(100_000).default(2_000),
  /** Worker threads running checks; 0 means one per CPU core. */
  CHECK_WORKER_THREADS: z.coerce.number().int().min(0).max(256).default(0),
  /** Response bodies are read up to this many bytes (keyword checks look no further). */
  CHECK_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  /** Raw check results older than this are deleted; rollups keep the history. */
  RESULTS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Results kept in memory while the database is unreachable; beyond it the oldest are dropped. */
  RESULT_QUEUE_LIMIT: z.coerce.number().int().min(100).max(10_000_000).default(100_000),
  /** Alert when a monitored site's TLS certificate expires within this many days. */
  ALERT_TLS_EXPIRY_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  /** Longest wait between retries of a failing alert delivery (retries continue for 24 h). */
  ALERT_RETRY_MAX_SECONDS: z.coerce.number().int().min(1).max(3600).default(600),
  /** The public URL of this instance, for links in emails and OAuth callbacks. Default: http://HOST:PORT. */
  APP_URL: z.url({ protocol: /^https?$/, error: "APP_URL must be an http(s) URL" }).optional(),
  /**
   * Behind reverse proxies: how many (a hop count; `true` means 1) or which (IPs/CIDRs, or
   * Express's names loopback, linklocal, uniquelocal), so the client address is read from
   * X-Forwarded-For only as far as they wrote it. Never "trust every hop": any client
   * could then pick its own address and sidestep per-address rate limits.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .default("false")
    .transform((value, ctx): number | string[] | false => {
      const lower = value.toLowerCase();
      if (lower === "false" || lower === "0" || lower === "") return false;
      if (lower === "true") return 1;
      if (/^\d+$/.test(lower)) return Number(lower);
      const entries = lower.split(",").map((entry) => entry.trim());
      const valid = entries.every(
        (entry) => ["loopback", "linklocal", "uniquelocal"].includes(entry) || isCidrOrIp(entry),
      );
      if (valid) return entries;
      ctx.addIssue({
        code: "custom",
        message:
          "TRUST_PROXY must be false, a number of proxies (e.g. 1), or their IPs/CIDRs (e.g. 10.0.0.0/8,loopback)",
      });
      return z.NEVER;
    }),
  /** Signs session cookies. Required in production (32+ characters). */
  SESSION_SECRET: z.string().min(32, "SESSION_SECRET must be at least 32 characters").optional(),
  /** Outgoing mail, e.g. smtp://user:pass@smtp.example.com:587. Unset: links go to the server log. */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "SMTP_URL must look like smtp://user:password@host:port" }).optional(),
  MAIL_FROM: z.string().min(3).default("Better Uptime <no-reply@localhost>"),
  /** GitHub OAuth app; GitHub sign-in is offered when both are set. */
  GITHUB_CLIENT_ID: z.string().min(1).optional(),
  GITHUB_CLIENT_SECRET: z.string().min(1).optional(),
  /** GitHub's endpoints; tests point them at a local stand-in. */
  GITHUB_AUTHORIZE_URL: z.url().default("https://github.com/login/oauth/authorize"),
  GITHUB_TOKEN_URL: z.url().default("https://github.com/login/oauth/access_token"),
  GITHUB_API_URL: z.url().default("https://api.github.com"),
  /** DNS servers for checks, alert deliveries and custom-domain verification: IPs with an optional port, e.g. "127.0.0.1:5353". Default: the system's. */
  DNS_SERVERS: z
    .string()
    .trim()
    .regex(
      /^[0-9a-fA-F.:[\]]+(,\s*[0-9a-fA-F.:[\]]+)*$/,
      "DNS_SERVERS must be comma-separated IP addresses (with an optional :port)",
    )
    .optional(),
  /** A PEM file of certificate authorities checks trust besides the usual ones (a private CA for internal services). */
  EXTRA_CA_CERTS: z.string().trim().min(1).optional(),
  /** Sent and failed alert deliveries (the delivery log) are kept this many days. */
  DELIVERY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Hourly rollups (charts, window edges) are kept this many days; daily rollups are kept for good. */
  HOURLY_ROLLUP_RETENTION_DAYS: z.coerce.number().int().min(31).max(3650).default(100),
  /** Per-account quotas (clear errors when reached). */
  MAX_MONITORS_PER_USER: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  MAX_CHANNELS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(50),
  MAX_STATUS_PAGES_PER_USER: z.coerce.number().int().min(1).max(10_000).default(50),
  MAX_API_TOKENS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(25),
  MAX_MAINTENANCE_WINDOWS_PER_USER: z.coerce.number().int().min(1).max(100_000).default(200),
  /** Live dashboard streams (GET /monitors/events) open at once per user and per web process; past them: 429. */
  LIVE_STREAMS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(20),
  LIVE_STREAMS_PER_PROCESS: z.coerce.number().int().min(1).max(1_000_000).default(2_000),
  /** /healthz turns 503 when a runner loop has made no progress for this long. */
  HEALTH_STALL_SECONDS: z.coerce.number().int().min(2).max(3600).default(60),
  /** Pinged (GET) every HEARTBEAT_INTERVAL_SECONDS while the app is healthy: a dead man's switch. */
  HEARTBEAT_URL: z.url({ protocol: /^https?$/, error: "HEARTBEAT_URL must be an http(s) URL" }).optional(),
  HEARTBEAT_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Where `npm run db:backup` writes. Default: DATA_DIR/backups. */
  BACKUP_DIR: z.string().trim().min(1).optional(),
  /** `npm run db:backup` keeps this many backups (the newest), deleting older ones. */
  BACKUP_KEEP: z.coerce.number().int().min(1).max(10_000).default(7),
  /** When set, GET /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().trim().min(16, "METRICS_TOKEN must be at least 16 characters").optional(),
  /** `npm run runner` serves /metrics on this port (on HOST); unset: no metrics server. */
  METRICS_PORT: port("METRICS_PORT").optional(),
  /** Host names of this instance besides APP_URL's and HOST: never accepted as custom domains. */
  RESERVED_HOSTNAMES: z
    .string()
    .trim()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((name) => name.trim().toLowerCase())
        .filter(Boolean),
    ),
  /** Host name custom domains point their CNAME at. Default: APP_URL's host. */
  STATUS_PAGE_CNAME: z.string().trim().min(1).optional(),
});

export type Env = Omit<
  z.infer<typeof EnvSchema>,
  "ALLOWED_TARGET_NETWORKS" | "APP_URL" | "SESSION_SECRET" | "STATUS_PAGE_CNAME"
> & {
  /** Default: APP_URL's host name. */
  STATUS_PAGE_CNAME: string;
  /** Parsed. Default: none in production; loopback (127.0.0.0/8, ::1) otherwise. */
  ALLOWED_TARGET_NETWORKS: ReturnType<typeof parseAllowedNetworks>;
  /** Without a trailing slash. */
  APP_URL: string;
  SESSION_SECRET: string;
};

function isCidrOrIp(entry: string): boolean {
  try {
    parseAllowedNetworks(entry);
    return true;
  } catch {
    return false;
  }
}

/**
 * Placeholder when SESSION_SECRET is unset outside production: the server replaces it at
 * boot with a random secret kept in DATA_DIR (session-secret.server.ts); only code that
 * never boots (tests) signs with it. Production refuses to start without SESSION_SECRET.
 */
export const DEVELOPMENT_SESSION_SECRET = "development-only-session-secret-do-not-use-in-production";

const DEVELOPMENT_TARGET_NETWORKS = "127.0.0.0/8,::1/128";

/**
 * Validates the environment once, at boot. A bad value stops the process with one line
 * naming the variable, e.g. `DATABASE_URL is not a URL (…)`.
 */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  // An empty variable means "not set", as in most shells' `VAR= cmd` — except the
  // allowed networks, where empty means "none".
  const present = Object.fromEntries(
    Object.entries(source).filter(([name, value]) => value !== "" || name === "ALLOWED_TARGET_NETWORKS"),
  );
  const result = EnvSchema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
    throw invalid(problems.join("; "));
  }
  const networks =
    result.data.ALLOWED_TARGET_NETWORKS ?? (result.data.NODE_ENV === "production" ? "" : DEVELOPMENT_TARGET_NETWORKS);
  let allowedNetworks: ReturnType<typeof parseAllowedNetworks>;
  try {
    allowedNetworks = parseAllowedNetworks(networks);
  } catch (error) {
    throw invalid(`ALLOWED_TARGET_NETWORKS has ${(error as Error).message}`);
  }
  const env = result.data;
  if (env.NODE_ENV === "production" && !env.SESSION_SECRET) {
    throw invalid("SESSION_SECRET is required in production (32+ random characters, e.g. `openssl rand -hex 32`)");
  }
  const host = env.HOST.includes(":") ? `[${env.HOST}]` : env.HOST;
  const appUrl = (env.APP_URL ?? `http://${host}:${env.PORT}`).replace(/\/+$/, "");
  return {
    ...env,
    ALLOWED_TARGET_NETWORKS: allowedNetworks,
    APP_URL: appUrl,
    STATUS_PAGE_CNAME: env.STATUS_PAGE_CNAME ?? new URL(appUrl).hostname,
    SESSION_SECRET: env.SESSION_SECRET ?? DEVELOPMENT_SESSION_SECRET,
  };
}

function invalid(problem: string): StartupError {
  return new StartupError(`Invalid configuration: ${problem}. See README.md, "Configuration".`);
}
