/**
 * What visitors of a published status page are served (the page, its JSON, feed and
 * badges): public names, states, daily uptime, incidents and maintenance, nothing more.
 * The server builds it (server/services/status-pages/public-page.server.ts).
 */
import type { DailyBar } from "../monitors/daily-bars.ts";
import type { OverallState, ServiceState } from "./overall-state.ts";
import type { PageVisibility } from "./status-page-input.ts";

/** A day as visitors see it: no check counts (how often we look is the owner's business). */
export type PublicBar = Omit<DailyBar, "checks">;

export interface PublicService {
  /** Opaque id (for badges), derived from the page and the monitor: no internal id leaks. */
  id: string;
  name: string;
  state: ServiceState;
  uptimePercent: number | null;
  bars: PublicBar[];
}

export interface PublicSection {
  name: string | null;
  services: PublicService[];
}

export interface PublicIncidentUpdate {
  status: string;
  message: string;
  createdAt: Date;
}

export interface PublicIncident {
  id: string;
  /** outage: a monitor found it; incident, notice: the owner posted it. */
  kind: "outage" | "incident" | "notice";
  impact: "none" | "minor" | "major" | "critical";
  title: string;
  /** The services concerned, by their public names (`service`: the first, for older clients). */
  services: string[];
  service: string;
  startedAt: Date;
  resolvedAt: Date | null;
  durationSeconds: number | null;
  updates: PublicIncidentUpdate[];
}

export interface PublicMaintenance {
  id: string;
  title: string;
  description: string | null;
  startsAt: Date;
  endsAt: Date;
  services: string[];
  active: boolean;
}

export interface PublicStatusPage {
  name: string;
  slug: string;
  /** UNLISTED and PRIVATE pages are never indexed; PRIVATE ones are never kept by shared caches. */
  visibility: PageVisibility;
  description: string | null;
  logoUrl: string | null;
  overall: OverallState;
  sections: PublicSection[];
  activeIncidents: PublicIncident[];
  /** Resolved incidents and notices of the last 14 days, newest first. */
  pastIncidents: PublicIncident[];
  /** The owner's notices still current. */
  notices: PublicIncident[];
  /** Active and upcoming maintenance. */
  maintenance: PublicMaintenance[];
  generatedAt: Date;
}
