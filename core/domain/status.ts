/** A monitor's confirmed state, as the engine keeps it: PENDING until its first verdict. */
export type MonitorStatus = "PENDING" | "UP" | "DOWN";

/** What people see: the state, or PAUSED for a monitor that is not being checked. */
export type DisplayStatus = MonitorStatus | "PAUSED";

/** One check's outcome. */
export type CheckStatus = "UP" | "DOWN";

export function displayStatus(monitor: { isActive: boolean; status: MonitorStatus }): DisplayStatus {
  return monitor.isActive ? monitor.status : "PAUSED";
}
