import { DateTime } from "~/components/ui/date-time.tsx";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Alert, Button, Field } from "~/components/ui/form.tsx";
import { RowAction } from "~/components/ui/intent-form.tsx";
import { actionError, formFields } from "~/web/forms/action-result.server.ts";
import { requireCaller } from "~/trpc/caller.server.ts";
import { PageShell } from "~/components/ui/page-shell.tsx";
import { MonitorChoices } from "~/components/maintenance/monitor-choices.tsx";
import { RecurringForm, RecurringList } from "~/components/maintenance/recurring-maintenance.tsx";
import { scheduleFromForm } from "~/lib/status-pages/recurrence-form.ts";
import { readTimeZone } from "~/web/time-zone-cookie.server.ts";
import { passRetryAfter } from "~/lib/pass-retry-after.ts";
import { readForm } from "~/web/forms/read-form.server.ts";

/** A form refused by a spent rate limit says when to try again (Retry-After), as /api/trpc does. */
export const headers = passRetryAfter;

export const meta: MetaFunction = () => [{ title: "Maintenance · Better Uptime" }];

/** `datetime-local` values carry no zone: this form speaks UTC, and says so. */
const fromUtcInput = (value: string | undefined) => (value ? `${value}:00Z` : "");
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requireCaller(context, request);
  const [windows, recurring, monitors] = await Promise.all([
    api.maintenance.list(),
    api.maintenance.recurring(),
    api.monitor.list(),
  ]);
  return {
    windows,
    recurring,
    monitors: monitors.map(({ id, name, url }) => ({ id, name: name ?? url })),
    timeZone: readTimeZone(request),
    now: Date.now(),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireCaller(context, request);
  const form = await readForm(request);
  const fields = formFields(form);
  try {
    switch (fields.intent) {
      case "delete":
        await api.maintenance.delete({ id: fields.id ?? "" });
        return { message: "Maintenance window removed." };
      case "deleteRecurring":
        await api.maintenance.deleteRecurring({ id: fields.id ?? "" });
        return { message: "Recurring maintenance ended." };
      case "createRecurring": {
        const when = scheduleFromForm({
          repeat: fields.repeat,
          days: form.getAll("days").map(String),
          dayOfMonth: fields.dayOfMonth,
          time: fields.time,
          cron: fields.cron,
        });
        if ("fieldErrors" in when) {
          return data({ intent: "createRecurring", fieldErrors: when.fieldErrors }, { status: 400 });
        }
        const created = await api.maintenance.createRecurring({
          title: fields.title ?? "",
          description: fields.description ?? "",
          schedule: when.schedule,
          timeZone: fields.timeZone ?? "",
          durationMinutes: Number(fields.durationMinutes),
          monitorIds: form.getAll("monitorIds").map(String),
        });
        return { message: `Recurring maintenance added: ${created.next.length} occurrences shown below.` };
      }
      default:
        await api.maintenance.create({
          title: fields.title ?? "",
          description: fields.description ?? "",
          startsAt: new Date(fromUtcInput(fields.startsAt)),
          endsAt: new Date(fromUtcInput(fields.endsAt)),
          monitorIds: form.getAll("monitorIds").map(String),
        });
        return { message: "Maintenance scheduled: alerts for these monitors are muted during it." };
    }
  } catch (error) {
    return actionError(error, { intent: fields.intent, values: fields });
  }
}

export default function Maintenance() {
  const { windows, recurring, monitors, timeZone, now } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const recurringForm = result && "intent" in result && result.intent === "createRecurring";
  const allErrors = result && "fieldErrors" in result ? result.fieldErrors : undefined;
  const errors = recurringForm ? undefined : allErrors;
  const values = result && "values" in result ? result.values : undefined;
  return (
    <PageShell title="Maintenance windows" crumbs={[{ to: "/status-pages", label: "Status pages" }]}>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        During a window, failing checks of its monitors open no incident: no alerts, and the time does not count as
        downtime. Status pages showing them say &ldquo;maintenance&rdquo;, and their subscribers are told when you
        schedule it.
      </p>
      {result && "message" in result && result.message ? <Alert tone="success">{result.message}</Alert> : null}
      {result && "formError" in result && result.formError ? <Alert tone="error">{result.formError}</Alert> : null}

      {windows.length > 0 ? (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
          {windows.map((window) => {
            const state =
              new Date(window.endsAt).getTime() <= now
                ? "done"
                : new Date(window.startsAt).getTime() <= now
                  ? "in progress"
                  : "scheduled";
            return (
              <li key={window.id} className="flex flex-wrap items-center justify-between gap-3 p-4 text-sm">
                <div>
                  <div className="font-medium">
                    {window.title} <span className="font-normal text-slate-500">· {state}</span>
                  </div>
                  <div className="text-slate-600 dark:text-slate-400">
                    <DateTime value={window.startsAt} /> – <DateTime value={window.endsAt} /> ·{" "}
                    {window.monitors.map((m) => m.name).join(", ")}
                  </div>
                </div>
                <RowAction
                  intent="delete"
                  fields={{ id: window.id }}
                  variant="secondary"
                  aria-label={`Remove ${window.title}`}
                >
                  Remove
                </RowAction>
              </li>
            );
          })}
        </ul>
      ) : null}

      <section
        aria-labelledby="new-window"
        className="flex flex-col gap-4 rounded-lg border border-slate-200 p-6 dark:border-slate-800"
      >
        <h2 id="new-window" className="text-lg font-semibold">
          Schedule maintenance
        </h2>
        <Form method="post" className="grid gap-4 sm:grid-cols-2" noValidate>
          <Field label="Title" name="title" defaultValue={values?.title} errors={errors?.title} />
          <Field
            label="Description (shown publicly)"
            name="description"
            defaultValue={values?.description}
            errors={errors?.description}
          />
          <Field
            label="Starts (UTC)"
            name="startsAt"
            type="datetime-local"
            defaultValue={values?.startsAt}
            errors={errors?.startsAt}
          />
          <Field
            label="Ends (UTC)"
            name="endsAt"
            type="datetime-local"
            defaultValue={values?.endsAt}
            errors={errors?.endsAt}
          />
          <MonitorChoices monitors={monitors} errors={errors?.monitorIds} />
          <div className="sm:col-span-2">
            <Button>Schedule</Button>
          </div>
        </Form>
      </section>
      <RecurringList recurring={recurring} />
      <RecurringForm monitors={monitors} timeZone={timeZone} errors={recurringForm ? allErrors : undefined} />
    </PageShell>
  );
}

export { ErrorBoundary } from "~/components/route-error.tsx";
