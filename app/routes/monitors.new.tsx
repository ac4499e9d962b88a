import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { MonitorForm, NEW_MONITOR_VALUES } from "~/components/monitors/monitor-form.tsx";
import { saveMonitorForm } from "~/server/forms/save-monitor.server.ts";
import { requireCaller } from "~/trpc/caller.server.ts";
import { PageShell } from "~/components/ui/page-shell.tsx";

export const meta: MetaFunction = () => [{ title: "New monitor · Better Uptime" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requireCaller(context, request);
  return { channels: await api.notification.list() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireCaller(context, request);
  return saveMonitorForm(request, NEW_MONITOR_VALUES, (input) => api.monitor.create(input));
}

export default function NewMonitor() {
  const { channels } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <PageShell width="narrow" title="New monitor" crumbs={[{ to: "/monitors", label: "Monitors" }]}>
      <MonitorForm
        values={result?.values ?? NEW_MONITOR_VALUES}
        errors={result?.fieldErrors}
        formError={result?.formError}
        channels={channels}
        submitLabel="Create monitor"
      />
    </PageShell>
  );
}

export { ErrorBoundary } from "~/components/route-error.tsx";
