/**
 * What visitors of a published status page see, and nothing more: public names, states,
 * daily uptime, incidents with the owner's updates, maintenance. Never a monitor's URL,
 * headers, error text, regions, nor anything about the owner.
 *
 * A handful of queries whatever the history's length (daily rollups, incidents of the
 * last 90 days), and the result is kept a few seconds per slug (process/public-page-cache.server.ts),
 * so a page under load costs one computation per few seconds per process. The verbs that
 * take a scope are published-page.server.ts. The page's shape is ~/lib/status-pages/public-page.ts.
 */
import { displayStatus } from "../../../../core/domain/status.ts";
import { createHash } from "node:crypto";
import { logoPath } from "~/lib/status-pages/logo-path.ts";
import { buildDailyBars, periodUptime } from "~/lib/monitors/daily-bars.ts";
import { DAY_MS, floorTo } from "../../../../core/domain/time.ts";
import { overallState, serviceState, type ServiceState } from "~/lib/status-pages/overall-state.ts";
import type { Db } from "../../../../core/db/client.ts";
import type { PublicIncident, PublicSection, PublicService, PublicStatusPage } from "~/lib/status-pages/public-page.ts";

/** A stable, opaque id for something shown on a page, that reveals nothing of our ids. */
export function publicId(pageId: string, internalId: string): string {
  return createHash("sha256").update(`${pageId}:${internalId}`).digest("base64url").slice(0, 16);
}

const HISTORY_DAYS = 90;
const INCIDENT_HISTORY_DAYS = 14;

