/** LISTEN/NOTIFY channels between the web app and the runners. */

/** Runners LISTEN here, to check a new, edited or resumed monitor at once. */
export const SCHEDULE_CHANNEL = "better_uptime_schedule";

/** The result writer NOTIFYs here which monitors of which users changed (monitor-changes.ts). */
export const MONITOR_CHANGES_CHANNEL = "better_uptime_monitor_changes";
