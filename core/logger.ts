import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

/** Keys whose values are secrets, at any depth: `{ channel: { target: { headers: { authorization } } } }`. */
const SECRET_KEY =
  /^(password|passwordHash|newPassword|currentPassword|token|secret|signingSecret|authorization|proxy-authorization|cookie|set-cookie|databaseUrl|smtpUrl|sessionSecret|apiKey|api_key|accessToken|refreshToken|clientSecret|botToken|appToken|routingKey|routing_key|x-gotify-key)$/i;
const MAX_DEPTH = 8;

/** A copy of `value` with every secret-named field, at any depth, replaced (pure). */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== "object" || value instanceof Date) return value;
  if (value instanceof Error) return value; // pino's error serializer: message and stack only
  if (depth >= MAX_DEPTH) return "[too deep]";
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] =
      SECRET_KEY.test(key) && field !== undefined && field !== null ? "[redacted]" : redactSecrets(field, depth + 1);
  }
  return copy;
}

/**
 * Structured JSON logs. Secrets are redacted by key wherever they appear, however deep,
 * so a careless `log.info({ channel })` cannot leak a session cookie, an API token or a
 * webhook's signing secret.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      formatters: { log: (object) => redactSecrets(object) as Record<string, unknown> },
    },
    destination,
  );
}