export async function loadPublicStatusPage(db: Db, slug: string, nowMs = Date.now()): Promise<PublicStatusPage | null> {
  const page = await db.statusPage.findFirst({
    where: { slug, isPublished: true },
    include: {
      sections: { orderBy: { position: "asc" } },
      monitors: {
        orderBy: { position: "asc" },
        include: { monitor: { select: { id: true, status: true, isActive: true, createdAt: true } } },
      },
      logo: { select: { sha256: true } },
    },
  });
  if (!page) return null;
  const ids = page.monitors.map((link) => link.monitorId);
  const now = new Date(nowMs);
  const firstDay = floorTo(nowMs, DAY_MS) - (HISTORY_DAYS - 1) * DAY_MS;
  const historySince = new Date(nowMs - INCIDENT_HISTORY_DAYS * DAY_MS);

  const [rollups, incidentSpans, incidents, failingRegions, maintenance, announcements] = await Promise.all([
    db.checkRollup.findMany({
      where: { monitorId: { in: ids }, period: "DAY", bucketStart: { gte: new Date(firstDay) } },
      select: { monitorId: true, bucketStart: true, downtimeSeconds: true, checks: true },
    }),
    db.incident.findMany({
      where: { monitorId: { in: ids }, OR: [{ resolvedAt: null }, { resolvedAt: { gte: new Date(firstDay) } }] },
      select: { monitorId: true, startedAt: true, resolvedAt: true },
    }),
    db.incident.findMany({
      where: { monitorId: { in: ids }, OR: [{ resolvedAt: null }, { resolvedAt: { gte: historySince } }] },
      orderBy: { startedAt: "desc" },
      take: 100,
      select: {
        id: true,
        monitorId: true,
        startedAt: true,
        resolvedAt: true,
        durationSeconds: true,
        updates: { orderBy: { createdAt: "desc" }, select: { status: true, message: true, createdAt: true } },
      },
    }),
    db.monitorSchedule.groupBy({
      by: ["monitorId"],
      where: { monitorId: { in: ids }, status: "DOWN" },
      _count: true,
    }),
    db.maintenanceWindow.findMany({
      where: { endsAt: { gt: now }, monitors: { some: { monitorId: { in: ids } } } },
      orderBy: { startsAt: "asc" },
      // Enough for the occurrences of a few recurring series besides one-off windows (then one per series is kept).
      take: 100,
      include: { monitors: { where: { monitorId: { in: ids } }, select: { monitorId: true } } },
    }),
    db.pageAnnouncement.findMany({
      where: { statusPageId: page.id, OR: [{ resolvedAt: null }, { resolvedAt: { gte: historySince } }] },
      orderBy: { startedAt: "desc" },
      take: 50,
      include: {
        updates: { orderBy: { createdAt: "desc" }, select: { status: true, message: true, createdAt: true } },
      },
    }),
  ]);

  const nameOf = new Map(page.monitors.map((link) => [link.monitorId, link.displayName ?? "Service"]));
  const rollupsOf = groupBy(rollups, (row) => row.monitorId);
  const spansOf = groupBy(incidentSpans, (row) => row.monitorId);
  const failingOf = new Map(failingRegions.map((row) => [row.monitorId, row._count]));
  const inMaintenance = new Set(
    maintenance
      .filter((window) => window.startsAt.getTime() <= nowMs)
      .flatMap((window) => window.monitors.map((monitor) => monitor.monitorId)),
  );

  // The owner's open incidents weigh on the services they name.
  const impactOn = new Map<string, Impact>();
  for (const announcement of announcements) {
    if (announcement.kind !== "INCIDENT" || announcement.resolvedAt) continue;
    for (const monitorId of announcement.monitorIds) {
      impactOn.set(monitorId, worstImpact(impactOn.get(monitorId), announcement.impact));
    }
  }

  const services = new Map<string, PublicService>();
  for (const link of page.monitors) {
    const monitor = link.monitor;
    const createdAtMs = monitor.createdAt.getTime();
    const bars = buildDailyBars({
      nowMs,
      createdAtMs,
      rollups: new Map((rollupsOf.get(monitor.id) ?? []).map((row) => [row.bucketStart.getTime(), row])),
      incidents: (spansOf.get(monitor.id) ?? []).map((span) => ({
        startedAtMs: span.startedAt.getTime(),
        resolvedAtMs: span.resolvedAt?.getTime() ?? null,
      })),
      days: HISTORY_DAYS,
    });
    services.set(monitor.id, {
      id: publicId(page.id, monitor.id),
      name: nameOf.get(monitor.id)!,
      state: withImpact(
        serviceState({
          status: displayStatus(monitor),
          failingRegions: failingOf.get(monitor.id) ?? 0,
          inMaintenance: inMaintenance.has(monitor.id),
        }),
        impactOn.get(monitor.id),
      ),
      uptimePercent: periodUptime(bars, nowMs, createdAtMs),
      bars: bars.map(({ checks: _checks, ...bar }) => bar),
    });
  }

  const sectionNames = new Map(page.sections.map((section) => [section.id, section.name]));
  const sections: PublicSection[] = [];
  for (const link of page.monitors) {
    const name = link.sectionId ? (sectionNames.get(link.sectionId) ?? null) : null;
    const last = sections.at(-1);
    if (last && last.name === name) last.services.push(services.get(link.monitorId)!);
    else sections.push({ name, services: [services.get(link.monitorId)!] });
  }

  const outages: PublicIncident[] = incidents.map((incident) => {
    const service = nameOf.get(incident.monitorId)!;
    return {
      id: publicId(page.id, incident.id),
      kind: "outage",
      impact: "major",
      title: `${service} outage`,
      services: [service],
      service,
      startedAt: incident.startedAt,
      resolvedAt: incident.resolvedAt,
      durationSeconds: incident.durationSeconds,
      updates: incident.updates,
    };
  });

  const posted: PublicIncident[] = announcements.map((announcement) => {
    const names = announcement.monitorIds.flatMap((monitorId) =>
      nameOf.has(monitorId) ? [nameOf.get(monitorId)!] : [],
    );
    return {
      id: publicId(page.id, announcement.id),
      kind: announcement.kind === "NOTICE" ? "notice" : "incident",
      impact: IMPACT[announcement.impact],
      title: announcement.title,
      services: names,
      service: names[0] ?? "",
      startedAt: announcement.startedAt,
      resolvedAt: announcement.resolvedAt,
      durationSeconds: announcement.resolvedAt
        ? Math.round((announcement.resolvedAt.getTime() - announcement.startedAt.getTime()) / 1000)
        : null,
      updates: announcement.updates,
    };
  });
  const newestFirst = (a: PublicIncident, b: PublicIncident) => b.startedAt.getTime() - a.startedAt.getTime();
  const publicIncidents = [...outages, ...posted.filter((item) => item.kind === "incident")].sort(newestFirst);

  return {
    name: page.name,
    slug: page.slug,
    visibility: page.visibility,
    description: page.description,
    logoUrl: page.logo ? logoPath(page.slug, page.logo.sha256) : null,
    overall: overallState([...services.values()].map((service) => service.state)),
    sections,
    activeIncidents: publicIncidents.filter((incident) => incident.resolvedAt === null),
    pastIncidents: [...publicIncidents, ...posted.filter((item) => item.kind === "notice")]
      .filter((incident) => incident.resolvedAt !== null)
      .sort(newestFirst),
    notices: posted.filter((item) => item.kind === "notice" && item.resolvedAt === null),
    maintenance: nextOfEachSeries(maintenance, nowMs).map((window) => ({
      id: publicId(page.id, window.id),
      title: window.title,
      description: window.description,
      startsAt: window.startsAt,
      endsAt: window.endsAt,
      services: window.monitors.map((monitor) => nameOf.get(monitor.monitorId)!),
      active: window.startsAt.getTime() <= nowMs,
    })),
    generatedAt: now,
  };
}

/**
 * Windows under way, and of each recurring maintenance only its current or else its next
 * occurrence (a daily one would fill the page).
 */
function nextOfEachSeries<T extends { recurringId: string | null; startsAt: Date }>(windows: T[], nowMs: number): T[] {
  const shown = new Set(
    windows.filter((window) => window.recurringId && window.startsAt.getTime() <= nowMs).map((w) => w.recurringId),
  );
  return windows.filter((window) => {
    if (!window.recurringId || window.startsAt.getTime() <= nowMs) return true;
    if (shown.has(window.recurringId)) return false;
    shown.add(window.recurringId);
    return true;
  });
}

type Impact = "NONE" | "MINOR" | "MAJOR" | "CRITICAL";
const IMPACT = { NONE: "none", MINOR: "minor", MAJOR: "major", CRITICAL: "critical" } as const;
const IMPACT_RANK: Record<Impact, number> = { NONE: 0, MINOR: 1, MAJOR: 2, CRITICAL: 3 };

function worstImpact(current: Impact | undefined, next: Impact): Impact {
  return current && IMPACT_RANK[current] >= IMPACT_RANK[next] ? current : next;
}

/** A service the owner says is affected shows at least that: minor is degraded, major or critical an outage. */
function withImpact(state: ServiceState, impact: Impact | undefined): ServiceState {
  if (!impact || impact === "NONE" || state === "outage") return state;
  return impact === "MINOR" ? "degraded" : "outage";
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}
