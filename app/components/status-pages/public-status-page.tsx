/**
 * The public status page, rendered on the server and complete without JavaScript:
 * overall state, services with 90-day bars, incidents with the owner's updates,
 * maintenance, and the subscribe form. Times are shown in UTC (no script localises them).
 */
import { Form } from "@remix-run/react";
import { DailyBars } from "~/components/monitors/daily-bars.tsx";
import type { RouterOutputs } from "~/trpc/router-types.ts";
import { formatDateTime, formatDuration, formatPercent } from "../../../core/text/format.ts";
import {
  OVERALL_LABEL,
  SERVICE_LABEL,
  type OverallState,
  type ServiceState,
} from "~/lib/status-pages/overall-state.ts";
import { INCIDENT_UPDATE_LABEL, INCIDENT_UPDATE_STATUSES } from "~/lib/status-pages/status-page-input.ts";

export type PublicPageData = RouterOutputs["statusPage"]["public"];
type IncidentData = PublicPageData["activeIncidents"][number];

const OVERALL_STYLE: Record<OverallState, string> = {
  operational: "bg-emerald-600 text-white",
  degraded: "bg-amber-500 text-slate-950",
  partial_outage: "bg-orange-600 text-white",
  major_outage: "bg-red-700 text-white",
  maintenance: "bg-blue-700 text-white",
};

const SERVICE_STYLE: Record<ServiceState, string> = {
  operational: "text-emerald-700 dark:text-emerald-400",
  degraded: "text-amber-700 dark:text-amber-400",
  outage: "text-red-700 dark:text-red-400",
  maintenance: "text-blue-700 dark:text-blue-400",
  unknown: "text-slate-500",
};

function Time({ value }: { value: Date | string }) {
  return <time dateTime={new Date(value).toISOString()}>{formatDateTime(value)}</time>;
}

function updateLabel(status: string): string {
  return (INCIDENT_UPDATE_STATUSES as readonly string[]).includes(status)
    ? INCIDENT_UPDATE_LABEL[status as keyof typeof INCIDENT_UPDATE_LABEL]
    : status;
}

const IMPACT_TEXT: Record<IncidentData["impact"], string> = {
  none: "",
  minor: "minor impact",
  major: "major impact",
  critical: "critical impact",
};

function Incident({ incident }: { incident: IncidentData }) {
  // The owner's posts say what they concern and how much; an outage names its service in its title.
  const about =
    incident.kind === "outage"
      ? []
      : [incident.kind === "notice" ? "Notice" : "", IMPACT_TEXT[incident.impact], incident.services.join(", ")];
  return (
    <article
      data-announcement={incident.kind === "outage" ? undefined : incident.kind}
      className="flex flex-col gap-2 rounded-lg border border-slate-200 p-4 dark:border-slate-800"
    >
      <h3 className="font-semibold">{incident.title}</h3>
      {about.some(Boolean) ? (
        <p className="text-sm font-medium text-slate-700 dark:text-slate-300">{about.filter(Boolean).join(" · ")}</p>
      ) : null}
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Started <Time value={incident.startedAt} />
        {incident.resolvedAt ? (
          <>
            {" "}
            · resolved <Time value={incident.resolvedAt} />
            {incident.durationSeconds !== null ? ` after ${formatDuration(incident.durationSeconds)}` : ""}
          </>
        ) : (
          " · ongoing"
        )}
      </p>
      {incident.updates.length > 0 ? (
        <ol className="flex flex-col gap-2 border-l-2 border-slate-200 pl-3 dark:border-slate-700">
          {incident.updates.map((update) => (
            <li key={`${String(update.createdAt)}-${update.status}`} className="text-sm">
              <strong>{updateLabel(update.status)}</strong> — {update.message}
              <div className="text-xs text-slate-500">
                <Time value={update.createdAt} />
              </div>
            </li>
          ))}
        </ol>
      ) : null}
    </article>
  );
}

