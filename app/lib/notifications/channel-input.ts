/**
 * Alert channels: what a user may give for each type, shared by forms and the API
 * (isomorphic), and how it maps to what is stored (core/outbox/channel-types.ts: a
 * target URL or address, one secret, other settings).
 */
import { z } from "zod";
import {
  CHANNEL_LABEL,
  CHANNEL_TYPES,
  DEFAULT_BASE_URL,
  type ChannelType,
} from "../../../core/outbox/channel-types.ts";

export { CHANNEL_LABEL, CHANNEL_TYPES, type ChannelType };

const reminderMinutes = z
  .number({ error: "Reminder interval must be a number of minutes" })
  .int("Use whole minutes")
  .min(5, "Remind at most every 5 minutes")
  .max(1440, "Remind at least once a day")
  .nullable();

const base = {
  name: z.string().trim().min(1, "Name the channel").max(100, "At most 100 characters"),
  isDefault: z.boolean().optional(),
  reminderMinutes: reminderMinutes.optional(),
};

/** An http(s) URL without credentials in it (those go in the type's token field). */
const httpUrl = (missing: string) =>
  z
    .string()
    .trim()
    .max(2048, "At most 2048 characters")
    .superRefine((value, ctx) => {
      try {
        const url = new URL(value);
        if (url.protocol !== "https:" && url.protocol !== "http:")
          ctx.addIssue({ code: "custom", message: "Use an http(s) URL" });
        else if (url.username || url.password)
          ctx.addIssue({ code: "custom", message: "Leave credentials out of the URL" });
      } catch {
        ctx.addIssue({ code: "custom", message: missing });
      }
    });

export const webhookUrl = httpUrl("Enter the URL, e.g. https://hooks.slack.com/services/…");

/** A service's address (a self-hosted server, another region). */
const serviceUrl = (example: string) => httpUrl(`Enter the server's URL, e.g. ${example}`);

export const emailTarget = z
  .string()
  .trim()
  .pipe(z.email("Enter an email address"))
  .transform((value) => value.toLowerCase());

/** A credential as services issue them: printable, no spaces. */
const credential = (label: string, pattern?: RegExp, hint?: string) => {
  const schema = z
    .string({ error: `Enter the ${label}` })
    .trim()
    .min(1, `Enter the ${label}`)
    .max(512, `The ${label} is at most 512 characters`)
    .regex(/^[\x21-\x7e]+$/, `The ${label} has no spaces or line breaks`);
  return pattern ? schema.regex(pattern, hint ?? `That is not a ${label}`) : schema;
};

/** Each type's own fields, by the names the forms and the API use. */
export const CHANNEL_FIELDS = {
  EMAIL: { target: emailTarget },
  WEBHOOK: { target: webhookUrl },
  SLACK: { target: webhookUrl },
  DISCORD: { target: webhookUrl },
  TEAMS: { target: webhookUrl },
  GOOGLE_CHAT: { target: webhookUrl },
  TELEGRAM: {
    botToken: credential("bot token", /^\d{3,20}:[A-Za-z0-9_-]{20,}$/, "A bot token from @BotFather, like 123456:AAH…"),
    chatId: z
      .string({ error: "Enter the chat id" })
      .trim()
      .regex(/^(?:-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/, "A chat id (like -1001234567890) or a @channel name"),
    apiUrl: serviceUrl("https://api.telegram.org").optional(),
  },
  MATRIX: {
    homeserverUrl: serviceUrl("https://matrix.org"),
    roomId: z
      .string({ error: "Enter the room id" })
      .trim()
      .regex(/^![^:\s]{1,200}:[^\s]{1,255}$/, "A room id like !abcdef:matrix.org (Room settings → Advanced)"),
    accessToken: credential("access token"),
  },
  NTFY: {
    serverUrl: serviceUrl("https://ntfy.sh").optional(),
    topic: z
      .string({ error: "Enter the topic" })
      .trim()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, "Topics use letters, digits, _ and -, up to 64 characters"),
    token: credential("access token").optional(),
  },
  PUSHOVER: {
    appToken: credential(
      "application token",
      /^[A-Za-z0-9]{30}$/,
      "The application's API token: 30 letters and digits",
    ),
    userKey: credential("user key", /^[A-Za-z0-9]{30}$/, "Your user (or group) key: 30 letters and digits"),
    apiUrl: serviceUrl("https://api.pushover.net").optional(),
  },
  GOTIFY: {
    serverUrl: serviceUrl("https://gotify.example.com"),
    appToken: credential("application token"),
  },
  PAGERDUTY: {
    routingKey: credential(
      "routing key",
      /^[A-Za-z0-9]{32}$/,
      "The 32-character integration key of an Events API v2 integration",
    ),
    apiUrl: serviceUrl("https://events.pagerduty.com").optional(),
  },
  OPSGENIE: {
    apiKey: credential("API key", /^[0-9A-Fa-f-]{32,36}$/, "The API key of an Opsgenie API integration"),
    apiUrl: serviceUrl("https://api.eu.opsgenie.com").optional(),
  },
} as const satisfies Record<ChannelType, z.ZodRawShape>;

