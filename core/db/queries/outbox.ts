/**
 * The outbox's statements: queueing deliveries (inside the caller's transaction, so an
 * incident change and its alerts commit together), and the sender's claims, leases and
 * settling (workers/notifications/outbox-sender.ts). The alert texts and who may hear
 * what are decided by the callers (core/outbox/enqueue.ts); this file only writes rows.
 */
import type { ChannelType } from "../generated/enums.ts";
import type { Sql } from "../sql.ts";

/** One delivery per confirmed channel attached to the monitor (of these types, when given). */
export function insertChannelDeliveries(
  sql: Sql,
  delivery: { monitorId: string; incidentId: string | null; event: string; payload: string },
  channelTypes: readonly string[] | null,
): Promise<number> {
  return sql.execute(
    `INSERT INTO "NotificationDelivery" (id, "channelId", "websiteId", "incidentId", event, payload)
     SELECT md5(random()::text || clock_timestamp()::text || mc."channelId"), mc."channelId", $1, $2, $3, $4::jsonb
     FROM "MonitorChannel" mc JOIN "NotificationChannel" c ON c.id = mc."channelId"
     WHERE mc."websiteId" = $1 AND c."confirmedAt" IS NOT NULL AND ($5::text[] IS NULL OR c.type::text = ANY($5::text[]))`,
    [delivery.monitorId, delivery.incidentId, delivery.event, delivery.payload, channelTypes],
  );
}

/** One delivery per confirmed, unpaused subscriber of each published page showing the monitor, named as the page names it. */
export function insertMonitorSubscriberDeliveries(
  sql: Sql,
  delivery: { monitorId: string; incidentId: string | null; event: string; payload: string },
): Promise<number> {
  return sql.execute(
    `INSERT INTO "NotificationDelivery" (id, "subscriberId", "websiteId", "incidentId", event, payload)
     SELECT md5(random()::text || clock_timestamp()::text || s.id), s.id, $1, $2, $3,
            $4::jsonb || jsonb_build_object(
              'monitor', jsonb_build_object('id', spm."websiteId", 'name', COALESCE(spm."displayName", 'A service'), 'url', ''),
              'page', jsonb_build_object('name', sp.name, 'slug', sp.slug))
     FROM "StatusPageMonitor" spm
     JOIN "StatusPage" sp ON sp.id = spm."statusPageId" AND sp."isPublished"
     JOIN "Subscriber" s ON s."statusPageId" = sp.id AND s."confirmedAt" IS NOT NULL AND s."pausedAt" IS NULL
     WHERE spm."websiteId" = $1`,
    [delivery.monitorId, delivery.incidentId, delivery.event, delivery.payload],
  );
}

/**
 * One delivery per confirmed, unpaused subscriber of the published pages chosen: one page
 * (`pageId`), or every page showing any of `showing`'s monitors; null matches all.
 */
export function insertPagesSubscriberDeliveries(
  sql: Sql,
  pages: { pageId: string | null; showing: string[] | null },
  delivery: { event: string; payload: string },
): Promise<number> {
  return sql.execute(
    `INSERT INTO "NotificationDelivery" (id, "subscriberId", event, payload)
     SELECT md5(random()::text || clock_timestamp()::text || s.id), s.id, $3,
            $4::jsonb || jsonb_build_object('page', jsonb_build_object('name', sp.name, 'slug', sp.slug))
     FROM "Subscriber" s
     JOIN "StatusPage" sp ON sp.id = s."statusPageId" AND sp."isPublished"
     WHERE s."confirmedAt" IS NOT NULL AND s."pausedAt" IS NULL
       AND ($1::text IS NULL OR s."statusPageId" = $1)
       AND ($2::text[] IS NULL OR EXISTS (
             SELECT 1 FROM "StatusPageMonitor" spm WHERE spm."statusPageId" = sp.id AND spm."websiteId" = ANY($2::text[])))`,
    [pages.pageId, pages.showing, delivery.event, delivery.payload],
  );
}

