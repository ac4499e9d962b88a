/** The cookie in which the browser tells the server its time zone (root.tsx writes it, the server reads it). */
export const TIME_ZONE_COOKIE = "tz";
