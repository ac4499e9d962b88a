/**
 * Writing alerts into the outbox, inside the caller's transaction: the incident change
 * and its notifications commit together or not at all, so a crash can neither lose an
 * alert nor send one for a change that never happened.
 */
import type { AlertPayload } from "./events.ts";

/** A pg client in a transaction, or a Prisma transaction through `sqlClientOf`. */
export interface SqlClient {
  query(text: string, values: unknown[]): Promise<{ rowCount: number | null }>;
}

/** Prisma's interactive transaction as a SqlClient, so services share the outbox SQL. */
export function sqlClientOf(tx: {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}): SqlClient {
  return { query: (text, values) => tx.$executeRawUnsafe(text, ...values).then((rowCount) => ({ rowCount })) };
}

/**
 * One delivery per channel attached to the monitor whose recipient has agreed to receive
 * alerts (email channels wait for a confirmation). Returns how many were queued.
 */
export async function enqueueForMonitor(
  client: SqlClient,
  monitorId: string,
  incidentId: string | null,
  payload: AlertPayload,
  /** Only channels of these types (an acknowledgement goes to on-call services and webhooks); all when left out. */
  channelTypes?: readonly string[],
): Promise<number> {
  const { rowCount } = await client.query(
    `INSERT INTO "NotificationDelivery" (id, "channelId", "websiteId", "incidentId", event, payload)
     SELECT md5(random()::text || clock_timestamp()::text || mc."channelId"), mc."channelId", $1, $2, $3, $4::jsonb
     FROM "MonitorChannel" mc JOIN "NotificationChannel" c ON c.id = mc."channelId"
     WHERE mc."websiteId" = $1 AND c."confirmedAt" IS NOT NULL AND ($5::text[] IS NULL OR c.type::text = ANY($5::text[]))`,
    [monitorId, incidentId, payload.event, JSON.stringify(payload), channelTypes ?? null],
  );
  return rowCount ?? 0;
}

/**
 * What a status page's subscribers may learn: that a service (by its public name on the
 * page) is down or back, and when — never its URL, error text or regions.
 */
export function publicPayload(payload: AlertPayload): AlertPayload {
  return {
    ...payload,
    monitor: { id: payload.monitor.id, name: null, url: "" },
    incident: payload.incident && { ...payload.incident, cause: "outage", detail: null, regions: [] },
    tls: null,
  };
}

/**
 * One delivery per confirmed subscriber of each published page showing the monitor.
 * Paused subscribers (a page that turned private, until they confirm again: see
 * subscriber-pause.ts) get none, here and below.
 */
export async function enqueueForSubscribers(
  client: SqlClient,
  monitorId: string,
  incidentId: string | null,
  payload: AlertPayload,
): Promise<number> {
  const { rowCount } = await client.query(
    `INSERT INTO "NotificationDelivery" (id, "subscriberId", "websiteId", "incidentId", event, payload)
     SELECT md5(random()::text || clock_timestamp()::text || s.id), s.id, $1, $2, $3,
            $4::jsonb || jsonb_build_object(
              'monitor', jsonb_build_object('id', spm."websiteId", 'name', COALESCE(spm."displayName", 'A service'), 'url', ''),
              'page', jsonb_build_object('name', sp.name, 'slug', sp.slug))
     FROM "StatusPageMonitor" spm
     JOIN "StatusPage" sp ON sp.id = spm."statusPageId" AND sp."isPublished"
     JOIN "Subscriber" s ON s."statusPageId" = sp.id AND s."confirmedAt" IS NOT NULL AND s."pausedAt" IS NULL
     WHERE spm."websiteId" = $1`,
    [monitorId, incidentId, payload.event, JSON.stringify(publicPayload(payload))],
  );
  return rowCount ?? 0;
}

/**
 * One delivery per confirmed subscriber of the published pages chosen: one page (the
 * owner's announcements), or every page showing any of these monitors (a maintenance).
 */
async function enqueueForPagesSubscribers(
  client: SqlClient,
  pages: { pageId: string | null; showing: string[] | null },
  payload: AlertPayload,
): Promise<number> {
  const { rowCount } = await client.query(
    `INSERT INTO "NotificationDelivery" (id, "subscriberId", event, payload)
     SELECT md5(random()::text || clock_timestamp()::text || s.id), s.id, $3,
            $4::jsonb || jsonb_build_object('page', jsonb_build_object('name', sp.name, 'slug', sp.slug))
     FROM "Subscriber" s
     JOIN "StatusPage" sp ON sp.id = s."statusPageId" AND sp."isPublished"
     WHERE s."confirmedAt" IS NOT NULL AND s."pausedAt" IS NULL
       AND ($1::text IS NULL OR s."statusPageId" = $1)
       AND ($2::text[] IS NULL OR EXISTS (
             SELECT 1 FROM "StatusPageMonitor" spm WHERE spm."statusPageId" = sp.id AND spm."websiteId" = ANY($2::text[])))`,
    [pages.pageId, pages.showing, payload.event, JSON.stringify(payload)],
  );
  return rowCount ?? 0;
}

/** A maintenance announcement, to the subscribers of every published page showing any of these monitors. */
export function enqueueMaintenanceForSubscribers(
  client: SqlClient,
  monitorIds: string[],
  payload: AlertPayload,
): Promise<number> {
  return enqueueForPagesSubscribers(client, { pageId: null, showing: monitorIds }, payload);
}

/** The owner's announcement, to the subscribers of its (published) page. */
export function enqueueForPageSubscribers(
  client: SqlClient,
  statusPageId: string,
  payload: AlertPayload,
): Promise<number> {
  return enqueueForPagesSubscribers(client, { pageId: statusPageId, showing: null }, payload);
}