export interface DueReminder {
  incidentId: string;
  monitorId: string;
  channelId: string;
  name: string | null;
  url: string;
  cause: string;
  causeDetail: string | null;
  regions: string[];
  startedAt: Date;
}

/**
 * The reminders due: open, unacknowledged incidents whose channels ask for reminders and
 * heard nothing for `reminderMinutes`. The advisory lock `lockKey` is taken in the same
 * statement (held until commit): while another sender decides, this one finds nothing due.
 */
export function dueReminders(sql: Sql, lockKey: number): Promise<DueReminder[]> {
  return sql.query<DueReminder>(
    `WITH lock AS (SELECT pg_try_advisory_xact_lock($1) AS locked)
       SELECT i.id AS "incidentId", i."websiteId" AS "monitorId", c.id AS "channelId", w.name, w.url, i.cause, i."causeDetail",
              i.regions, i."startedAt"
       FROM lock, "Incident" i
       JOIN "Website" w ON w.id = i."websiteId"
       JOIN "MonitorChannel" mc ON mc."websiteId" = i."websiteId"
       JOIN "NotificationChannel" c ON c.id = mc."channelId"
       WHERE lock.locked AND i."openKey" IS NOT NULL AND i."acknowledgedAt" IS NULL
         AND c."reminderMinutes" IS NOT NULL AND c."confirmedAt" IS NOT NULL
         AND COALESCE(
               (SELECT max(d."createdAt") FROM "NotificationDelivery" d WHERE d."incidentId" = i.id AND d."channelId" = c.id),
               i."startedAt") <= now() - make_interval(mins => c."reminderMinutes")`,
    [lockKey],
  );
}

export async function insertReminderDelivery(sql: Sql, reminder: DueReminder, payload: string): Promise<void> {
  await sql.execute(
    `INSERT INTO "NotificationDelivery" (id, "channelId", "websiteId", "incidentId", event, payload)
         VALUES (md5(random()::text || clock_timestamp()::text), $1, $2, $3, 'incident.reminder', $4::jsonb)`,
    [reminder.channelId, reminder.monitorId, reminder.incidentId, payload],
  );
}

export interface ClaimedDelivery {
  id: string;
  claimToken: string;
  payload: unknown;
  attempts: number;
  createdAt: Date;
  channelId: string | null;
  subscriberId: string | null;
}

/**
 * Due deliveries that are the oldest pending of their (channel or subscriber, monitor),
 * at most $4 in flight per channel counting those other senders hold, oldest first.
 */
const CLAIM_SQL = `
WITH busy AS (
  SELECT "channelId", count(*)::int AS sending
  FROM "NotificationDelivery"
  WHERE status = 'PENDING' AND "claimToken" IS NOT NULL AND "nextAttemptAt" > now() AND "channelId" IS NOT NULL
  GROUP BY "channelId"
),
eligible AS (
  SELECT p.id, p.seq, p."channelId",
    row_number() OVER (PARTITION BY COALESCE(p."channelId", p."subscriberId") ORDER BY p.seq) AS rank
  FROM "NotificationDelivery" p
  WHERE p.status = 'PENDING' AND p."nextAttemptAt" <= now()
    AND NOT EXISTS (
      SELECT 1 FROM "NotificationDelivery" e
      WHERE e."channelId" IS NOT DISTINCT FROM p."channelId"
        AND e."subscriberId" IS NOT DISTINCT FROM p."subscriberId"
        AND e."websiteId" IS NOT DISTINCT FROM p."websiteId"
        AND e.status = 'PENDING' AND e.seq < p.seq)
),
picked AS (
  SELECT e.id FROM eligible e LEFT JOIN busy b ON b."channelId" = e."channelId"
  WHERE e.rank + COALESCE(b.sending, 0) <= $4
  ORDER BY e.seq
  LIMIT $1
)
UPDATE "NotificationDelivery" d
SET attempts = d.attempts + 1, "nextAttemptAt" = now() + make_interval(secs => $2 / 1000.0), "claimToken" = $3
WHERE d.id IN (
  SELECT l.id FROM "NotificationDelivery" l
  WHERE l.id IN (SELECT id FROM picked) AND l.status = 'PENDING' AND l."nextAttemptAt" <= now()
  FOR UPDATE SKIP LOCKED)
RETURNING d.id, d."claimToken", d.payload, d.attempts, d."createdAt", d."channelId", d."subscriberId"`;