/** Fields that hold a credential: never shown again, exported only with secrets. */
export const SECRET_FIELDS: Record<ChannelType, readonly string[]> = {
  EMAIL: [],
  WEBHOOK: ["target"],
  SLACK: ["target"],
  DISCORD: ["target"],
  TEAMS: ["target"],
  GOOGLE_CHAT: ["target"],
  TELEGRAM: ["botToken"],
  MATRIX: ["accessToken"],
  NTFY: ["token"],
  PUSHOVER: ["appToken"],
  GOTIFY: ["appToken"],
  PAGERDUTY: ["routingKey"],
  OPSGENIE: ["apiKey"],
};

const variant = <Type extends ChannelType>(type: Type) =>
  z.object({ type: z.literal(type), ...CHANNEL_FIELDS[type], ...base });

export const CreateChannelInput = z.discriminatedUnion(
  "type",
  [
    variant("EMAIL"),
    variant("WEBHOOK"),
    variant("SLACK"),
    variant("DISCORD"),
    variant("TEAMS"),
    variant("GOOGLE_CHAT"),
    variant("TELEGRAM"),
    variant("MATRIX"),
    variant("NTFY"),
    variant("PUSHOVER"),
    variant("GOTIFY"),
    variant("PAGERDUTY"),
    variant("OPSGENIE"),
  ],
  { error: `Type is one of ${CHANNEL_TYPES.join(", ")}` },
);
export type CreateChannelInput = z.input<typeof CreateChannelInput>;
type CreateOutput = z.output<typeof CreateChannelInput>;

/** What is stored for a channel: where requests go, its one credential, its other settings. */
export interface StoredChannel {
  type: ChannelType;
  target: string;
  secret: string | null;
  settings: Record<string, string>;
}

/** A create (or a merged update) as stored (pure). */
export function storedChannelOf(input: CreateOutput): StoredChannel {
  const baseUrl = (given: string | undefined) => given ?? DEFAULT_BASE_URL[input.type]!;
  switch (input.type) {
    case "EMAIL":
    case "WEBHOOK":
    case "SLACK":
    case "DISCORD":
    case "TEAMS":
    case "GOOGLE_CHAT":
      return { type: input.type, target: input.target, secret: null, settings: {} };
    case "TELEGRAM":
      return {
        type: input.type,
        target: baseUrl(input.apiUrl),
        secret: input.botToken,
        settings: { chatId: input.chatId },
      };
    case "MATRIX":
      return {
        type: input.type,
        target: input.homeserverUrl,
        secret: input.accessToken,
        settings: { roomId: input.roomId },
      };
    case "NTFY":
      return {
        type: input.type,
        target: baseUrl(input.serverUrl),
        secret: input.token ?? null,
        settings: { topic: input.topic },
      };
    case "PUSHOVER":
      return {
        type: input.type,
        target: baseUrl(input.apiUrl),
        secret: input.appToken,
        settings: { userKey: input.userKey },
      };
    case "GOTIFY":
      return { type: input.type, target: input.serverUrl, secret: input.appToken, settings: {} };
    case "PAGERDUTY":
      return { type: input.type, target: baseUrl(input.apiUrl), secret: input.routingKey, settings: {} };
    case "OPSGENIE":
      return { type: input.type, target: baseUrl(input.apiUrl), secret: input.apiKey, settings: {} };
  }
}

/** The type's own fields of a stored channel, by their API names (pure); the inverse of storedChannelOf. */
export function channelFieldsOf(stored: StoredChannel): Record<string, string | undefined> {
  const setting = (name: string) => stored.settings[name];
  const secret = stored.secret ?? undefined;
  /** A default base URL is left out, so it keeps following the default. */
  const custom = stored.target === DEFAULT_BASE_URL[stored.type] ? undefined : stored.target;
  switch (stored.type) {
    case "EMAIL":
    case "WEBHOOK":
    case "SLACK":
    case "DISCORD":
    case "TEAMS":
    case "GOOGLE_CHAT":
      return { target: stored.target };
    case "TELEGRAM":
      return { botToken: secret, chatId: setting("chatId"), apiUrl: custom };
    case "MATRIX":
      return { homeserverUrl: stored.target, roomId: setting("roomId"), accessToken: secret };
    case "NTFY":
      return { serverUrl: custom, topic: setting("topic"), token: secret };
    case "PUSHOVER":
      return { appToken: secret, userKey: setting("userKey"), apiUrl: custom };
    case "GOTIFY":
      return { serverUrl: stored.target, appToken: secret };
    case "PAGERDUTY":
      return { routingKey: secret, apiUrl: custom };
    case "OPSGENIE":
      return { apiKey: secret, apiUrl: custom };
  }
}

export const ChannelId = z.object({ id: z.string().trim().min(1).max(64) });

const optionalField = z.string().trim().max(2048).optional();

/** Every type's own fields, optional: an update names only what changes (a secret left out is kept). */
export const UpdateChannelInput = ChannelId.extend({
  name: base.name.optional(),
  isDefault: z.boolean().optional(),
  reminderMinutes: reminderMinutes.optional(),
  target: optionalField,
  botToken: optionalField,
  chatId: optionalField,
  apiUrl: optionalField,
  homeserverUrl: optionalField,
  roomId: optionalField,
  accessToken: optionalField,
  serverUrl: optionalField,
  topic: optionalField,
  token: optionalField,
  appToken: optionalField,
  userKey: optionalField,
  routingKey: optionalField,
  apiKey: optionalField,
});
export type UpdateChannelInput = z.input<typeof UpdateChannelInput>;

export const DeliveriesInput = z.object({
  channelId: z.string().trim().min(1).max(64).optional(),
  monitorId: z.string().trim().min(1).max(64).optional(),
});
