/**
 * SVG badges (badge-maker, the library behind shields.io) for services of published
 * pages: current state and uptime over 1, 7, 30 or 90 days. Built from the cached
 * public page, so badges embedded in many READMEs cost nothing extra.
 */
import type { AppLoadContext } from "@remix-run/node";
import { makeBadge } from "badge-maker";
import { periodUptime } from "~/lib/monitors/daily-bars.ts";
import { formatUptime, uptimeTone } from "~/lib/monitors/uptime.ts";
import { SERVICE_LABEL, type ServiceState } from "~/lib/status-pages/overall-state.ts";
import { PUBLIC_CACHE_CONTROL, publicPageOr404 } from "./public-status.server.ts";

const STATE_COLOUR: Record<ServiceState, string> = {
  operational: "brightgreen",
  degraded: "yellow",
  outage: "red",
  maintenance: "blue",
  unknown: "lightgrey",
};

const UPTIME_COLOUR = { none: "lightgrey", good: "brightgreen", minor: "green", major: "orange", down: "red" };

export const BADGE_PERIODS = [1, 7, 30, 90] as const;

function svg(body: string): Response {
  return new Response(body, {
    headers: { "Content-Type": "image/svg+xml; charset=utf-8", "Cache-Control": PUBLIC_CACHE_CONTROL },
  });
}

async function serviceOf(context: AppLoadContext, slug: string | undefined, serviceId: string | undefined) {
  const page = await publicPageOr404(context, slug);
  const service = page.sections.flatMap((section) => section.services).find((s) => s.id === serviceId);
  if (!service) throw new Response("No such service on this page", { status: 404 });
  return service;
}

export async function statusBadge(context: AppLoadContext, slug?: string, serviceId?: string): Promise<Response> {
  const service = await serviceOf(context, slug, serviceId);
  return svg(
    makeBadge({
      label: service.name,
      message: SERVICE_LABEL[service.state].toLowerCase(),
      color: STATE_COLOUR[service.state],
    }),
  );
}

/** `days`: one of BADGE_PERIODS (default 30); anything else is a 400 that says what is allowed. */
export async function uptimeBadge(
  context: AppLoadContext,
  slug: string | undefined,
  serviceId: string | undefined,
  daysParam: string | null,
): Promise<Response> {
  const days = daysParam === null ? 30 : Number(daysParam);
  if (!(BADGE_PERIODS as readonly number[]).includes(days))
    throw new Response(`days must be one of ${BADGE_PERIODS.join(", ")}`, { status: 400 });
  const service = await serviceOf(context, slug, serviceId);
  const bars = service.bars.slice(-days);
  const now = Date.now();
  const firstWithData = bars.find((bar) => bar.uptimePercent !== null)?.day.getTime() ?? now;
  const percent = periodUptime(bars, now, firstWithData);
  return svg(
    makeBadge({
      label: `uptime ${days === 1 ? "today" : `${days}d`}`,
      message: formatUptime(percent),
      color: UPTIME_COLOUR[uptimeTone(percent)],
    }),
  );
}
