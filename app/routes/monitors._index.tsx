import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { monitorType } from "../../core/monitor-types/registry.ts";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { StatusBadge } from "~/components/monitors/status-badge.tsx";
import { Sparkline } from "~/components/monitors/sparkline.tsx";
import { RelativeTime } from "~/components/relative-time.tsx";
import { Alert, Button } from "~/components/ui/form.tsx";
import { revivedListItem, useMonitorEvents } from "~/components/use-monitor-events.ts";
import { listQueryHref, readListQuery, STATUS_FILTERS } from "~/lib/monitors/list-view.ts";
import { formatPercent } from "../../core/text/format.ts";
import { actionError } from "~/web/forms/action-result.server.ts";
import { requireCaller } from "~/trpc/caller.server.ts";
import { PageShell } from "~/components/ui/page-shell.tsx";
import { Table } from "~/components/ui/table.tsx";
import { passRetryAfter } from "~/lib/pass-retry-after.ts";
import { readForm } from "~/web/forms/read-form.server.ts";
import { IntentButton } from "~/components/ui/intent-form.tsx";

/** A form refused by a spent rate limit says when to try again (Retry-After), as /api/trpc does. */
export const headers = passRetryAfter;

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const down = data?.counts.DOWN ?? 0;
  return [{ title: `${down > 0 ? `(${down} down) ` : ""}Monitors · Better Uptime` }];
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requireCaller(context, request);
  const query = readListQuery(new URL(request.url).searchParams);
  const page = await api.monitor.overview(query);
  return { ...page, query: { ...query, page: page.page }, now: Date.now() };
}

