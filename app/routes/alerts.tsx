import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { DeliveryLog } from "~/components/alerts/delivery-log.tsx";
import { Alert } from "~/components/ui/form.tsx";
import { RowAction } from "~/components/ui/intent-form.tsx";
import { useLiveData } from "~/components/use-live-data.ts";
import { CHANNEL_LABEL, CHANNEL_TYPES, type CreateChannelInput } from "~/lib/notifications/channel-input.ts";
import { channelInputFromForm, NewChannelForm } from "~/components/alerts/channel-form.tsx";
import { actionError, formFields } from "~/web/forms/action-result.server.ts";
import { requireCaller } from "~/trpc/caller.server.ts";
import { PageShell } from "~/components/ui/page-shell.tsx";
import { Section } from "~/components/ui/section.tsx";
import { passRetryAfter } from "~/lib/pass-retry-after.ts";
import { readForm } from "~/web/forms/read-form.server.ts";

/** A form refused by a spent rate limit says when to try again (Retry-After), as /api/trpc does. */
export const headers = passRetryAfter;

export const meta: MetaFunction = () => [{ title: "Alerts · Better Uptime" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requireCaller(context, request);
  const asked = new URL(request.url).searchParams.get("type")?.toUpperCase();
  const type = CHANNEL_TYPES.find((value) => value === asked) ?? "EMAIL";
  const [channels, deliveries] = await Promise.all([api.notification.list(), api.notification.deliveries({})]);
  return { channels, deliveries, type, now: Date.now() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireCaller(context, request);
  const fields = formFields(await readForm(request));
  const intent = fields.intent ?? "";
  try {
    switch (intent) {
      case "create": {
        const type = CHANNEL_TYPES.find((value) => value === fields.type) ?? "EMAIL";
        // The procedure's zod schema checks each field of the type (and names the one at fault).
        const created = await api.notification.create(channelInputFromForm(type, fields) as CreateChannelInput);
        return {
          intent,
          message: `Channel "${created.name}" added.`,
          signingSecret: created.signingSecret,
        };
      }
      case "test":
        await api.notification.test({ id: fields.id ?? "" });
        return { intent, message: "Test alert queued: watch the log below." };
      case "toggleDefault":
        await api.notification.update({ id: fields.id ?? "", isDefault: fields.isDefault === "true" });
        return { intent, message: "Saved." };
      case "rotate": {
        const { signingSecret } = await api.notification.rotateSecret({ id: fields.id ?? "" });
        return { intent, message: "New signing secret: update your receiver.", signingSecret };
      }
      case "delete":
        await api.notification.delete({ id: fields.id ?? "" });
        return { intent, message: "Channel removed." };
      default:
        throw new Response("Unknown action", { status: 400 });
    }
  } catch (error) {
    if (error instanceof Response) throw error;
    return actionError(error, { intent });
  }
}

export default function Alerts() {
  const { channels, deliveries, type, now } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  useLiveData(5_000);
  const createErrors = result?.intent === "create" && "fieldErrors" in result ? result.fieldErrors : undefined;
  return (
    <PageShell title="Alerts">
      {result && "message" in result && result.message ? <Alert tone="success">{result.message}</Alert> : null}
      {result && "signingSecret" in result && result.signingSecret ? (
        <Alert tone="warning">
          Signing secret (shown once — copy it to your receiver):{" "}
          <output aria-label="Signing secret" className="break-all font-mono">
            {result.signingSecret}
          </output>
        </Alert>
      ) : null}
      {result && "formError" in result && result.formError ? <Alert tone="error">{result.formError}</Alert> : null}

      <Section id="channels" title="Channels">
        {channels.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            No channels yet: add one below, then choose it on your monitors.
          </p>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
            {channels.map((channel) => (
              <li key={channel.id} className="flex flex-wrap items-center justify-between gap-3 p-4 text-sm">
                <div className="min-w-0">
                  <div className="font-medium">
                    {channel.name} <span className="text-slate-500">· {CHANNEL_LABEL[channel.type]}</span>
                    {channel.isDefault ? (
                      <span className="ml-2 rounded bg-emerald-100 px-1.5 py-0.5 text-xs text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100">
                        default
                      </span>
                    ) : null}
                    {channel.awaitingConfirmation ? (
                      <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900 dark:bg-amber-900 dark:text-amber-100">
                        waiting for the recipient to confirm
                      </span>
                    ) : null}
                  </div>
                  <div className="truncate text-slate-600 dark:text-slate-400">
                    {[channel.target, ...Object.values(channel.settings)].join(" · ")}
                    {channel.reminderMinutes ? ` · reminds every ${channel.reminderMinutes} min while down` : ""}
                  </div>
                </div>
                <div className="flex flex-wrap gap-2">
                  {(
                    [
                      ["test", "Send test"],
                      ["toggleDefault", channel.isDefault ? "Not default" : "Make default"],
                      ...(channel.type === "WEBHOOK" ? [["rotate", "New secret"] as const] : []),
                      ["delete", "Delete"],
                    ] satisfies (readonly [intent: string, label: string])[]
                  ).map(([intent, label]) => (
                    <RowAction
                      key={intent}
                      intent={intent}
                      fields={{ id: channel.id, isDefault: String(!channel.isDefault) }}
                      variant={intent === "delete" ? "danger" : "secondary"}
                      aria-label={`${label}: ${channel.name}`}
                    >
                      {label}
                    </RowAction>
                  ))}
                </div>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <NewChannelForm type={type} errors={createErrors} />

      <Section id="log" title="Delivery log">
        <DeliveryLog deliveries={deliveries} now={now} />
      </Section>
    </PageShell>
  );
}

export { ErrorBoundary } from "~/components/route-error.tsx";
