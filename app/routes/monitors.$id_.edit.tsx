import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { MonitorForm } from "~/components/monitors/monitor-form.tsx";
import { ownTimeoutMs } from "../../core/monitor-types/settings.ts";
import { saveMonitorForm } from "~/web/forms/save-monitor.server.ts";
import { requireCaller } from "~/trpc/caller.server.ts";
import { orHttpError } from "~/web/forms/action-result.server.ts";
import { PageShell } from "~/components/ui/page-shell.tsx";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Edit ${data?.monitor.name ?? data?.monitor.url ?? "monitor"} · Better Uptime` },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api } = await requireCaller(context, request);
  const monitor = await orHttpError(api.monitor.byId({ id: params.id ?? "" }));
  return { monitor, channels: await api.notification.list() };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { api } = await requireCaller(context, request);
  const id = params.id ?? "";
  const current = await orHttpError(api.monitor.byId({ id }));
  return saveMonitorForm(request, current, (input) => api.monitor.update({ id, ...input }));
}

export default function EditMonitor() {
  const { monitor, channels } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <PageShell
      width="narrow"
      title="Edit monitor"
      crumbs={[
        { to: "/monitors", label: "Monitors" },
        { to: `/monitors/${monitor.id}`, label: monitor.name ?? monitor.url },
      ]}
    >
      <MonitorForm
        values={result?.values ?? { ...monitor, timeoutMs: ownTimeoutMs(monitor) }}
        errors={result?.fieldErrors}
        formError={result?.formError}
        channels={channels}
        submitLabel="Save changes"
      />
    </PageShell>
  );
}

export { ErrorBoundary } from "~/components/route-error.tsx";