/** Claims up to `limit` due deliveries with `claimToken`, leased for `leaseMs`. */
export function claimDeliveries(
  sql: Sql,
  claim: { limit: number; leaseMs: number; claimToken: string; perChannelLimit: number },
): Promise<ClaimedDelivery[]> {
  return sql.query<ClaimedDelivery>(CLAIM_SQL, [claim.limit, claim.leaseMs, claim.claimToken, claim.perChannelLimit]);
}

/** Renews the leases of the sends still in progress (only while we hold them). */
export async function extendLeases(
  sql: Sql,
  held: { ids: string[]; tokens: string[] },
  leaseMs: number,
): Promise<void> {
  await sql.execute(
    `
UPDATE "NotificationDelivery" d
SET "nextAttemptAt" = now() + make_interval(secs => $3 / 1000.0)
FROM unnest($1::text[], $2::text[]) AS held(id, token)
WHERE d.id = held.id AND d."claimToken" = held.token AND d.status = 'PENDING'`,
    [held.ids, held.tokens, leaseMs],
  );
}

/**
 * Records a send's outcome if `claimToken` still holds it, and tells the monitor's open
 * pages (on commit, on `channel`) that its delivery log changed. Returns 0 when the
 * claim was lost.
 */
export function settleDelivery(
  sql: Sql,
  delivery: { id: string; claimToken: string },
  outcome: { status: "SENT" | "FAILED" | "PENDING"; message: string | null; retryDelayMs: number },
  channel: string,
): Promise<number> {
  return sql.execute(
    `WITH settled AS (
             UPDATE "NotificationDelivery"
             SET status = $3::"DeliveryStatus", "lastError" = $4, "claimToken" = NULL,
                 "sentAt" = CASE WHEN $3 = 'SENT' THEN now() ELSE "sentAt" END,
                 "nextAttemptAt" = CASE WHEN $3 = 'SENT' THEN "nextAttemptAt" ELSE now() + make_interval(secs => $5 / 1000.0) END
             WHERE id = $1 AND "claimToken" = $2 AND status = 'PENDING'
             RETURNING "websiteId"
           ), told AS (
             SELECT pg_notify($6, json_build_object(w."userId", json_build_array(w.id))::text)
             FROM settled s JOIN "Website" w ON w.id = s."websiteId"
           )
           SELECT 1 FROM settled, (SELECT count(*) FROM told) AS sent_notifications`,
    [delivery.id, delivery.claimToken, outcome.status, outcome.message, outcome.retryDelayMs, channel],
  );
}

/** A channel as the senders read it (core/outbox/channel-types.ts says what each type keeps). */
export interface ChannelRecord {
  id: string;
  type: ChannelType;
  target: string;
  secret: string | null;
  signingSecret: string | null;
  settings: unknown;
}

/** The channels of claimed deliveries, as the senders read them. */
export function channelsByIds(sql: Sql, ids: string[]): Promise<ChannelRecord[]> {
  return sql.query<ChannelRecord>(
    `SELECT id, type::text AS type, target, secret, "signingSecret", settings FROM "NotificationChannel" WHERE id = ANY($1)`,
    [ids],
  );
}

export interface SubscriberRecipient {
  id: string;
  email: string;
  slug: string;
  pausedAt: Date | null;
}

/** The subscribers of claimed deliveries, with their page's slug (for the links in their mail). */
export function subscriberRecipients(sql: Sql, ids: string[]): Promise<SubscriberRecipient[]> {
  return sql.query<SubscriberRecipient>(
    `SELECT s.id, s.email, s."pausedAt", p.slug
         FROM "Subscriber" s JOIN "StatusPage" p ON p.id = s."statusPageId" WHERE s.id = ANY($1)`,
    [ids],
  );
}
