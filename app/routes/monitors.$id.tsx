import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import uplotStyles from "uplot/dist/uPlot.min.css";
import { DeliveryLog } from "~/components/alerts/delivery-log.tsx";
import { DailyBars } from "~/components/monitors/daily-bars.tsx";
import { ResponseChart } from "~/components/monitors/response-chart.tsx";
import { StatusBadge } from "~/components/monitors/status-badge.tsx";
import { RelativeTime } from "~/components/relative-time.tsx";
import { Alert, Button } from "~/components/ui/form.tsx";
import { IntentForm, RowAction } from "~/components/ui/intent-form.tsx";
import { useMonitorEvents } from "~/components/use-monitor-events.ts";
import { useRevalidator } from "@remix-run/react";
import { RESPONSE_RANGES } from "~/lib/monitors/monitor-input.ts";
import { monitorType } from "../../core/monitor-types/registry.ts";
import { HeartbeatPanel } from "~/components/monitors/heartbeat-panel.tsx";
import { formatDuration, formatPercent } from "../../core/text/format.ts";
import { DateTime } from "~/components/ui/date-time.tsx";
import { actionError, orHttpError } from "~/web/forms/action-result.server.ts";
import { requireCaller } from "~/trpc/caller.server.ts";
import { PageShell } from "~/components/ui/page-shell.tsx";
import { Table } from "~/components/ui/table.tsx";
import { Section } from "~/components/ui/section.tsx";
import { passRetryAfter } from "~/lib/pass-retry-after.ts";
import { readForm } from "~/web/forms/read-form.server.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: uplotStyles }];

/** A form refused by a spent rate limit says when to try again (Retry-After), as /api/trpc does. */
export const headers = passRetryAfter;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `${data.monitor.status === "DOWN" ? "DOWN · " : ""}${data.monitor.name ?? data.monitor.url} · Better Uptime`
      : "Monitor · Better Uptime",
  },
];

type Range = (typeof RESPONSE_RANGES)[number];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api } = await requireCaller(context, request);
  const url = new URL(request.url);
  const cursor = url.searchParams.get("checks") ?? undefined;
  const id = params.id ?? "";
  const monitor = await orHttpError(api.monitor.byId({ id }));
  // Unless chosen: the last day, or the last hour while the monitor is younger than a day.
  const range = (RESPONSE_RANGES as readonly string[]).includes(url.searchParams.get("range") ?? "")
    ? (url.searchParams.get("range") as Range)
    : Date.now() - new Date(monitor.createdAt).getTime() < 86_400_000
      ? "1h"
      : "24h";
  const [stats, points, incidents, checks, deliveries, pings] = await Promise.all([
    api.monitor.stats({ id }),
    api.monitor.responseTimes({ id, range }),
    api.monitor.incidents({ id }),
    api.monitor.checks({ id, cursor: cursor && /^\d{1,18}$/.test(cursor) ? cursor : undefined }),
    api.notification.deliveries({ monitorId: id }),
    monitorType(monitor.type).judgedBy === "pings" ? api.monitor.pings({ id }) : Promise.resolve([]),
  ]);
  return { monitor, stats, points, range, incidents, checks, deliveries, pings, now: Date.now() };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { api } = await requireCaller(context, request);
  const id = params.id ?? "";
  const form = await readForm(request);
  const intent = form.get("intent");
  try {
    switch (intent) {
      case "checkNow":
        await api.monitor.checkNow({ id });
        return { intent, message: "A check is on its way; results appear here within seconds." };
      case "pause":
        await api.monitor.pause({ id });
        return { intent, message: "Paused: no more checks until you resume." };
      case "resume":
        await api.monitor.resume({ id });
        return { intent, message: "Resumed: checking now." };
      case "acknowledge": {
        const acknowledged = await api.incident.acknowledge({ id: formText(form, "incidentId") });
        return { intent, message: `Acknowledged by ${acknowledged.acknowledgedBy ?? "you"}: reminders have stopped.` };
      }
      case "regeneratePushToken":
        await api.monitor.regeneratePushToken({ id });
        return { intent, message: "A new push URL is ready: the old one no longer works. Update your job." };
      case "duplicate": {
        const copy = await api.monitor.duplicate({ id });
        return redirect(`/monitors/${copy.id}/edit`);
      }
      case "delete":
        // Two steps: the first click asks, the second (with confirm=yes) deletes.
        if (form.get("confirm") !== "yes") return { intent, confirmDelete: true };
        await api.monitor.delete({ id });
        return redirect("/monitors");
      default:
        throw new Response("Unknown action", { status: 400 });
    }
  } catch (error) {
    if (error instanceof Response) throw error;
    return actionError(error, { intent });
  }
}

/** A text field of the form ("" when missing, or a file). */
const formText = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

function Tile({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
      <dt className="text-xs uppercase tracking-wide text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums">{value}</dd>
    </div>
  );
}

const duration = (seconds: number | null) => (seconds === null ? "ongoing" : formatDuration(seconds));

