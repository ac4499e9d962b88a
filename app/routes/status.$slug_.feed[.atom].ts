import type { LoaderFunctionArgs } from "@remix-run/node";
import { renderAtom, type AtomEntry } from "~/web/resources/atom.server.ts";
import { INCIDENT_UPDATE_LABEL } from "~/lib/status-pages/status-page-input.ts";
import { publicHeaders, publicPageOr404 } from "~/web/resources/public-page.server.ts";
import { publicCaller } from "~/trpc/caller.server.ts";

/** Atom feed of the page's incidents (open, and resolved in the last 14 days) and maintenance. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const page = await publicPageOr404(publicCaller(context, request), params.slug, request);
  const origin = new URL(request.url).origin;
  const pageUrl = `${origin}/status/${page.slug}`;
  const incidents = [...page.activeIncidents, ...page.notices, ...page.pastIncidents];
  const entries: AtomEntry[] = incidents.map((incident) => {
    const lines = incident.updates.map(
      (update) =>
        `${INCIDENT_UPDATE_LABEL[update.status as keyof typeof INCIDENT_UPDATE_LABEL] ?? update.status} (${update.createdAt.toISOString()}): ${update.message}`,
    );
    lines.push(
      incident.resolvedAt
        ? `Resolved at ${incident.resolvedAt.toISOString()} after ${Math.round((incident.durationSeconds ?? 0) / 60)} min.`
        : `Ongoing since ${incident.startedAt.toISOString()}.`,
    );
    return {
      title: incident.resolvedAt ? `Resolved: ${incident.title}` : incident.title,
      id: `${pageUrl}/incidents/${incident.id}`,
      link: pageUrl,
      updated: incident.updates[0]?.createdAt ?? incident.resolvedAt ?? incident.startedAt,
      summary: lines.join("\n"),
    };
  });
  for (const window of page.maintenance) {
    entries.push({
      title: `Maintenance: ${window.title}`,
      id: `${pageUrl}/maintenance/${window.id}`,
      link: pageUrl,
      updated: window.startsAt,
      summary: `${window.startsAt.toISOString()} – ${window.endsAt.toISOString()}: ${window.services.join(", ")}. ${window.description ?? ""}`,
    });
  }
  const feed = renderAtom({
    title: `${page.name} status`,
    subtitle: page.description ?? undefined,
    id: `${pageUrl}/`,
    link: pageUrl,
    selfLink: `${pageUrl}/feed.atom`,
    updated: new Date(Math.max(0, ...entries.map((entry) => entry.updated.getTime()))),
    entries,
  });
  return new Response(feed, {
    headers: { "Content-Type": "application/atom+xml; charset=utf-8", ...publicHeaders(page) },
  });
}
