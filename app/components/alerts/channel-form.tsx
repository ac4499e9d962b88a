import { Link } from "@remix-run/react";
import { IntentForm } from "~/components/ui/intent-form.tsx";
import { Button, Field } from "~/components/ui/form.tsx";
import { CHANNEL_LABEL, CHANNEL_TYPES, type ChannelType } from "~/lib/notifications/channel-input.ts";

interface ChannelField {
  name: string;
  label: string;
  placeholder: string;
  /** A credential: typed into a password field, never shown again. */
  secret?: boolean;
  optional?: boolean;
  hint?: string;
}

/** Each type's own fields, in the order a user finds them in the service. */
export const CHANNEL_FORM: Record<ChannelType, ChannelField[]> = {
  EMAIL: [{ name: "target", label: "Email address", placeholder: "oncall@example.com" }],
  WEBHOOK: [{ name: "target", label: "Webhook URL", placeholder: "https://example.com/hooks/uptime" }],
  SLACK: [{ name: "target", label: "Incoming webhook URL", placeholder: "https://hooks.slack.com/services/…" }],
  DISCORD: [{ name: "target", label: "Webhook URL", placeholder: "https://discord.com/api/webhooks/…" }],
  TEAMS: [
    {
      name: "target",
      label: "Workflow webhook URL",
      placeholder: "https://….logic.azure.com/workflows/…",
      hint: 'In the channel: Workflows → "Post to a channel when a webhook request is received".',
    },
  ],
  GOOGLE_CHAT: [
    { name: "target", label: "Webhook URL", placeholder: "https://chat.googleapis.com/v1/spaces/…/messages?key=…" },
  ],
  TELEGRAM: [
    {
      name: "botToken",
      label: "Bot token",
      placeholder: "123456:AAH…",
      secret: true,
      hint: "From @BotFather. Add the bot to the chat first.",
    },
    { name: "chatId", label: "Chat id", placeholder: "-1001234567890 or @channelname" },
    { name: "apiUrl", label: "Bot API server", placeholder: "https://api.telegram.org", optional: true },
  ],
  MATRIX: [
    { name: "homeserverUrl", label: "Homeserver", placeholder: "https://matrix.org" },
    { name: "roomId", label: "Room id", placeholder: "!abcdef:matrix.org", hint: "Room settings → Advanced." },
    { name: "accessToken", label: "Access token", placeholder: "syt_…", secret: true },
  ],
  NTFY: [
    { name: "serverUrl", label: "Server", placeholder: "https://ntfy.sh", optional: true },
    { name: "topic", label: "Topic", placeholder: "acme-alerts" },
    { name: "token", label: "Access token", placeholder: "tk_…", secret: true, optional: true },
  ],
  PUSHOVER: [
    { name: "userKey", label: "User or group key", placeholder: "uQiRzpo4DXghDmr9QzzfQu27cmVRsG" },
    { name: "appToken", label: "Application token", placeholder: "azGDORePK8gMaC0QOYAMyEEuzJnyUi", secret: true },
    { name: "apiUrl", label: "API server", placeholder: "https://api.pushover.net", optional: true },
  ],
  GOTIFY: [
    { name: "serverUrl", label: "Server", placeholder: "https://gotify.example.com" },
    { name: "appToken", label: "Application token", placeholder: "AbCdEf…", secret: true },
  ],
  PAGERDUTY: [
    {
      name: "routingKey",
      label: "Integration key",
      placeholder: "32 characters",
      secret: true,
      hint: "Of an Events API v2 integration on the service. Incidents resolve in PagerDuty when the monitor is up.",
    },
    {
      name: "apiUrl",
      label: "Events API",
      placeholder: "https://events.pagerduty.com",
      optional: true,
      hint: "EU accounts: https://events.eu.pagerduty.com",
    },
  ],
  OPSGENIE: [
    { name: "apiKey", label: "API key", placeholder: "xxxxxxxx-xxxx-…", secret: true, hint: "Of an API integration." },
    {
      name: "apiUrl",
      label: "API",
      placeholder: "https://api.opsgenie.com",
      optional: true,
      hint: "EU accounts: https://api.eu.opsgenie.com",
    },
  ],
};

/** The create input a form's fields make for a type: its own fields (blank optional ones left out). */
export function channelInputFromForm(type: ChannelType, fields: Record<string, string | undefined>) {
  const own = Object.fromEntries(
    CHANNEL_FORM[type].flatMap((field) => {
      const value = fields[field.name]?.trim() ?? "";
      return value === "" && field.optional ? [] : [[field.name, value]];
    }),
  );
  return {
    ...own,
    type,
    name: fields.name ?? "",
    isDefault: fields.isDefault === "on",
    reminderMinutes: fields.reminderMinutes ? Number(fields.reminderMinutes) : null,
  };
}

/** "Add a channel": a tab per type (`?type=`, works without JavaScript), then the type's fields. */
export function NewChannelForm({
  type,
  errors,
}: {
  type: ChannelType;
  errors: Record<string, string[] | undefined> | undefined;
}) {
  return (
    <section
      aria-labelledby="new-channel"
      className="flex flex-col gap-4 rounded-lg border border-slate-200 p-6 dark:border-slate-800"
    >
      <h2 id="new-channel" className="text-lg font-semibold">
        Add a channel
      </h2>
      <nav aria-label="Channel type" className="flex flex-wrap gap-2 text-sm">
        {CHANNEL_TYPES.map((value) => (
          <Link
            key={value}
            to={`?type=${value.toLowerCase()}#new-channel`}
            preventScrollReset
            aria-current={value === type ? "page" : undefined}
            className="rounded-md border border-slate-300 px-2.5 py-1 aria-[current=page]:border-emerald-600 aria-[current=page]:bg-emerald-50 aria-[current=page]:font-medium dark:border-slate-700 dark:aria-[current=page]:bg-emerald-950"
          >
            {CHANNEL_LABEL[value]}
          </Link>
        ))}
      </nav>
      {/* Posted back to its own tab, so field errors show beside the fields they are about. */}
      <IntentForm
        intent="create"
        fields={{ type }}
        action={`?type=${type.toLowerCase()}`}
        className="grid gap-4 sm:grid-cols-2"
        noValidate
        key={type}
      >
        <Field label="Name" name="name" placeholder="On-call team" errors={errors?.name} />
        {CHANNEL_FORM[type].map((field) => (
          <Field
            key={field.name}
            label={field.optional ? `${field.label} (optional)` : field.label}
            name={field.name}
            type={field.secret ? "password" : "text"}
            autoComplete="off"
            placeholder={field.placeholder}
            hint={field.hint}
            errors={errors?.[field.name]}
          />
        ))}
        <Field
          label="Remind every (minutes, while down)"
          name="reminderMinutes"
          type="number"
          min={5}
          max={1440}
          placeholder="off"
          errors={errors?.reminderMinutes}
        />
        <label className="flex items-center gap-2 self-end text-sm font-medium">
          <input type="checkbox" name="isDefault" /> Add to new monitors
        </label>
        <div className="sm:col-span-2">
          <Button>Add {CHANNEL_LABEL[type]} channel</Button>
        </div>
      </IntentForm>
    </section>
  );
}
