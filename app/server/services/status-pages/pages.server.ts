/**
 * Status pages of one owner: create, read, update, delete, publish, and which monitors
 * they show (order, sections, public names). Every query is scoped to the owner; a page
 * or monitor of someone else is "not found".
 */
import { displayStatus } from "../../../../core/domain/status.ts";
import { logoPath } from "~/lib/status-pages/logo-path.ts";
import type { Db } from "../../../../core/db/client.ts";
import { createWithinQuota } from "../quotas.server.ts";
import type { z } from "zod";
import type {
  CreateStatusPageInput,
  SetPageMonitorsInput,
  UpdateStatusPageInput,
} from "~/lib/status-pages/status-page-input.ts";
import { ForbiddenError, isServiceError, NotFoundError, ValidationError } from "../errors.server.ts";
import type { OwnerScope, Scope } from "../scope.server.ts";
import { assertPageOpen, type AccessProof, type PageAccessView } from "./page-access.server.ts";
import { domainReleased, toDomainView, type DomainView } from "./domains.server.ts";
import { withWebsiteId } from "~/lib/api/deprecated-names.ts";

export interface StatusPageSummary {
  id: string;
  name: string;
  slug: string;
  isPublished: boolean;
  monitorCount: number;
  domain: string | null;
}

export interface PageMonitorView {
  monitorId: string;
  /** @deprecated The earlier name of `monitorId`. */
  websiteId: string;
  displayName: string;
  section: string | null;
  /** The monitor's private name and URL: for the owner's editor only, never public. */
  monitorName: string | null;
  url: string;
  status: string;
}

export interface StatusPageView {
  id: string;
  name: string;
  slug: string;
  description: string | null;
  logoUrl: string | null;
  isPublished: boolean;
  /** Who may see it; for a private page, the token its feed, JSON and badges take. */
  access: PageAccessView;
  createdAt: Date;
  updatedAt: Date;
  monitors: PageMonitorView[];
  domain: DomainView | null;
  subscribers: { confirmed: number; pending: number };
}

/** A renamed page's former address redirects, and is its owner's alone, this long. */
export const FORMER_SLUG_DAYS = 30;

/** Refuses a slug another owner's page had until recently (links to it still circulate). */
async function assertSlugFree(db: Db, userId: string, slug: string): Promise<void> {
  const former = await db.statusPageFormerSlug.findUnique({ where: { slug }, include: { statusPage: true } });
  if (!former || former.renamedAt.getTime() < Date.now() - FORMER_SLUG_DAYS * 86_400_000) return;
  if (former.statusPage.userId !== userId)
    throw new ValidationError({ slug: ["This address is taken: choose another"] });
}

/**
 * For visitors of a renamed page's former address (within FORMER_SLUG_DAYS): the
 * published page's current slug, or null — only for those who could open the page. A
 * public page's new address is public. An unlisted page's address is its only key, so
 * its former one must not hand out the new one: null, as for an unknown address. A
 * private page's, only to a visitor whose proof (the page's access cookie, or its token)
 * opens it: the cookie is signed for the page, not its address, so one set before the
 * rename still does.
 */
export async function renamedPageSlug(
  scope: Scope,
  { slug, access }: { slug: string; access?: AccessProof | undefined },
): Promise<{ slug: string } | null> {
  const former = await scope.read((db) =>
    db.statusPageFormerSlug.findUnique({
      where: { slug },
      select: { renamedAt: true, statusPage: { select: { slug: true, isPublished: true, visibility: true } } },
    }),
  );
  const recent = former && former.renamedAt.getTime() >= Date.now() - FORMER_SLUG_DAYS * 86_400_000;
  if (!recent || !former.statusPage.isPublished) return null;
  const page = former.statusPage;
  switch (page.visibility) {
    case "PUBLIC":
      return { slug: page.slug };
    case "UNLISTED":
      return null;
    case "PRIVATE":
      try {
        await assertPageOpen(scope, page.slug, page.visibility, access ?? {});
        return { slug: page.slug };
      } catch (error) {
        if (isServiceError(error, "UNAUTHENTICATED")) return null; // locked to this visitor
        throw error;
      }
  }
}

/** A taken slug is a field error, not a crash (the unique index decides races). */
async function withUniqueSlug<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: string }).code === "P2002")
      throw new ValidationError({ slug: ["This address is taken: choose another"] });
    throw error;
  }
}

export async function listStatusPages({ db, userId }: OwnerScope): Promise<StatusPageSummary[]> {
  const pages = await db.statusPage.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    include: { _count: { select: { monitors: true } }, domain: { select: { domain: true } } },
  });
  return pages.map((page) => ({
    id: page.id,
    name: page.name,
    slug: page.slug,
    isPublished: page.isPublished,
    monitorCount: page._count.monitors,
    domain: page.domain?.domain ?? null,
  }));
}

