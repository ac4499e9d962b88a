/**
 * What a status page says about each service and about the whole (pure). A service in
 * a maintenance window shows "maintenance" whatever its checks say; paused or not yet
 * checked services show no state and do not count.
 */
import type { DisplayStatus } from "../../../core/domain/status.ts";

export type ServiceState = "operational" | "degraded" | "outage" | "maintenance" | "unknown";
export type OverallState = "operational" | "degraded" | "partial_outage" | "major_outage" | "maintenance";

export interface ServiceFacts {
  status: DisplayStatus;
  /** Regions whose own checks are failing (below the quorum that confirms DOWN). */
  failingRegions: number;
  inMaintenance: boolean;
}

export function serviceState({ status, failingRegions, inMaintenance }: ServiceFacts): ServiceState {
  if (inMaintenance) return "maintenance";
  if (status === "DOWN") return "outage";
  if (status === "UP") return failingRegions > 0 ? "degraded" : "operational";
  return "unknown";
}

/** Every counted service down: major; some: partial; else degraded, maintenance, operational. */
export function overallState(services: ServiceState[]): OverallState {
  const counted = services.filter((state) => state !== "unknown");
  const outages = counted.filter((state) => state === "outage").length;
  if (outages > 0) return outages === counted.length ? "major_outage" : "partial_outage";
  if (counted.includes("degraded")) return "degraded";
  if (counted.includes("maintenance")) return "maintenance";
  return "operational";
}

export const OVERALL_LABEL: Record<OverallState, string> = {
  operational: "All systems operational",
  degraded: "Degraded performance",
  partial_outage: "Partial outage",
  major_outage: "Major outage",
  maintenance: "Under maintenance",
};

export const SERVICE_LABEL: Record<ServiceState, string> = {
  operational: "Operational",
  degraded: "Degraded",
  outage: "Outage",
  maintenance: "Maintenance",
  unknown: "Not monitored",
};