const RANGE_LABEL: Record<Range, string> = { "1h": "1 hour", "24h": "24 hours", "7d": "7 days", "30d": "30 days" };
const RANGE_MS: Record<Range, number> = {
  "1h": 3_600_000,
  "24h": 86_400_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
};

export default function MonitorPage() {
  const { monitor, stats, points, range, incidents, checks, deliveries, pings, now } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  // Pushed: when this monitor's results change, the page reloads its data (once per change).
  const { revalidate } = useRevalidator();
  useMonitorEvents((event) => {
    if (event.monitors.some((changed) => changed.id === monitor.id)) revalidate();
  });
  const rangeLink = (next: Range) => {
    const search = new URLSearchParams(params);
    search.set("range", next);
    return `?${search.toString()}`;
  };
  const tlsDays = monitor.tlsExpiresAt
    ? Math.floor((new Date(monitor.tlsExpiresAt).getTime() - now) / 86_400_000)
    : null;

  return (
    <PageShell width="full" crumbs={[{ to: "/monitors", label: "Monitors" }]}>
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div className="flex min-w-0 flex-col gap-1">
          <h1 className="truncate text-2xl font-bold tracking-tight">{monitor.name ?? monitor.url}</h1>
          {monitorType(monitor.type).opensInBrowser ? (
            <a
              href={monitor.url}
              className="truncate text-sm text-slate-600 underline dark:text-slate-400"
              rel="noreferrer noopener"
              target="_blank"
            >
              {monitor.url}
            </a>
          ) : (
            // Not a link: a browser cannot open a port, a DNS record or a heartbeat.
            <span className="truncate font-mono text-sm text-slate-600 dark:text-slate-400">
              {monitorType(monitor.type).label(monitor)}
            </span>
          )}
          <p className="flex flex-wrap items-center gap-2 text-sm" aria-live="polite">
            <StatusBadge status={monitor.status} size="lg" />
            <span>
              since <RelativeTime date={monitor.statusChangedAt} now={now} /> · checked{" "}
              <RelativeTime date={monitor.lastCheckedAt} now={now} /> · {monitor.heartbeat ? "expects a ping" : ""}{" "}
              every {formatDuration(monitor.intervalSeconds)}
            </span>
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <RowAction intent="checkNow" variant="secondary" disabled={!monitor.isActive}>
            Check now
          </RowAction>
          <RowAction intent={monitor.isActive ? "pause" : "resume"} variant="secondary">
            {monitor.isActive ? "Pause" : "Resume"}
          </RowAction>
          <Link
            to={`/monitors/${monitor.id}/edit`}
            className="inline-flex items-center rounded-md border border-slate-300 px-4 py-2 text-sm font-semibold hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800"
          >
            Edit
          </Link>
          <RowAction intent="duplicate" variant="secondary">
            Duplicate
          </RowAction>
          <RowAction intent="delete" variant="danger">
            Delete
          </RowAction>
        </div>
      </header>

      {result && "message" in result && result.message ? <Alert tone="success">{result.message}</Alert> : null}
      {monitor.pushUrl ? <HeartbeatPanel pushUrl={monitor.pushUrl} pings={pings} /> : null}
      {result && "formError" in result && result.formError ? <Alert tone="error">{result.formError}</Alert> : null}
      {result && "confirmDelete" in result ? (
        <Alert tone="warning">
          <IntentForm intent="delete" fields={{ confirm: "yes" }} className="flex flex-wrap items-center gap-3">
            <span>Delete this monitor and all its history? This cannot be undone.</span>
            <Button variant="danger">Yes, delete it</Button>
            <Link to="." className="underline">
              Cancel
            </Link>
          </IntentForm>
        </Alert>
      ) : null}

      <section aria-labelledby="uptime">
        <h2 id="uptime" className="sr-only">
          Uptime
        </h2>
        <dl className="grid grid-cols-2 gap-3 md:grid-cols-5">
          <Tile label="Uptime 24 h" value={formatPercent(stats.uptime.h24.uptimePercent)} />
          <Tile label="Uptime 7 d" value={formatPercent(stats.uptime.d7.uptimePercent)} />
          <Tile label="Uptime 30 d" value={formatPercent(stats.uptime.d30.uptimePercent)} />
          <Tile label="Uptime 90 d" value={formatPercent(stats.uptime.d90.uptimePercent)} />
          <Tile
            label="TLS certificate"
            value={tlsDays === null ? "—" : tlsDays < 0 ? "expired" : `${tlsDays} days left`}
          />
        </dl>
        <div className="mt-6">
          <DailyBars bars={stats.dailyBars} />
        </div>
      </section>

      {/* Judged by pings (a heartbeat): no response to time; its pings are shown above instead. */}
      {monitorType(monitor.type).judgedBy === "pings" ? null : (
        <section aria-labelledby="response" className="flex flex-col gap-3">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 id="response" className="text-lg font-semibold">
              Response time
            </h2>
            <nav aria-label="Range" className="flex gap-1 text-sm">
              {RESPONSE_RANGES.map((value) => (
                <Link
                  key={value}
                  to={rangeLink(value)}
                  preventScrollReset
                  aria-current={value === range ? "page" : undefined}
                  className={`rounded-md px-2 py-1 ${value === range ? "bg-slate-200 font-semibold dark:bg-slate-800" : "hover:underline"}`}
                >
                  {value}
                </Link>
              ))}
            </nav>
          </div>
          <ResponseChart
            points={points}
            from={now - RANGE_MS[range]}
            to={now}
            label={`Response time over the last ${RANGE_LABEL[range]}, by phase`}
          />
          <p className="text-sm text-slate-600 dark:text-slate-400">
            24 h average {stats.uptime.h24.averageResponseMs ?? "—"} ms · p95 {stats.uptime.h24.p95ResponseMs ?? "—"} ms
          </p>
        </section>
      )}

      <Section id="incidents" title="Incidents">
        {incidents.items.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">No incidents.</p>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
            {incidents.items.map((incident) => (
              <li
                key={incident.id}
                className="flex flex-col gap-1 p-4 text-sm"
                data-incident={incident.resolvedAt ? "resolved" : "open"}
              >
                <div className="flex flex-wrap items-center gap-2">
                  <strong className={incident.resolvedAt ? "" : "text-red-700 dark:text-red-400"}>
                    {incident.resolvedAt ? "Resolved" : "Ongoing"}
                  </strong>
                  <span>
                    <DateTime value={incident.startedAt} /> →{" "}
                    {incident.resolvedAt ? <DateTime value={incident.resolvedAt} /> : "now"}
                  </span>
                  <span className="tabular-nums">({duration(incident.durationSeconds)})</span>
                  {incident.acknowledgedAt ? (
                    <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900 dark:bg-amber-900 dark:text-amber-100">
                      Acknowledged by {incident.acknowledgedBy} · <DateTime value={incident.acknowledgedAt} />
                    </span>
                  ) : incident.resolvedAt ? null : (
                    <RowAction
                      intent="acknowledge"
                      fields={{ incidentId: incident.id }}
                      className="ml-auto"
                      variant="secondary"
                    >
                      Acknowledge
                    </RowAction>
                  )}
                </div>
                <div>
                  Cause: <code>{incident.cause}</code> {incident.causeDetail ? `— ${incident.causeDetail}` : null}
                  {incident.regions.length > 1 ? ` · regions ${incident.regions.join(", ")}` : null}
                </div>
                {incident.snapshot ? (
                  <details>
                    <summary className="cursor-pointer text-slate-600 dark:text-slate-400">
                      The failing response
                    </summary>
                    <pre className="mt-2 max-h-64 overflow-auto rounded-md bg-slate-100 p-3 text-xs dark:bg-slate-900">
                      {JSON.stringify(incident.snapshot, null, 2)}
                    </pre>
                  </details>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section id="alerts" title="Alerts sent">
        {monitor.channelIds.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            This monitor alerts no one.{" "}
            <Link to={`/monitors/${monitor.id}/edit`} className="underline">
              Choose channels
            </Link>
            .
          </p>
        ) : null}
        <DeliveryLog deliveries={deliveries} now={now} />
      </Section>

      <Section id="checks" title="Recent checks">
        <Table
          columns={[
            { label: "Time" },
            { label: "Result" },
            { label: "Code" },
            { label: "Response" },
            { label: "Region", className: "hidden sm:table-cell" },
            { label: "Error" },
          ]}
        >
          {checks.items.map((check) => (
            <tr key={check.id}>
              <td className="whitespace-nowrap px-3 py-2">
                <RelativeTime date={check.checkedAt} now={now} />
              </td>
              <td className="px-3 py-2">
                {check.status === null ? "runner error" : check.status === "UP" ? "Up" : "Down"}
              </td>
              <td className="px-3 py-2 tabular-nums">{check.statusCode ?? "—"}</td>
              <td className="px-3 py-2 tabular-nums">{check.status === null ? "—" : `${check.responseTimeMs} ms`}</td>
              <td className="hidden px-3 py-2 sm:table-cell">{check.region}</td>
              <td className="px-3 py-2 text-slate-600 dark:text-slate-400">
                {check.errorClass ? `${check.errorClass}: ${check.error ?? ""}` : ""}
              </td>
            </tr>
          ))}
        </Table>
        <div className="flex gap-4 text-sm">
          {params.get("checks") ? (
            <Link to={`?range=${range}`} preventScrollReset className="underline">
              Newest
            </Link>
          ) : null}
          {checks.nextCursor ? (
            <Link to={`?range=${range}&checks=${checks.nextCursor}`} preventScrollReset className="underline">
              Older checks
            </Link>
          ) : null}
        </div>
      </Section>
    </PageShell>
  );
}

export { ErrorBoundary } from "~/components/route-error.tsx";