/** Bulk pause / resume of the ticked monitors. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireCaller(context, request);
  const form = await readForm(request);
  const ids = form.getAll("ids").filter((id): id is string => typeof id === "string");
  try {
    const changed =
      form.get("intent") === "resume" ? await api.monitor.resumeMany({ ids }) : await api.monitor.pauseMany({ ids });
    return { message: `${changed.length} monitor(s) ${form.get("intent") === "resume" ? "resumed" : "paused"}.` };
  } catch (error) {
    return actionError(error);
  }
}

const FILTER_LABELS = { all: "All", down: "Down", up: "Up", pending: "Pending", paused: "Paused" } as const;

export default function Monitors() {
  const data = useLoaderData<typeof loader>();
  const { total, all, query, now, page, pages, tags } = data;
  // The page's rows and counts, patched by live events between loads.
  const [monitors, setMonitors] = useState(data.monitors);
  const [counts, setCounts] = useState(data.counts);
  useEffect(() => {
    setMonitors(data.monitors);
    setCounts(data.counts);
  }, [data]);
  useMonitorEvents((event) => {
    const changed = new Map(event.monitors.map((monitor) => [monitor.id, revivedListItem(monitor)]));
    setMonitors((rows) => rows.map((row) => changed.get(row.id) ?? row));
    // The event counts the whole account: they are this view's counts only without a search or tag.
    if (!query.q && !query.tag) setCounts(event.counts);
  });
  const result = useActionData<typeof action>();
  const [selected, setSelected] = useState<Set<string>>(new Set());

  if (all === 0) {
    return (
      <main className="mx-auto flex max-w-3xl flex-col items-center gap-4 px-6 py-20 text-center">
        <h1 className="text-2xl font-bold tracking-tight">No monitors yet</h1>
        <p className="text-slate-600 dark:text-slate-400">
          Add a URL and Better Uptime checks it around the clock, tells you when it goes down and shows you why.
        </p>
        <Link
          to="/monitors/new"
          className="rounded-md bg-emerald-700 px-4 py-2 font-semibold text-white hover:bg-emerald-800 dark:bg-emerald-600"
        >
          Create your first monitor
        </Link>
      </main>
    );
  }

  const matched = counts.UP + counts.DOWN + counts.PENDING + counts.PAUSED;
  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <PageShell
      width="full"
      title="Monitors"
      actions={
        <Link
          to="/monitors/new"
          className="rounded-md bg-emerald-700 px-4 py-2 text-sm font-semibold text-white hover:bg-emerald-800 dark:bg-emerald-600"
        >
          New monitor
        </Link>
      }
    >
      <div className="flex flex-wrap items-center gap-3">
        <nav aria-label="Filter by status" className="flex flex-wrap gap-1 text-sm">
          {STATUS_FILTERS.map((value) => (
            <Link
              key={value}
              to={listQueryHref(query, { status: value, page: 1 })}
              aria-current={query.status === value ? "page" : undefined}
              className={`rounded-full border px-3 py-1 ${
                query.status === value
                  ? "border-emerald-700 bg-emerald-50 font-semibold text-emerald-900 dark:border-emerald-500 dark:bg-emerald-950 dark:text-emerald-100"
                  : "border-slate-300 dark:border-slate-700"
              }`}
            >
              {FILTER_LABELS[value]}
              {value !== "all" ? ` (${counts[value.toUpperCase() as keyof typeof counts]})` : ` (${matched})`}
            </Link>
          ))}
        </nav>
        <Form method="get" role="search" className="ml-auto flex flex-wrap items-center gap-2 text-sm">
          {query.status !== "all" ? <input type="hidden" name="status" value={query.status} /> : null}
          {query.tag ? <input type="hidden" name="tag" value={query.tag} /> : null}
          <label htmlFor="q" className="sr-only">
            Search monitors
          </label>
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={query.q}
            placeholder="Search name or URL"
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 dark:border-slate-700 dark:bg-slate-900"
          />
          <label htmlFor="sort" className="sr-only">
            Sort by
          </label>
          <select
            id="sort"
            name="sort"
            defaultValue={query.sort}
            className="rounded-md border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-700 dark:bg-slate-900"
          >
            <option value="status">Status (worst first)</option>
            <option value="name">Name</option>
            <option value="uptime">Uptime (lowest first)</option>
            <option value="response">Response time (slowest first)</option>
            <option value="checked">Last checked</option>
          </select>
          <Button variant="secondary">Apply</Button>
        </Form>
      </div>

      {tags.length > 0 ? (
        <nav aria-label="Filter by tag" className="flex flex-wrap items-center gap-1 text-xs">
          <span className="text-slate-600 dark:text-slate-400">Tags:</span>
          {tags.map((tag) => (
            <Link
              key={tag}
              to={listQueryHref(query, { tag: query.tag === tag ? null : tag, page: 1 })}
              aria-current={query.tag === tag ? "page" : undefined}
              className={`rounded-full border px-2 py-0.5 ${
                query.tag === tag
                  ? "border-sky-700 bg-sky-50 font-semibold text-sky-900 dark:border-sky-500 dark:bg-sky-950 dark:text-sky-100"
                  : "border-slate-300 dark:border-slate-700"
              }`}
            >
              {tag}
            </Link>
          ))}
        </nav>
      ) : null}

      {result && "message" in result ? <Alert tone="success">{result.message}</Alert> : null}
      {result && "formError" in result && result.formError ? <Alert tone="error">{result.formError}</Alert> : null}

      {/* The checkboxes in the table belong to this form (form="bulk"), so it works without JavaScript. */}
      <Form method="post" id="bulk" className="flex flex-col gap-3">
        <div className="flex items-center gap-2 text-sm" aria-live="polite">
          <span>{selected.size} selected</span>
          <IntentButton intent="pause" variant="secondary">
            Pause
          </IntentButton>
          <IntentButton intent="resume" variant="secondary">
            Resume
          </IntentButton>
        </div>
      </Form>

      {monitors.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No monitor matches this filter.</p>
      ) : (
        <Table
          caption={`Your monitors: page ${page} of ${pages}, ${monitors.length} of ${total} shown`}
          columns={[
            { label: "Select", className: "w-8", srOnly: true },
            { label: "Status" },
            { label: "Monitor" },
            { label: "Uptime 24 h", className: "hidden md:table-cell" },
            { label: "Uptime 30 d", className: "hidden md:table-cell" },
            { label: "Response", className: "hidden sm:table-cell" },
            { label: "Last 24 h", className: "hidden lg:table-cell" },
            { label: "Checked", className: "hidden sm:table-cell" },
          ]}
        >
          {monitors.map((monitor) => (
            <tr key={monitor.id} data-monitor={monitor.id} className="hover:bg-slate-50 dark:hover:bg-slate-900">
              <td className="px-3 py-2">
                <input
                  type="checkbox"
                  form="bulk"
                  name="ids"
                  value={monitor.id}
                  aria-label={`Select ${monitor.name ?? monitor.url}`}
                  checked={selected.has(monitor.id)}
                  onChange={() => toggle(monitor.id)}
                />
              </td>
              <td className="px-3 py-2">
                <StatusBadge status={monitor.status} />
              </td>
              <td className="max-w-xs px-3 py-2">
                <Link to={`/monitors/${monitor.id}`} className="font-medium hover:underline">
                  {monitor.name ?? monitor.url}
                </Link>
                <div className="truncate text-xs text-slate-500 dark:text-slate-400">
                  {monitorType(monitor.type).subtitle(monitor.url)}
                </div>
                {monitor.tags.length > 0 ? (
                  <ul aria-label="Tags" className="mt-1 flex flex-wrap gap-1">
                    {monitor.tags.map((tag) => (
                      <li key={tag}>
                        <Link
                          to={listQueryHref(query, { tag, page: 1 })}
                          className="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700 hover:underline dark:bg-slate-800 dark:text-slate-300"
                        >
                          {tag}
                        </Link>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </td>
              <td className="hidden px-3 py-2 tabular-nums md:table-cell">{formatPercent(monitor.uptime24h)}</td>
              <td className="hidden px-3 py-2 tabular-nums md:table-cell">{formatPercent(monitor.uptime30d)}</td>
              <td className="hidden px-3 py-2 tabular-nums sm:table-cell">
                {monitor.lastResponseTimeMs === null ? "—" : `${monitor.lastResponseTimeMs} ms`}
              </td>
              <td className="hidden px-3 py-2 lg:table-cell">
                <Sparkline
                  values={monitor.sparkline}
                  label={`Response times of ${monitor.name ?? monitor.url}, ${
                    monitor.sparklineOf === "checks" ? "latest checks" : "last 24 hours"
                  }`}
                />
              </td>
              <td className="hidden px-3 py-2 sm:table-cell">
                <RelativeTime date={monitor.lastCheckedAt} now={now} />
              </td>
            </tr>
          ))}
        </Table>
      )}
      {pages > 1 ? (
        <nav aria-label="Pages" className="flex items-center justify-between text-sm">
          {page > 1 ? (
            <Link to={listQueryHref(query, { page: page - 1 })} rel="prev" className="underline">
              ← Previous
            </Link>
          ) : (
            <span />
          )}
          <span aria-current="page">
            Page {page} of {pages}
          </span>
          {page < pages ? (
            <Link to={listQueryHref(query, { page: page + 1 })} rel="next" className="underline">
              Next →
            </Link>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </PageShell>
  );
}

export { ErrorBoundary } from "~/components/route-error.tsx";
