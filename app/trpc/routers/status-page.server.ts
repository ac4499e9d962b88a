import { TRPCError } from "@trpc/server";
import { z } from "zod";
import {
  CreateMaintenanceInput,
  CreateStatusPageInput,
  MaintenanceId,
  PostIncidentUpdateInput,
  SetDomainInput,
  SetPageMonitorsInput,
  SetPublishedInput,
  StatusPageId,
  SubscribeInput,
  TokenInput,
  UpdateStatusPageInput,
  SetLogoInput,
} from "~/lib/status-pages/status-page-input.ts";
import type { DomainServiceContext } from "~/server/services/status-pages/domains.server.ts";
import { removeDomain, setDomain, verifyDomain } from "~/server/services/status-pages/domains.server.ts";
import { listPageIncidents, postIncidentUpdate } from "~/server/services/status-pages/incident-updates.server.ts";
import {
  createMaintenance,
  deleteMaintenance,
  listMaintenance,
} from "~/server/services/status-pages/maintenance.server.ts";
import {
  createStatusPage,
  deleteStatusPage,
  getStatusPage,
  listStatusPages,
  setPageMonitors,
  setPublished,
  updateStatusPage,
} from "~/server/services/status-pages/pages.server.ts";
import { publicStatusPage } from "~/server/services/status-pages/public-page.server.ts";
import { confirmSubscription, subscribe, unsubscribe } from "~/server/services/status-pages/subscribers.server.ts";
import { removeLogo, setLogo } from "~/server/services/status-pages/logo.server.ts";
import {
  protectedProcedure,
  publicProcedure,
  rateLimited,
  router,
  type SessionUser,
  type TrpcContext,
} from "../init.server.ts";

function pages(ctx: TrpcContext & { user: SessionUser }): DomainServiceContext {
  return {
    db: ctx.db,
    userId: ctx.user.id,
    cnameTarget: ctx.env.STATUS_PAGE_CNAME,
    quotas: ctx.env,
    dns: ctx.dns,
    reservedHosts: [
      new URL(ctx.env.APP_URL).hostname,
      ctx.env.HOST,
      ctx.env.STATUS_PAGE_CNAME,
      ...ctx.env.RESERVED_HOSTNAMES,
    ],
  };
}

/** Status pages: the owner's management procedures, and the public ones visitors use. */
export const statusPageRouter = router({
  list: protectedProcedure.query(({ ctx }) => listStatusPages(pages(ctx))),
  byId: protectedProcedure.input(StatusPageId).query(({ ctx, input }) => getStatusPage(pages(ctx), input.id)),
  create: protectedProcedure
    .input(CreateStatusPageInput)
    .mutation(({ ctx, input }) => createStatusPage(pages(ctx), input)),
  update: protectedProcedure
    .input(UpdateStatusPageInput)
    .mutation(({ ctx, input }) => updateStatusPage(pages(ctx), input)),
  setPublished: protectedProcedure
    .input(SetPublishedInput)
    .mutation(({ ctx, input }) => setPublished(pages(ctx), input.id, input.isPublished)),
  delete: protectedProcedure.input(StatusPageId).mutation(({ ctx, input }) => deleteStatusPage(pages(ctx), input.id)),
  setLogo: protectedProcedure.input(SetLogoInput).mutation(({ ctx, input }) => setLogo(pages(ctx), input)),
  removeLogo: protectedProcedure.input(StatusPageId).mutation(({ ctx, input }) => removeLogo(pages(ctx), input.id)),
  setMonitors: protectedProcedure
    .input(SetPageMonitorsInput)
    .mutation(({ ctx, input }) => setPageMonitors(pages(ctx), input)),

  incidents: protectedProcedure
    .input(StatusPageId)
    .query(({ ctx, input }) => listPageIncidents(ctx.db, ctx.user.id, input.id)),
  postIncidentUpdate: protectedProcedure
    .use(rateLimited("subscriberMail"))
    .input(PostIncidentUpdateInput)
    .mutation(({ ctx, input }) => postIncidentUpdate(ctx.db, ctx.user.id, input)),

  setDomain: protectedProcedure
    .input(SetDomainInput)
    .mutation(({ ctx, input }) => setDomain(pages(ctx), input.id, input.domain)),
  verifyDomain: protectedProcedure.input(StatusPageId).mutation(({ ctx, input }) => verifyDomain(pages(ctx), input.id)),
  removeDomain: protectedProcedure.input(StatusPageId).mutation(({ ctx, input }) => removeDomain(pages(ctx), input.id)),

  /** What visitors see (the same data as /status/:slug.json). */
  public: publicProcedure.input(z.object({ slug: z.string().trim().max(100) })).query(async ({ ctx, input }) => {
    const page = await publicStatusPage(ctx.db, input.slug.toLowerCase());
    if (!page) throw new TRPCError({ code: "NOT_FOUND", message: "Status page not found" });
    return page;
  }),
  subscribe: publicProcedure.input(SubscribeInput).mutation(({ ctx, input }) => subscribe(ctx, input)),
  confirmSubscription: publicProcedure
    .input(TokenInput)
    .mutation(({ ctx, input }) => confirmSubscription(ctx.db, input.token)),
  unsubscribe: publicProcedure.input(TokenInput).mutation(({ ctx, input }) => unsubscribe(ctx.db, input.token)),
});

/** Planned maintenance of the owner's monitors. */
export const maintenanceRouter = router({
  list: protectedProcedure.query(({ ctx }) => listMaintenance(ctx.db, ctx.user.id)),
  create: protectedProcedure
    .use(rateLimited("subscriberMail"))
    .input(CreateMaintenanceInput)
    .mutation(({ ctx, input }) => createMaintenance(ctx.db, ctx.env, ctx.user.id, input)),
  delete: protectedProcedure
    .input(MaintenanceId)
    .mutation(({ ctx, input }) => deleteMaintenance(ctx.db, ctx.user.id, input.id)),
});