export function PublicStatusPage({
  page,
  subscribe,
}: {
  page: PublicPageData;
  subscribe: { message?: string; error?: string } | undefined;
}) {
  const base = `/status/${page.slug}`;
  return (
    <main className="mx-auto flex max-w-3xl flex-col gap-8 px-4 py-10 sm:px-6">
      <header className="flex flex-col gap-3">
        <div className="flex items-center gap-3">
          {page.logoUrl ? <img src={page.logoUrl} alt="" className="h-10 w-auto" referrerPolicy="no-referrer" /> : null}
          <h1 className="text-3xl font-bold tracking-tight">{page.name}</h1>
        </div>
        {page.description ? <p className="text-slate-600 dark:text-slate-300">{page.description}</p> : null}
      </header>

      <p
        role="status"
        data-overall={page.overall}
        className={`rounded-lg px-5 py-4 text-lg font-semibold ${OVERALL_STYLE[page.overall]}`}
      >
        {OVERALL_LABEL[page.overall]}
      </p>

      {page.notices.length > 0 ? (
        <section aria-labelledby="notices" className="flex flex-col gap-3">
          <h2 id="notices" className="text-xl font-semibold">
            Notices
          </h2>
          {page.notices.map((notice) => (
            <Incident key={notice.id} incident={notice} />
          ))}
        </section>
      ) : null}

      {page.activeIncidents.length > 0 ? (
        <section aria-labelledby="active-incidents" className="flex flex-col gap-3">
          <h2 id="active-incidents" className="text-xl font-semibold">
            Active incidents
          </h2>
          {page.activeIncidents.map((incident) => (
            <Incident key={incident.id} incident={incident} />
          ))}
        </section>
      ) : null}

      {page.maintenance.length > 0 ? (
        <section aria-labelledby="maintenance" className="flex flex-col gap-3">
          <h2 id="maintenance" className="text-xl font-semibold">
            Maintenance
          </h2>
          {page.maintenance.map((window) => (
            <article
              key={window.id}
              className="flex flex-col gap-1 rounded-lg border border-blue-200 p-4 dark:border-blue-900"
            >
              <h3 className="font-semibold">
                {window.title}{" "}
                <span className="text-sm font-normal text-blue-700 dark:text-blue-400">
                  {window.active ? "in progress" : "scheduled"}
                </span>
              </h3>
              <p className="text-sm text-slate-600 dark:text-slate-400">
                <Time value={window.startsAt} /> – <Time value={window.endsAt} /> · {window.services.join(", ")}
              </p>
              {window.description ? <p className="text-sm">{window.description}</p> : null}
            </article>
          ))}
        </section>
      ) : null}

      <section aria-labelledby="services" className="flex flex-col gap-6">
        <h2 id="services" className="sr-only">
          Services
        </h2>
        {page.sections.map((section, index) => (
          <div key={section.name ?? `top-${index}`} className="flex flex-col gap-4">
            {section.name ? <h3 className="text-lg font-semibold">{section.name}</h3> : null}
            <ul className="flex flex-col gap-5">
              {section.services.map((service) => (
                <li key={service.id} data-service={service.name} className="flex flex-col gap-2">
                  <div className="flex flex-wrap items-baseline justify-between gap-2">
                    <span className="font-medium">{service.name}</span>
                    <span className="text-sm">
                      <span className="text-slate-600 dark:text-slate-400">
                        {formatPercent(service.uptimePercent)} uptime
                      </span>{" "}
                      ·{" "}
                      <span className={`font-semibold ${SERVICE_STYLE[service.state]}`}>
                        {SERVICE_LABEL[service.state]}
                      </span>
                    </span>
                  </div>
                  <DailyBars bars={service.bars} />
                </li>
              ))}
            </ul>
          </div>
        ))}
        {page.sections.length === 0 ? (
          <p className="text-slate-600 dark:text-slate-400">No services are listed on this page yet.</p>
        ) : null}
      </section>

      <section aria-labelledby="past-incidents" className="flex flex-col gap-3">
        <h2 id="past-incidents" className="text-xl font-semibold">
          Past incidents
        </h2>
        {page.pastIncidents.length === 0 ? (
          <p className="text-slate-600 dark:text-slate-400">No incidents in the last 14 days.</p>
        ) : (
          page.pastIncidents.map((incident) => <Incident key={incident.id} incident={incident} />)
        )}
      </section>

      <section
        aria-labelledby="subscribe"
        className="flex flex-col gap-3 rounded-lg border border-slate-200 p-5 dark:border-slate-800"
      >
        <h2 id="subscribe" className="text-lg font-semibold">
          Get updates by email
        </h2>
        <Form method="post" className="flex flex-wrap items-end gap-2" reloadDocument>
          <div className="flex flex-1 flex-col gap-1">
            <label htmlFor="subscribe-email" className="text-sm font-medium">
              Email address
            </label>
            <input
              id="subscribe-email"
              name="email"
              type="email"
              required
              autoComplete="email"
              aria-invalid={subscribe?.error ? true : undefined}
              aria-describedby={subscribe?.error ? "subscribe-error" : undefined}
              className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900"
            />
          </div>
          <button
            type="submit"
            className="rounded-md bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 dark:bg-slate-100 dark:text-slate-900"
          >
            Subscribe
          </button>
        </Form>
        {subscribe?.error ? (
          <p id="subscribe-error" role="alert" className="text-sm text-red-700 dark:text-red-400">
            {subscribe.error}
          </p>
        ) : null}
        {subscribe?.message ? (
          <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
            {subscribe.message}
          </p>
        ) : null}
      </section>

      <footer className="flex flex-wrap gap-4 text-sm text-slate-500">
        <a className="underline" href={`${base}/feed.atom`}>
          Incident feed (Atom)
        </a>
        <a className="underline" href={`${base}.json`}>
          JSON
        </a>
        <span>Powered by Better Uptime</span>
      </footer>
    </main>
  );
}
