import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { MonitorForm } from "~/components/monitors/monitor-form.tsx";
import { requireUser } from "~/server/auth/current-user.server.ts";
import { saveMonitorForm } from "~/server/http/monitor-form.server.ts";
import { createCaller } from "~/trpc/caller.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Edit ${data?.monitor.name ?? data?.monitor.url ?? "monitor"} · Better Uptime` },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireUser(context, request);
  const monitor = await (await createCaller(context, request)).monitor.byId({ id: params.id ?? "" }).catch(() => null);
  if (!monitor) throw new Response("Monitor not found", { status: 404 });
  return { monitor, channels: await (await createCaller(context, request)).notification.list() };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  await requireUser(context, request);
  const api = await createCaller(context, request);
  const id = params.id ?? "";
  const current = await api.monitor.byId({ id }).catch(() => null);
  if (!current) throw new Response("Monitor not found", { status: 404 });
  return saveMonitorForm(request, current, (input) => api.monitor.update({ id, ...input }));
}

export default function EditMonitor() {
  const { monitor, channels } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <main className="mx-auto flex max-w-3xl flex-col gap-6 px-4 py-8 sm:px-6">
      <nav aria-label="Breadcrumb" className="flex gap-2 text-sm">
        <Link to="/monitors" className="underline">
          Monitors
        </Link>
        <span aria-hidden>/</span>
        <Link to={`/monitors/${monitor.id}`} className="underline">
          {monitor.name ?? monitor.url}
        </Link>
      </nav>
      <h1 className="text-2xl font-bold tracking-tight">Edit monitor</h1>
      <MonitorForm
        values={result?.values ?? monitor}
        errors={result?.fieldErrors}
        formError={result?.formError}
        channels={channels}
        submitLabel="Save changes"
      />
    </main>
  );
}

export { ErrorBoundary } from "~/components/route-error.tsx";
