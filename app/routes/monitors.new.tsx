import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { MonitorForm, NEW_MONITOR_VALUES } from "~/components/monitors/monitor-form.tsx";
import { requireUser } from "~/server/auth/current-user.server.ts";
import { saveMonitorForm } from "~/server/http/monitor-form.server.ts";
import { createCaller } from "~/trpc/caller.server.ts";

export const meta: MetaFunction = () => [{ title: "New monitor · Better Uptime" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(context, request);
  return { channels: await (await createCaller(context, request)).notification.list() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireUser(context, request);
  const api = await createCaller(context, request);
  return saveMonitorForm(request, NEW_MONITOR_VALUES, (input) => api.monitor.create(input));
}

export default function NewMonitor() {
  const { channels } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <main className="mx-auto flex max-w-3xl flex-col gap-6 px-4 py-8 sm:px-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link to="/monitors" className="underline">
          Monitors
        </Link>
      </nav>
      <h1 className="text-2xl font-bold tracking-tight">New monitor</h1>
      <MonitorForm
        values={result?.values ?? NEW_MONITOR_VALUES}
        errors={result?.fieldErrors}
        formError={result?.formError}
        channels={channels}
        submitLabel="Create monitor"
      />
    </main>
  );
}

export { ErrorBoundary } from "~/components/route-error.tsx";
