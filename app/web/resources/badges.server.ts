/**
 * SVG badges (badge-maker, the library behind shields.io) for services of published
 * pages: current state and uptime over 1, 7, 30 or 90 days. Pure: the routes build
 * them from the cached public page, so badges embedded in many READMEs cost nothing extra.
 */
import { makeBadge } from "badge-maker";
import { periodUptime } from "~/lib/monitors/daily-bars.ts";
import { uptimeTone } from "../../../core/domain/uptime.ts";
import { formatPercent } from "../../../core/text/format.ts";
import { SERVICE_LABEL, type ServiceState } from "~/lib/status-pages/overall-state.ts";
import type { PublicService, PublicStatusPage } from "~/lib/status-pages/public-page.ts";

const STATE_COLOUR: Record<ServiceState, string> = {
  operational: "brightgreen",
  degraded: "yellow",
  outage: "red",
  maintenance: "blue",
  unknown: "lightgrey",
};

const UPTIME_COLOUR = { none: "lightgrey", good: "brightgreen", minor: "green", major: "orange", down: "red" };

export const BADGE_PERIODS = [1, 7, 30, 90] as const;

/** The service with this public id on the page, or null. */
export function serviceOn(page: PublicStatusPage, serviceId: string | undefined): PublicService | null {
  return page.sections.flatMap((section) => section.services).find((s) => s.id === serviceId) ?? null;
}

/** `days`: one of BADGE_PERIODS (absent: 30), or null for anything else. */
export function badgePeriod(daysParam: string | null): number | null {
  const days = daysParam === null ? 30 : Number(daysParam);
  return (BADGE_PERIODS as readonly number[]).includes(days) ? days : null;
}

export function statusBadgeSvg(service: PublicService): string {
  return makeBadge({
    label: service.name,
    message: SERVICE_LABEL[service.state].toLowerCase(),
    color: STATE_COLOUR[service.state],
  });
}

export function uptimeBadgeSvg(service: PublicService, days: number, now = Date.now()): string {
  const bars = service.bars.slice(-days);
  const firstWithData = bars.find((bar) => bar.uptimePercent !== null)?.day.getTime() ?? now;
  const percent = periodUptime(bars, now, firstWithData);
  return makeBadge({
    label: `uptime ${days === 1 ? "today" : `${days}d`}`,
    message: formatPercent(percent),
    color: UPTIME_COLOUR[uptimeTone(percent)],
  });
}
