import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { MonitorForm, NEW_MONITOR_VALUES } from "~/components/monitors/monitor-form.tsx";
import type { MonitorFormValues } from "~/components/monitors/types/form-values.ts";
import { saveMonitorForm } from "~/web/forms/save-monitor.server.ts";
import { requireCaller } from "~/trpc/caller.server.ts";
import { PageShell } from "~/components/ui/page-shell.tsx";
import type { MonitorType } from "../../core/db/generated/enums.ts";
import { DEFAULT_TYPE, MONITOR_TYPES, monitorType } from "../../core/monitor-types/registry.ts";

export const meta: MetaFunction = () => [{ title: "New monitor · Better Uptime" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requireCaller(context, request);
  const asked = new URL(request.url).searchParams.get("type")?.toUpperCase();
  const type = MONITOR_TYPES.find((value) => value === asked) ?? DEFAULT_TYPE;
  return { channels: await api.notification.list(), type };
}

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
        {MONITOR_TYPES.map((value) => (
          <Link
            key={value}
            to={value === DEFAULT_TYPE ? "?" : `?type=${value.toLowerCase()}`}
            aria-current={(values.type ?? DEFAULT_TYPE) === value ? "page" : undefined}
            className="rounded-full border border-slate-300 px-3 py-1 aria-[current=page]:border-emerald-700 aria-[current=page]:font-semibold dark:border-slate-700"
          >
            {monitorType(value).choice}
          </Link>
        ))}
      </nav>
      <MonitorForm
        key={values.type ?? DEFAULT_TYPE}
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
