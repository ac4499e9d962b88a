/**
 * Acknowledging an open incident: someone has taken it. Reminders stop
 * (workers/notifications/reminders.ts skips acknowledged incidents), the incident shows
 * who and when, and the services that track acknowledgement themselves — PagerDuty,
 * Opsgenie — are told, as are webhooks; chats and mail are not woken for it.
 *
 * From the dashboard or the API (the owner), or from the signed link in an alert email
 * (whoever received it, in that recipient's name) — while the link works: for 7 days,
 * while the incident is open and while its channel still alerts for the monitor
 * (core/outbox/acknowledge-link.ts). Acknowledging twice changes nothing.
 */
import type { Prisma } from "../../../../core/db/generated/client.ts";
import {
  acknowledgeKey,
  acknowledgeLinkVerdict,
  validAcknowledgeSignature,
  type AcknowledgeLinkRefusal,
  type SignedAcknowledgeLink,
} from "../../../../core/outbox/acknowledge-link.ts";
import { enqueueForMonitor } from "../../../../core/outbox/enqueue.ts";
import { sqlOfPrisma } from "../../../../core/db/sql.ts";
import { incidentAlertPayload } from "../../../../core/outbox/events.ts";
import type { ChannelType } from "../../../../core/outbox/channel-types.ts";
import type { Db } from "../../../../core/db/client.ts";
import { ForbiddenError, NotFoundError } from "../errors.server.ts";
import type { OwnerScope, Scope } from "../scope.server.ts";

/** Who hears of an acknowledgement. */
const TOLD_OF_ACKNOWLEDGEMENT: readonly ChannelType[] = ["PAGERDUTY", "OPSGENIE", "WEBHOOK"];

export interface AcknowledgementView {
  incidentId: string;
  monitor: { id: string; name: string };
  startedAt: Date;
  resolvedAt: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
}

const INCLUDE = { monitor: { select: { id: true, name: true, url: true, userId: true } } } as const;
type IncidentWithMonitor = Prisma.IncidentGetPayload<{ include: typeof INCLUDE }>;

function toView(incident: IncidentWithMonitor): AcknowledgementView {
  return {
    incidentId: incident.id,
    monitor: { id: incident.monitor.id, name: incident.monitor.name ?? incident.monitor.url },
    startedAt: incident.startedAt,
    resolvedAt: incident.resolvedAt,
    acknowledgedAt: incident.acknowledgedAt,
    acknowledgedBy: incident.acknowledgedBy,
  };
}

/**
 * Marks the incident acknowledged by `by` and queues its acknowledgement, in one
 * transaction; only an open, unacknowledged incident changes (a conditional update, so
 * two people acknowledging at once make one acknowledgement).
 */
async function acknowledge(db: Db, incident: IncidentWithMonitor, by: string): Promise<AcknowledgementView> {
  const updated = await db.$transaction(async (tx) => {
    const { count } = await tx.incident.updateMany({
      where: { id: incident.id, acknowledgedAt: null, resolvedAt: null },
      data: { acknowledgedAt: new Date(), acknowledgedBy: by },
    });
    const current = await tx.incident.findUniqueOrThrow({ where: { id: incident.id }, include: INCLUDE });
    if (count === 1) {
      const payload = incidentAlertPayload("incident.acknowledged", current.monitor, current, current.acknowledgedAt!, {
        acknowledgement: { by, at: current.acknowledgedAt!.toISOString() },
      });
      await enqueueForMonitor(sqlOfPrisma(tx), current.monitorId, current.id, payload, TOLD_OF_ACKNOWLEDGEMENT);
    }
    return current;
  });
  return toView(updated);
}

export async function acknowledgeIncident(scope: OwnerScope, { id }: { id: string }): Promise<AcknowledgementView> {
  const incident: IncidentWithMonitor = await scope.own.incident(id);
  const user = await scope.db.user.findUniqueOrThrow({
    where: { id: scope.userId },
    select: { name: true, email: true },
  });
  return acknowledge(scope.db, incident, user.name ?? user.email);
}

export type AcknowledgeLink = SignedAcknowledgeLink;

/** What the link's page says when a signed link no longer works (it tells nothing about the incident). */
const REFUSALS: Record<AcknowledgeLinkRefusal, string> = {
  closed: "This incident is over, so there is nothing left to acknowledge.",
  expired:
    "This acknowledge link has expired: links work for 7 days after the alert was sent. Open the incident from your Better Uptime dashboard instead.",
  channelRemoved:
    "The alert channel this link was sent to has been removed, or no longer alerts for this monitor, so the link no longer works.",
};

/**
 * The incident a signed link names, while the link still works: NOT_FOUND for any link
 * this instance did not sign, FORBIDDEN (saying why) for one that expired, whose
 * incident is over or whose channel is gone.
 */
async function linkedIncident(scope: Scope, link: AcknowledgeLink): Promise<IncidentWithMonitor> {
  const key = await acknowledgeKey(sqlOfPrisma(scope.db));
  const invalid = new NotFoundError("This acknowledge link is not valid.");
  if (!validAcknowledgeSignature(key, link)) throw invalid;
  const incident = await scope.db.incident.findUnique({ where: { id: link.id }, include: INCLUDE });
  if (!incident) throw invalid;
  const channelAlertsMonitor = await scope.db.monitorChannel.findUnique({
    where: { monitorId_channelId: { monitorId: incident.monitorId, channelId: link.channel } },
    select: { channelId: true },
  });
  const refusal = acknowledgeLinkVerdict({
    exp: link.exp,
    incident,
    channelAlertsMonitor: channelAlertsMonitor !== null,
    now: new Date(),
  });
  if (refusal) throw new ForbiddenError(REFUSALS[refusal]);
  return incident;
}

/** What the link's page shows before its button is pressed (mail scanners only fetch). */
export async function acknowledgeLinkState(scope: Scope, link: AcknowledgeLink): Promise<AcknowledgementView> {
  return toView(await linkedIncident(scope, link));
}

export async function acknowledgeIncidentByLink(scope: Scope, link: AcknowledgeLink): Promise<AcknowledgementView> {
  const incident = await linkedIncident(scope, link);
  const channel = await scope.db.notificationChannel.findUnique({
    where: { id: link.channel },
    select: { type: true, target: true },
  });
  const by = channel?.type === "EMAIL" ? `${channel.target}, from the alert email` : "a recipient of the alert email";
  return acknowledge(scope.db, incident, by);
}
