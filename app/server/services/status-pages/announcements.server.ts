/**
 * Incidents and notices the owner posts on a status page without a monitor going down:
 * a title, the services concerned (monitors on the page), an impact, and updates over
 * time until resolved. Each post and update is written with its mails to the page's
 * subscribers in one transaction (the outbox), and the page shows it at once.
 */
import type { z } from "zod";
import type { PostAnnouncementInput, UpdateAnnouncementInput } from "~/lib/status-pages/status-page-input.ts";
import { enqueueForPageSubscribers } from "../../../../core/outbox/enqueue.ts";
import { sqlOfPrisma } from "../../../../core/db/sql.ts";
import type { AlertPayload } from "../../../../core/outbox/events.ts";
import type { Prisma } from "../../../../core/db/generated/client.ts";
import { NotFoundError } from "../errors.server.ts";
import type { OwnerScope } from "../scope.server.ts";
import { withWebsiteIds } from "~/lib/api/deprecated-names.ts";

type Tx = Prisma.TransactionClient;

export interface AnnouncementView {
  id: string;
  kind: "INCIDENT" | "NOTICE";
  title: string;
  impact: "NONE" | "MINOR" | "MAJOR" | "CRITICAL";
  monitorIds: string[];
  /** @deprecated The earlier name of `monitorIds`. */
  websiteIds: string[];
  startedAt: Date;
  resolvedAt: Date | null;
  updates: { status: string; message: string; createdAt: Date }[];
}

const INCLUDE = { updates: { orderBy: { createdAt: "desc" } } } as const;

function toView(row: Prisma.PageAnnouncementGetPayload<{ include: typeof INCLUDE }>): AnnouncementView {
  return withWebsiteIds({
    id: row.id,
    kind: row.kind,
    title: row.title,
    impact: row.impact,
    monitorIds: row.monitorIds,
    startedAt: row.startedAt,
    resolvedAt: row.resolvedAt,
    updates: row.updates.map(({ status, message, createdAt }) => ({ status, message, createdAt })),
  });
}

/** What subscribers are mailed: the announcement by its title, the update's words; nothing internal. */
async function mailSubscribers(tx: Tx, statusPageId: string, title: string, status: string, message: string) {
  const payload: AlertPayload = {
    event: "incident.update",
    occurredAt: new Date().toISOString(),
    monitor: { id: statusPageId, name: title, url: "" },
    incident: null,
    tls: null,
    update: { status, message },
  };
  await enqueueForPageSubscribers(sqlOfPrisma(tx), statusPageId, payload);
}

export async function listAnnouncements(ctx: OwnerScope, { id }: { id: string }): Promise<AnnouncementView[]> {
  const page = await ctx.own.page(id);
  const rows = await ctx.db.pageAnnouncement.findMany({
    where: { statusPageId: page.id },
    orderBy: { startedAt: "desc" },
    take: 50,
    include: INCLUDE,
  });
  return rows.map(toView);
}

export async function postAnnouncement(
  ctx: OwnerScope,
  input: z.output<typeof PostAnnouncementInput>,
): Promise<AnnouncementView> {
  const page = await ctx.own.page(input.id);
  const monitorIds = [...new Set(input.monitorIds)];
  const onPage = await ctx.db.statusPageMonitor.count({
    where: { statusPageId: page.id, monitorId: { in: monitorIds } },
  });
  // Not on this page (or not the owner's): as unknown as anything else of someone else's.
  if (onPage !== monitorIds.length) throw new NotFoundError("A chosen service is not on this page");
  const resolved = input.status === "RESOLVED";
  const row = await ctx.db.$transaction(async (tx) => {
    const created = await tx.pageAnnouncement.create({
      data: {
        statusPageId: page.id,
        kind: input.kind,
        title: input.title,
        impact: input.impact,
        monitorIds,
        resolvedAt: resolved ? new Date() : null,
        updates: { create: { status: input.status, message: input.message } },
      },
      include: INCLUDE,
    });
    await mailSubscribers(tx, page.id, input.title, input.status, input.message);
    return created;
  });
  ctx.caches.publicPages.invalidate(page.slug, ctx.reads.freshForMs);
  return toView(row);
}

export async function updateAnnouncement(
  ctx: OwnerScope,
  input: z.output<typeof UpdateAnnouncementInput>,
): Promise<AnnouncementView> {
  const existing = await ctx.db.pageAnnouncement.findFirst({
    where: { id: input.announcementId, statusPage: { userId: ctx.userId } },
    include: { statusPage: { select: { slug: true } } },
  });
  if (!existing) throw new NotFoundError("Announcement not found");
  const row = await ctx.db.$transaction(async (tx) => {
    await tx.pageAnnouncementUpdate.create({
      data: { announcementId: existing.id, status: input.status, message: input.message },
    });
    const updated = await tx.pageAnnouncement.update({
      where: { id: existing.id },
      data: {
        ...(input.impact ? { impact: input.impact } : {}),
        // Resolved by a RESOLVED update; any other update reopens it.
        resolvedAt: input.status === "RESOLVED" ? (existing.resolvedAt ?? new Date()) : null,
      },
      include: INCLUDE,
    });
    await mailSubscribers(tx, existing.statusPageId, existing.title, input.status, input.message);
    return updated;
  });
  ctx.caches.publicPages.invalidate(existing.statusPage.slug, ctx.reads.freshForMs);
  return toView(row);
}
