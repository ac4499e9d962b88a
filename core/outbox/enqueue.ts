/**
 * Writing alerts into the outbox, inside the caller's transaction: the incident change
 * and its notifications commit together or not at all, so a crash can neither lose an
 * alert nor send one for a change that never happened.
 */
import {
  insertChannelDeliveries,
  insertMonitorSubscriberDeliveries,
  insertPagesSubscriberDeliveries,
} from "../db/queries/outbox.ts";
import type { Sql } from "../db/sql.ts";
import type { AlertPayload } from "./events.ts";

/**
 * One delivery per channel attached to the monitor whose recipient has agreed to receive
 * alerts (email channels wait for a confirmation). Returns how many were queued.
 */
export function enqueueForMonitor(
  sql: Sql,
  monitorId: string,
  incidentId: string | null,
  payload: AlertPayload,
  /** Only channels of these types (an acknowledgement goes to on-call services and webhooks); all when left out. */
  channelTypes?: readonly string[],
): Promise<number> {
  return insertChannelDeliveries(
    sql,
    { monitorId, incidentId, event: payload.event, payload: JSON.stringify(payload) },
    channelTypes ?? null,
  );
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
export function enqueueForSubscribers(
  sql: Sql,
  monitorId: string,
  incidentId: string | null,
  payload: AlertPayload,
): Promise<number> {
  return insertMonitorSubscriberDeliveries(sql, {
    monitorId,
    incidentId,
    event: payload.event,
    payload: JSON.stringify(publicPayload(payload)),
  });
}

/** A page-wide message: the payload as written (each mail adds its page's name and slug). */
const pageDelivery = (payload: AlertPayload) => ({ event: payload.event, payload: JSON.stringify(payload) });

/** A maintenance announcement, to the subscribers of every published page showing any of these monitors. */
export function enqueueMaintenanceForSubscribers(
  sql: Sql,
  monitorIds: string[],
  payload: AlertPayload,
): Promise<number> {
  return insertPagesSubscriberDeliveries(sql, { pageId: null, showing: monitorIds }, pageDelivery(payload));
}

/** The owner's announcement, to the subscribers of its (published) page. */
export function enqueueForPageSubscribers(sql: Sql, statusPageId: string, payload: AlertPayload): Promise<number> {
  return insertPagesSubscriberDeliveries(sql, { pageId: statusPageId, showing: null }, pageDelivery(payload));
}
