import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { MonitorForm, NEW_MONITOR_VALUES, type MonitorFormValues } from "~/components/monitors/monitor-form.tsx";
import { saveMonitorForm } from "~/web/forms/save-monitor.server.ts";
import { requireCaller } from "~/trpc/caller.server.ts";
import { PageShell } from "~/components/ui/page-shell.tsx";
import type { MonitorType } from "~/lib/monitors/monitor-input.ts";

export const meta: MetaFunction = () => [{ title: "New monitor · Better Uptime" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requireCaller(context, request);
  const asked = new URL(request.url).searchParams.get("type")?.toUpperCase();
  const type = TYPES.find(([value]) => value === asked)?.[0] ?? "HTTP";
  return { channels: await api.notification.list(), type };
}

/** Each type's tab: its `?type=` and label. */
const TYPES = [
  ["HTTP", "HTTP(S) URL"],
  ["TCP", "TCP port"],
  ["HEARTBEAT", "Heartbeat (cron job)"],
  ["DNS", "DNS record"],
  ["TLS", "TLS certificate"],
] as const satisfies readonly (readonly [MonitorType, string])[];

const newValues = (type: MonitorType): MonitorFormValues => ({ ...NEW_MONITOR_VALUES, type });

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireCaller(context, request);
  return saveMonitorForm(request, NEW_MONITOR_VALUES, (input) => api.monitor.create(input));
}

export default function NewMonitor() {
  const { channels, type } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = result?.values ?? newValues(type);
  return (
    <PageShell width="narrow" title="New monitor" crumbs={[{ to: "/monitors", label: "Monitors" }]}>
      <nav aria-label="Monitor type" className="mb-4 flex flex-wrap gap-2 text-sm">
        {TYPES.map(([value, label]) => (
          <Link
            key={value}
            to={value === "HTTP" ? "?" : `?type=${value.toLowerCase()}`}
            aria-current={values.type === value || (value === "HTTP" && !values.type) ? "page" : undefined}
            className="rounded-full border border-slate-300 px-3 py-1 aria-[current=page]:border-emerald-700 aria-[current=page]:font-semibold dark:border-slate-700"
          >
            {label}
          </Link>
        ))}
      </nav>
      <MonitorForm
        key={values.type ?? "HTTP"}
        values={values}
        errors={result?.fieldErrors}
        formError={result?.formError}
        channels={channels}
        submitLabel="Create monitor"
      />
    </PageShell>
  );
}

export { ErrorBoundary } from "~/components/route-error.tsx";
