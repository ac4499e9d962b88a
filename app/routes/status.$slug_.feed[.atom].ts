import type { LoaderFunctionArgs } from "@remix-run/node";
import { Feed } from "feed";
import { INCIDENT_UPDATE_LABEL } from "~/lib/status-pages/status-page-input.ts";
import { PUBLIC_CACHE_CONTROL, publicPageOr404 } from "~/server/http/public-status.server.ts";

/** Atom feed of the page's incidents (open, and resolved in the last 14 days) and maintenance. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const page = await publicPageOr404(context, params.slug);
  const origin = new URL(request.url).origin;
  const pageUrl = `${origin}/status/${page.slug}`;
  const incidents = [...page.activeIncidents, ...page.pastIncidents];
  const feed = new Feed({
    title: `${page.name} status`,
    description: page.description ?? undefined,
    id: `${pageUrl}/`,
    link: pageUrl,
    copyright: "",
    updated: new Date(
      Math.max(
        0,
        ...incidents.map((incident) =>
          Math.max(
            incident.startedAt.getTime(),
            incident.resolvedAt?.getTime() ?? 0,
            ...incident.updates.map((update) => update.createdAt.getTime()),
          ),
        ),
      ),
    ),
    feedLinks: { atom: `${pageUrl}/feed.atom` },
  });
  for (const incident of incidents) {
    const lines = incident.updates.map(
      (update) =>
        `${INCIDENT_UPDATE_LABEL[update.status as keyof typeof INCIDENT_UPDATE_LABEL] ?? update.status} (${update.createdAt.toISOString()}): ${update.message}`,
    );
    lines.push(
      incident.resolvedAt
        ? `Resolved at ${incident.resolvedAt.toISOString()} after ${Math.round((incident.durationSeconds ?? 0) / 60)} min.`
        : `Ongoing since ${incident.startedAt.toISOString()}.`,
    );
    feed.addItem({
      title: incident.resolvedAt ? `Resolved: ${incident.title}` : incident.title,
      id: `${pageUrl}/incidents/${incident.id}`,
      link: pageUrl,
      date: incident.updates[0]?.createdAt ?? incident.resolvedAt ?? incident.startedAt,
      description: lines.join("\n"),
    });
  }
  for (const window of page.maintenance) {
    feed.addItem({
      title: `Maintenance: ${window.title}`,
      id: `${pageUrl}/maintenance/${window.id}`,
      link: pageUrl,
      date: window.startsAt,
      description: `${window.startsAt.toISOString()} – ${window.endsAt.toISOString()}: ${window.services.join(", ")}. ${window.description ?? ""}`,
    });
  }
  return new Response(feed.atom1(), {
    headers: { "Content-Type": "application/atom+xml; charset=utf-8", "Cache-Control": PUBLIC_CACHE_CONTROL },
  });
}
