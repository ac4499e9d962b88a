/**
 * The monitor page's statements the model API cannot say (app/server/services/monitors/
 * dashboard.server.ts): a day of raw results by the minute, with exact percentiles.
 */
import type { Sql } from "../sql.ts";

/** A chart point: phases, total and percentiles in ms (null where no check had them). */
export interface ResponsePointRow {
  t: Date;
  dns: number | null;
  connect: number | null;
  tls: number | null;
  ttfb: number | null;
  download: number | null;
  total: number | null;
  p50: number | null;
  p95: number | null;
}

/** The monitor's successful checks since `since`, averaged by the minute. */
export function minuteResponsePoints(sql: Sql, monitorKey: number, since: Date): Promise<ResponsePointRow[]> {
  return sql.query<ResponsePointRow>(
    `
        SELECT to_timestamp(floor(extract(epoch FROM r."scheduledAt") / 60) * 60) AS t,
               avg(bu_ms(r."dnsMs"))::float AS dns, avg(bu_ms(r."connectMs"))::float AS connect,
               avg(bu_ms(r."tlsMs"))::float AS tls, avg(bu_ms(r."ttfbMs"))::float AS ttfb,
               avg(bu_ms(r."downloadMs"))::float AS download, avg(r."responseTimeMs")::float AS total,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY r."responseTimeMs")::float AS p50,
               percentile_cont(0.95) WITHIN GROUP (ORDER BY r."responseTimeMs")::float AS p95
        FROM "CheckResult" r
        WHERE r."monitorKey" = $1 AND r.status = 'UP' AND r."scheduledAt" >= $2
        GROUP BY 1 ORDER BY 1`,
    [monitorKey, since],
  );
}
