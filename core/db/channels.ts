/** LISTEN/NOTIFY channels between the web app and the runners. */

/** Runners LISTEN here, to check a new, edited or resumed monitor at once. */
export const SCHEDULE_CHANNEL = "better_uptime_schedule";
