/**
 * Claiming due checks (workers/engine/claim.ts): one statement per batch picks due
 * schedule rows of a region (FOR UPDATE SKIP LOCKED), moves each to its next slot on the
 * monitor's grid, leases it, and returns what the check needs.
 */
import type { DnsRecordType, KeywordMode, MonitorType } from "../generated/enums.ts";
import type { Sql } from "../sql.ts";

/**
 * What a monitor type reads of a stored monitor to make its probe request
 * (core/monitor-types/): the monitor's settings as the claim returns them, headers read.
 * Declared once, here, for every type.
 */
export interface StoredCheck {
  type: MonitorType;
  url: string;
  /** TCP and TLS monitors: host and port; DNS monitors: the name (core/monitor-types/). */
  targetHost: string | null;
  targetPort: number | null;
  method: string;
  headers: { name: string; value: string }[];
  body: string | null;
  expectedStatusCodes: string;
  keyword: string | null;
  keywordMode: KeywordMode;
  followRedirects: boolean;
  maxRedirects: number;
  timeoutMs: number;
  intervalSeconds: number;
  createdAt: Date;
  tcpTls: boolean;
  ignoreTlsErrors: boolean;
  keywordIgnoreCase: boolean;
  /** Raw JSON, as stored (core/domain/assertions.ts). */
  assertions: unknown;
  maxResponseMs: number | null;
  heartbeatGraceSeconds: number;
  /** Heartbeat monitors: the last ping (null for other types, or before the first). */
  lastPingAt: Date | null;
  lastPingFailed: boolean | null;
  lastPingMessage: string | null;
  dnsRecordType: DnsRecordType | null;
  dnsResolver: string | null;
  expectedValue: string | null;
  tlsExpiryDays: number | null;
}

/** A claimed check as the statement returns it: its request headers still raw JSON, and where its schedule stands. */
export interface ClaimRow extends Omit<StoredCheck, "headers" | "body"> {
  monitorId: string;
  region: string;
  /** The slot this check was due at (schedule lag = start − scheduledAt). */
  scheduledAt: Date;
  leaseUntil: Date;
  leasedSlot: Date;
  phaseMs: number;
  /** Raw JSON, as stored (core/domain/headers.ts reads it). */
  requestHeaders: unknown;
  requestBody: string | null;
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
  p."dnsRecordType"::text AS "dnsRecordType", p."dnsResolver", p."expectedValue", p."tlsExpiryDays", p.url, p."targetHost", p."targetPort", p.method, p."requestHeaders", p."requestBody", p."expectedStatusCodes", p.keyword, p."keywordMode",
  p."followRedirects", p."maxRedirects", p."timeoutMs", p."intervalSeconds", p."phaseMs"`;

/** Claims up to `limit` checks of `region` due within `lookaheadMs`, each leased for its timeout + `leaseGraceMs`. */
export function claimDue(
  sql: Sql,
  claim: { region: string; limit: number; leaseGraceMs: number; lookaheadMs: number },
): Promise<ClaimRow[]> {
  return sql.query<ClaimRow>(CLAIM_SQL, [claim.region, claim.limit, claim.leaseGraceMs, claim.lookaheadMs]);
}
