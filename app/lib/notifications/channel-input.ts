/** Alert channels: the settings a user may give, shared by forms and the API (isomorphic). */
import { z } from "zod";

export const CHANNEL_TYPES = ["EMAIL", "WEBHOOK", "SLACK", "DISCORD"] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export const CHANNEL_LABEL: Record<ChannelType, string> = {
  EMAIL: "Email",
  WEBHOOK: "Webhook (signed JSON)",
  SLACK: "Slack",
  DISCORD: "Discord",
};

const reminderMinutes = z
  .number({ error: "Reminder interval must be a number of minutes" })
  .int("Use whole minutes")
  .min(5, "Remind at most every 5 minutes")
  .max(1440, "Remind at least once a day")
  .nullable();

const base = {
  name: z.string().trim().min(1, "Name the channel").max(100, "At most 100 characters"),
  isDefault: z.boolean(),
  reminderMinutes,
};

export const webhookUrl = z
  .string()
  .trim()
  .max(2048, "At most 2048 characters")
  .superRefine((value, ctx) => {
    try {
      const url = new URL(value);
      if (url.protocol !== "https:" && url.protocol !== "http:")
        ctx.addIssue({ code: "custom", message: "Use an http(s) URL" });
    } catch {
      ctx.addIssue({ code: "custom", message: "Enter the webhook URL, e.g. https://hooks.slack.com/services/…" });
    }
  });

export const emailTarget = z
  .string()
  .trim()
  .pipe(z.email("Enter an email address"))
  .transform((value) => value.toLowerCase());

export const CreateChannelInput = z.discriminatedUnion("type", [
  z
    .object({ type: z.literal("EMAIL"), target: emailTarget, ...base })
    .partial({ isDefault: true, reminderMinutes: true }),
  z
    .object({ type: z.literal("WEBHOOK"), target: webhookUrl, ...base })
    .partial({ isDefault: true, reminderMinutes: true }),
  z
    .object({ type: z.literal("SLACK"), target: webhookUrl, ...base })
    .partial({ isDefault: true, reminderMinutes: true }),
  z
    .object({ type: z.literal("DISCORD"), target: webhookUrl, ...base })
    .partial({ isDefault: true, reminderMinutes: true }),
]);
export type CreateChannelInput = z.input<typeof CreateChannelInput>;

export const ChannelId = z.object({ id: z.string().trim().min(1).max(64) });

export const UpdateChannelInput = ChannelId.extend({
  name: base.name.optional(),
  isDefault: base.isDefault.optional(),
  reminderMinutes: reminderMinutes.optional(),
  /** A new target (URL or address); omit to keep the stored one. */
  target: z.string().trim().max(2048).optional(),
});

export const DeliveriesInput = z.object({
  channelId: z.string().trim().min(1).max(64).optional(),
  monitorId: z.string().trim().min(1).max(64).optional(),
});