export async function getStatusPage({ db, own, env }: OwnerScope, { id }: { id: string }): Promise<StatusPageView> {
  await own.page(id);
  const page = await db.statusPage.findUnique({
    where: { id },
    include: {
      monitors: {
        orderBy: { position: "asc" },
        include: {
          section: { select: { name: true } },
          monitor: { select: { name: true, url: true, status: true, isActive: true } },
        },
      },
      domain: true,
      logo: { select: { sha256: true } },
    },
  });
  if (!page) throw new NotFoundError("Status page not found");
  const [confirmed, total] = await Promise.all([
    db.subscriber.count({ where: { statusPageId: id, confirmedAt: { not: null } } }),
    db.subscriber.count({ where: { statusPageId: id } }),
  ]);
  return {
    id: page.id,
    name: page.name,
    slug: page.slug,
    description: page.description,
    logoUrl: page.logo ? logoPath(page.slug, page.logo.sha256) : null,
    isPublished: page.isPublished,
    access: { visibility: page.visibility, accessToken: page.accessToken },
    createdAt: page.createdAt,
    updatedAt: page.updatedAt,
    monitors: page.monitors.map((link) =>
      withWebsiteId({
        monitorId: link.monitorId,
        displayName: link.displayName ?? link.monitor.name ?? "Service",
        section: link.section?.name ?? null,
        monitorName: link.monitor.name,
        url: link.monitor.url,
        status: displayStatus(link.monitor),
      }),
    ),
    domain: page.domain ? toDomainView(page.domain, env.STATUS_PAGE_CNAME) : null,
    subscribers: { confirmed, pending: total - confirmed },
  };
}

export async function createStatusPage(
  ctx: OwnerScope,
  input: z.output<typeof CreateStatusPageInput>,
  imported: { importKey?: string } = {},
): Promise<StatusPageSummary> {
  const { db, userId } = ctx;
  await assertSlugFree(db, userId, input.slug);
  const page = await withUniqueSlug(() =>
    createWithinQuota(ctx, "statusPages", async (tx) => {
      const created = await tx.statusPage.create({
        data: {
          userId,
          importKey: imported.importKey ?? null,
          name: input.name,
          slug: input.slug,
          description: input.description ?? null,
        },
      });
      await tx.statusPageFormerSlug.deleteMany({ where: { slug: input.slug } }); // taken back by its owner
      return created;
    }),
  );
  return { id: page.id, name: page.name, slug: page.slug, isPublished: false, monitorCount: 0, domain: null };
}

export async function updateStatusPage(
  ctx: OwnerScope,
  input: z.output<typeof UpdateStatusPageInput>,
): Promise<StatusPageView> {
  const { db, userId } = ctx;
  const page = await ctx.own.page(input.id);
  const renamed = input.slug !== undefined && input.slug !== page.slug;
  if (renamed) await assertSlugFree(db, userId, input.slug!);
  await withUniqueSlug(() =>
    db.$transaction(async (tx) => {
      await tx.statusPage.update({
        where: { id: page.id },
        data: { name: input.name, slug: input.slug, description: input.description },
      });
      if (!renamed) return;
      // The new address is no longer anyone's former one; the old one now is.
      await tx.statusPageFormerSlug.deleteMany({ where: { slug: input.slug } });
      await tx.statusPageFormerSlug.upsert({
        where: { slug: page.slug },
        create: { slug: page.slug, statusPageId: page.id },
        update: { statusPageId: page.id, renamedAt: new Date() },
      });
    }),
  );
  ctx.caches.publicPages.invalidate(page.slug, ctx.reads.freshForMs);
  return getStatusPage(ctx, { id: page.id });
}

/** Only a verified email may publish: a public page is a way to reach the public. */
export async function setPublished(
  ctx: OwnerScope,
  { id, isPublished }: { id: string; isPublished: boolean },
): Promise<StatusPageView> {
  const { db, userId } = ctx;
  const page = await ctx.own.page(id);
  if (isPublished) {
    const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { emailVerified: true } });
    if (!user.emailVerified) throw new ForbiddenError("Verify your email address before publishing a status page.");
  }
  await db.statusPage.update({ where: { id: page.id }, data: { isPublished } });
  ctx.caches.publicPages.invalidate(page.slug, ctx.reads.freshForMs);
  return getStatusPage(ctx, { id: page.id });
}

export async function deleteStatusPage(ctx: OwnerScope, { id }: { id: string }): Promise<{ id: string }> {
  const { db } = ctx;
  const page = await ctx.own.page(id);
  const claim = await db.statusPageDomain.findUnique({ where: { statusPageId: page.id }, select: { domain: true } });
  await db.statusPage.delete({ where: { id: page.id } });
  if (claim) await domainReleased(ctx, claim.domain); // its domain is free for the claims waiting
  ctx.caches.publicPages.invalidate(page.slug, ctx.reads.freshForMs);
  return { id: page.id };
}

/** Replaces the page's monitors and sections in one transaction. */
export async function setPageMonitors(
  ctx: OwnerScope,
  input: z.output<typeof SetPageMonitorsInput>,
): Promise<StatusPageView> {
  const { db } = ctx;
  const page = await ctx.own.page(input.id);
  const ids = input.monitors.map((monitor) => monitor.monitorId);
  await ctx.own.monitors(ids);
  const sections = [...new Set(input.monitors.flatMap((monitor) => (monitor.section ? [monitor.section] : [])))];
  await db.$transaction(async (tx) => {
    await tx.statusPageMonitor.deleteMany({ where: { statusPageId: page.id } });
    await tx.statusPageSection.deleteMany({ where: { statusPageId: page.id } });
    const sectionIds = new Map<string, string>();
    for (const [position, name] of sections.entries()) {
      const section = await tx.statusPageSection.create({ data: { statusPageId: page.id, name, position } });
      sectionIds.set(name, section.id);
    }
    await tx.statusPageMonitor.createMany({
      data: input.monitors.map((monitor, position) => ({
        statusPageId: page.id,
        monitorId: monitor.monitorId,
        displayName: monitor.displayName,
        sectionId: monitor.section ? sectionIds.get(monitor.section)! : null,
        position,
      })),
    });
  });
  ctx.caches.publicPages.invalidate(page.slug, ctx.reads.freshForMs);
  return getStatusPage(ctx, { id: page.id });
}
