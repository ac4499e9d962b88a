import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { MonitorForm, NEW_MONITOR_VALUES, type MonitorFormValues } from "~/components/monitors/monitor-form.tsx";
import { saveMonitorForm } from "~/server/forms/save-monitor.server.ts";
import { requireCaller } from "~/trpc/caller.server.ts";
import { PageShell } from "~/components/ui/page-shell.tsx";

export const meta: MetaFunction = () => [{ title: "New monitor · Better Uptime" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requireCaller(context, request);
  const type = new URL(request.url).searchParams.get("type") === "tcp" ? "TCP" : "HTTP";
  return { channels: await api.notification.list(), type };
}

const NEW_TCP_VALUES: MonitorFormValues = {
  ...NEW_MONITOR_VALUES,
  type: "TCP",
  tcp: { host: "", port: null, tls: false },
};

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireCaller(context, request);
  return saveMonitorForm(request, NEW_MONITOR_VALUES, (input) => api.monitor.create(input));
}

export default function NewMonitor() {
  const { channels, type } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = result?.values ?? (type === "TCP" ? NEW_TCP_VALUES : NEW_MONITOR_VALUES);
  return (
    <PageShell width="narrow" title="New monitor" crumbs={[{ to: "/monitors", label: "Monitors" }]}>
      <nav aria-label="Monitor type" className="mb-4 flex gap-2 text-sm">
        {(
          [
            ["HTTP", "?", "HTTP(S) URL"],
            ["TCP", "?type=tcp", "TCP port"],
          ] as const
        ).map(([value, href, label]) => (
          <Link
            key={value}
            to={href}
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
