/**
 * Claiming due checks. One statement per batch: pick due schedule rows of this region
 * (FOR UPDATE SKIP LOCKED, so concurrent runners take disjoint rows and never wait on
 * each other), move each to its next slot on the monitor's grid (schedule.ts,
 * slotAfterCheck), and return what the check needs.
 *
 * A claim is also a lease: `nextCheckAt` becomes the earlier of the next slot and
 * due time + timeout + grace. Writing the result moves it to the slot; a runner that dies
 * mid-check leaves the row due again when the lease ends, for another runner to take.
 */
import type pg from "pg";
import { storedHeaders } from "../../core/domain/headers.ts";
import type { StoredCheck } from "../../core/monitor-types/stored-check.ts";

/** Added to a check's timeout to make its lease: time to write the result. */
export const LEASE_GRACE_MS = 30_000;

/** A due check as claimed: the monitor's stored settings and where its schedule stands. */
export interface ClaimedCheck extends StoredCheck {
  monitorId: string;
  region: string;
  /** The slot this check was due at (schedule lag = start − scheduledAt). */
  scheduledAt: Date;
  leaseUntil: Date;
  leasedSlot: Date;
  phaseMs: number;
}

const CLAIM_SQL = `
WITH due AS (
  SELECT "websiteId", "nextCheckAt"
  FROM "MonitorSchedule"
  WHERE region = $1 AND "isActive" AND "nextCheckAt" <= now() + make_interval(secs => $4 / 1000.0)
  ORDER BY "nextCheckAt"
  LIMIT $2
  FOR UPDATE SKIP LOCKED
),
planned AS (
  SELECT due."websiteId", due."nextCheckAt" AS scheduled, w.*,
    ping."receivedAt" AS "lastPingAt", ping.failed AS "lastPingFailed", ping.message AS "lastPingMessage",
    CASE WHEN w.type = 'HEARTBEAT' THEN
      -- Heartbeats are judged at the last ping's deadline (core/domain/heartbeat.ts, nextHeartbeatCheckMs).
      CASE WHEN ping."receivedAt" + make_interval(secs => w."intervalSeconds" + w."heartbeatGraceSeconds") > now()
        THEN ping."receivedAt" + make_interval(secs => w."intervalSeconds" + w."heartbeatGraceSeconds")
        ELSE now() + make_interval(secs => w."intervalSeconds") END
    ELSE to_timestamp((
      (floor((extract(epoch FROM GREATEST(now(), due."nextCheckAt")) * 1000 + w."intervalSeconds" * 500.0 - w."phaseMs")
        / (w."intervalSeconds" * 1000.0)) + 1)
        * w."intervalSeconds" * 1000.0 + w."phaseMs"
    ) / 1000.0) END AS next_slot,
    GREATEST(now(), due."nextCheckAt") + make_interval(secs => (w."timeoutMs" + $3) / 1000.0) AS lease_until
  FROM due JOIN "Website" w ON w.id = due."websiteId"
  LEFT JOIN LATERAL (
    SELECT p."receivedAt", p.failed, p.message FROM "HeartbeatPing" p
    WHERE w.type = 'HEARTBEAT' AND p."websiteId" = w.id ORDER BY p."receivedAt" DESC LIMIT 1
  ) ping ON true
)
UPDATE "MonitorSchedule" s
SET "leasedSlot" = p.next_slot,
    "leaseUntil" = p.lease_until,
    "nextCheckAt" = LEAST(p.next_slot, p.lease_until)
FROM planned p
WHERE s."websiteId" = p."websiteId" AND s.region = $1
RETURNING s."websiteId" AS "monitorId", s.region, p.scheduled AS "scheduledAt", s."leaseUntil", s."leasedSlot",
  p.type::text AS type, p."tcpTls", p."ignoreTlsErrors", p."keywordIgnoreCase", p.assertions, p."maxResponseMs",
  p."heartbeatGraceSeconds", p."lastPingAt", p."lastPingFailed", p."lastPingMessage", p."createdAt",
  p."dnsRecordType"::text AS "dnsRecordType", p."dnsResolver", p."expectedValue", p."tlsExpiryDays", p.url, p.method, p."requestHeaders", p."requestBody", p."expectedStatusCodes", p.keyword, p."keywordMode",
  p."followRedirects", p."maxRedirects", p."timeoutMs", p."intervalSeconds", p."phaseMs"`;

/** A row as the claim returns it: headers still raw JSON. */
type ClaimRow = Omit<ClaimedCheck, "headers" | "body"> & { requestHeaders: unknown; requestBody: string | null };

/**
 * Claims checks due now or within `lookaheadMs`; the scheduler starts each at its due
 * time, so checks run on time rather than up to a poll interval late.
 */
export async function claimDueChecks(
  pool: pg.Pool,
  region: string,
  limit: number,
  lookaheadMs: number,
): Promise<ClaimedCheck[]> {
  const { rows } = await pool.query<ClaimRow>(CLAIM_SQL, [region, limit, LEASE_GRACE_MS, lookaheadMs]);
  return rows.map(({ requestHeaders, requestBody, ...row }) => ({
    ...row,
    headers: storedHeaders(requestHeaders),
    body: requestBody,
  }));
}
