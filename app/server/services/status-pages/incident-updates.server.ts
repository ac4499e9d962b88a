/**
 * What the owner tells the public about an incident: updates (investigating →
 * identified → monitoring → resolved) shown on every page listing the monitor and
 * mailed to those pages' subscribers, in the same transaction as the update.
 */
import type { z } from "zod";
import { INCIDENT_UPDATE_LABEL, type PostIncidentUpdateInput } from "~/lib/status-pages/status-page-input.ts";
import { enqueueForSubscribers } from "../../../../core/outbox/enqueue.ts";
import { sqlOfPrisma } from "../../../../core/db/sql.ts";
import { NotFoundError } from "../errors.server.ts";
import type { OwnerScope } from "../scope.server.ts";
import { invalidatePagesShowing } from "./published-page.server.ts";
import { withWebsiteId } from "~/lib/api/deprecated-names.ts";

export interface OwnerIncidentView {
  id: string;
  monitorId: string;
  /** @deprecated The earlier name of `monitorId`. */
  websiteId: string;
  service: string;
  startedAt: Date;
  resolvedAt: Date | null;
  durationSeconds: number | null;
  updates: { id: string; status: string; message: string; createdAt: Date }[];
}

const HISTORY_MS = 14 * 86_400_000;

/** The incidents a page shows (open, or resolved in the last 14 days), for its owner to update. */
export async function listPageIncidents(
  { db, own }: OwnerScope,
  { id: pageId }: { id: string },
): Promise<OwnerIncidentView[]> {
  const page = await own.page(pageId);
  const links = await db.statusPageMonitor.findMany({
    where: { statusPageId: page.id },
    select: { monitorId: true, displayName: true },
  });
  const nameOf = new Map(links.map((link) => [link.monitorId, link.displayName ?? "Service"]));
  const incidents = await db.incident.findMany({
    where: {
      monitorId: { in: [...nameOf.keys()] },
      OR: [{ resolvedAt: null }, { resolvedAt: { gte: new Date(Date.now() - HISTORY_MS) } }],
    },
    orderBy: { startedAt: "desc" },
    take: 50,
    include: { updates: { orderBy: { createdAt: "desc" } } },
  });
  return incidents.map((incident) =>
    withWebsiteId({
      id: incident.id,
      monitorId: incident.monitorId,
      service: nameOf.get(incident.monitorId)!,
      startedAt: incident.startedAt,
      resolvedAt: incident.resolvedAt,
      durationSeconds: incident.durationSeconds,
      updates: incident.updates.map(({ id, status, message, createdAt }) => ({ id, status, message, createdAt })),
    }),
  );
}

export async function postIncidentUpdate(scope: OwnerScope, input: z.output<typeof PostIncidentUpdateInput>) {
  const { db, userId } = scope;
  const incident = await db.incident.findFirst({
    where: { id: input.incidentId, monitor: { userId } },
    select: { id: true, monitorId: true, startedAt: true, resolvedAt: true, durationSeconds: true },
  });
  if (!incident) throw new NotFoundError("Incident not found");
  const update = await db.$transaction(async (tx) => {
    const created = await tx.incidentUpdate.create({
      data: { incidentId: incident.id, status: input.status, message: input.message },
    });
    await enqueueForSubscribers(sqlOfPrisma(tx), incident.monitorId, incident.id, {
      event: "incident.update",
      occurredAt: created.createdAt.toISOString(),
      monitor: { id: incident.monitorId, name: null, url: "" },
      incident: {
        id: incident.id,
        cause: "outage",
        detail: null,
        regions: [],
        startedAt: incident.startedAt.toISOString(),
        resolvedAt: incident.resolvedAt?.toISOString() ?? null,
        durationSeconds: incident.durationSeconds,
      },
      tls: null,
      update: { status: INCIDENT_UPDATE_LABEL[input.status], message: input.message },
    });
    return created;
  });
  await invalidatePagesShowing(scope, [incident.monitorId]);
  return { id: update.id, status: update.status, message: update.message, createdAt: update.createdAt };
}
