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
  AccessProof,
  SetPageAccessInput,
  UnlockPageInput,
  PostAnnouncementInput,
  CreateRecurringMaintenanceInput,
  UpdateAnnouncementInput,
  TokenInput,
  UpdateStatusPageInput,
  SetLogoInput,
  DomainName,
} from "~/lib/status-pages/status-page-input.ts";
import {
  isVerifiedDomain,
  removeDomain,
  setDomain,
  verifyDomain,
} from "~/server/services/status-pages/domains.server.ts";
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
  renamedPageSlug,
  setPageMonitors,
  setPublished,
  updateStatusPage,
} from "~/server/services/status-pages/pages.server.ts";
import { publicStatusPage } from "~/server/services/status-pages/published-page.server.ts";
import { setPageAccess, unlockPage } from "~/server/services/status-pages/page-access.server.ts";
import {
  createRecurringMaintenance,
  deleteRecurringMaintenance,
  listRecurringMaintenance,
} from "~/server/services/status-pages/recurring-maintenance.server.ts";
import {
  listAnnouncements,
  postAnnouncement,
  updateAnnouncement,
} from "~/server/services/status-pages/announcements.server.ts";
import {
  confirmSubscription,
  reconfirmSubscription,
  subscribe,
  unsubscribe,
} from "~/server/services/status-pages/subscribers.server.ts";
import { publishedLogo, removeLogo, setLogo } from "~/server/services/status-pages/logo.server.ts";
import { protectedProcedure, publicProcedure, rateLimited, router } from "../init.server.ts";

const SlugInput = z.object({ slug: z.string().trim().toLowerCase().max(100) });
/** A public read of a page: its slug, and for a private page the visitor's proof of access. */
const PublicSlugInput = SlugInput.extend({ access: AccessProof });

/** Status pages: the owner's management procedures, and the public ones visitors use. */
export const statusPageRouter = router({
  /** The account's status pages. */
  list: protectedProcedure.query(({ ctx }) => listStatusPages(ctx.scope)),
  /** One status page with its monitors, sections, domain and logo. */
  byId: protectedProcedure.input(StatusPageId).query(({ ctx, input }) => getStatusPage(ctx.scope, input)),
  /** A new status page (unpublished until `setPublished`). */
  create: protectedProcedure
    .input(CreateStatusPageInput)
    .mutation(({ ctx, input }) => createStatusPage(ctx.scope, input)),
  /** Changes a status page's name, slug, texts or theme (a renamed page's old address redirects for 30 days). */
  update: protectedProcedure
    .input(UpdateStatusPageInput)
    .mutation(({ ctx, input }) => updateStatusPage(ctx.scope, input)),
  /** Publishes or hides a status page (publishing needs a verified email address). */
  setPublished: protectedProcedure
    .input(SetPublishedInput)
    .mutation(({ ctx, input }) => setPublished(ctx.scope, input)),
  /** Deletes a status page (its address is free again). */
  delete: protectedProcedure.input(StatusPageId).mutation(({ ctx, input }) => deleteStatusPage(ctx.scope, input)),
  /** Sets a page's logo (PNG, JPEG or WebP, base64, up to 256 KiB). */
  setLogo: protectedProcedure
    .use(rateLimited("logoUpload"))
    .input(SetLogoInput)
    .mutation(({ ctx, input }) => setLogo(ctx.scope, input)),
  /** Removes a page's logo. */
  removeLogo: protectedProcedure.input(StatusPageId).mutation(({ ctx, input }) => removeLogo(ctx.scope, input)),
  /** The monitors a page shows, in order, with public names and section headings. */
  setMonitors: protectedProcedure
    .input(SetPageMonitorsInput)
    .mutation(({ ctx, input }) => setPageMonitors(ctx.scope, input)),

  /** The incidents a page shows, with their updates. */
  incidents: protectedProcedure.input(StatusPageId).query(({ ctx, input }) => listPageIncidents(ctx.scope, input)),
  /** Posts an update on an incident (status and message), mailed to the page's subscribers. */
  postIncidentUpdate: protectedProcedure
    .use(rateLimited("subscriberMail"))
    .input(PostIncidentUpdateInput)
    .mutation(({ ctx, input }) => postIncidentUpdate(ctx.scope, input)),

  /** The incidents and notices the owner posted on a page, newest first, with their updates. */
  announcements: protectedProcedure.input(StatusPageId).query(({ ctx, input }) => listAnnouncements(ctx.scope, input)),
  /** Posts an incident or notice on a page without a monitor going down (services, impact, first update); mailed to subscribers. */
  postAnnouncement: protectedProcedure
    .use(rateLimited("subscriberMail"))
    .input(PostAnnouncementInput)
    .mutation(({ ctx, input }) => postAnnouncement(ctx.scope, input)),
  /** An update on a posted incident or notice (RESOLVED resolves it); mailed to subscribers. */
  updateAnnouncement: protectedProcedure
    .use(rateLimited("subscriberMail"))
    .input(UpdateAnnouncementInput)
    .mutation(({ ctx, input }) => updateAnnouncement(ctx.scope, input)),

  /** Claims a custom domain for a page, with a new TXT value chosen by the server; it routes once verified. */
  setDomain: protectedProcedure.input(SetDomainInput).mutation(({ ctx, input }) => setDomain(ctx.scope, input)),
  /** Checks a page's custom domain's TXT record now. A domain another page holds is not moved: the claim waits (`waiting`) until that page's record is gone. */
  verifyDomain: protectedProcedure.input(StatusPageId).mutation(({ ctx, input }) => verifyDomain(ctx.scope, input)),
  /** Who may see the page: PUBLIC, UNLISTED (never indexed) or PRIVATE (a password; feeds and badges take the access token). */
  setAccess: protectedProcedure.input(SetPageAccessInput).mutation(({ ctx, input }) => setPageAccess(ctx.scope, input)),
  /** Removes a page's custom domain. */
  removeDomain: protectedProcedure.input(StatusPageId).mutation(({ ctx, input }) => removeDomain(ctx.scope, input)),

  /** What visitors see (the same data as /status/:slug.json). */
  public: publicProcedure.input(PublicSlugInput).query(async ({ ctx, input }) => {
    const page = await publicStatusPage(ctx.scope, input);
    if (!page) throw new TRPCError({ code: "NOT_FOUND", message: "Status page not found" });
    return page;
  }),
  /** Where a page renamed in the last 30 days lives now (its old address redirects there). */
  renamedTo: publicProcedure.input(PublicSlugInput).query(({ ctx, input }) => renamedPageSlug(ctx.scope, input)),
  /** A published page's logo (base64). */
  logo: publicProcedure.input(PublicSlugInput).query(({ ctx, input }) => publishedLogo(ctx.scope, input)),
  /** A private page's password: a signed cookie value that opens the page for 30 days (attempts rate-limited). */
  unlock: publicProcedure.input(UnlockPageInput).mutation(({ ctx, input }) => unlockPage(ctx.scope, input)),
  /** For a reverse proxy's on-demand TLS: is this a verified custom domain? */
  isVerifiedDomain: publicProcedure
    .input(z.object({ domain: DomainName }))
    .query(({ ctx, input }) => isVerifiedDomain(ctx.scope, input)),
  /** Subscribes an email address to a page's updates (double opt-in: a confirmation mail). */
  subscribe: publicProcedure.input(SubscribeInput).mutation(({ ctx, input }) => subscribe(ctx.scope, input)),
  /** Confirms a subscription with the token from its mail. */
  confirmSubscription: publicProcedure
    .input(TokenInput)
    .mutation(({ ctx, input }) => confirmSubscription(ctx.scope, input)),
  /**
   * Resumes a subscription paused when its page turned private or its password changed,
   * with the token from the mail that asked, for a visitor the page opens for (its cookie or token).
   */
  reconfirmSubscription: publicProcedure
    .input(TokenInput.extend({ slug: SlugInput.shape.slug, access: AccessProof }))
    .mutation(({ ctx, input }) => reconfirmSubscription(ctx.scope, input)),
  /** Ends a subscription with the token from any of its mails. */
  unsubscribe: publicProcedure.input(TokenInput).mutation(({ ctx, input }) => unsubscribe(ctx.scope, input)),
});

/** Planned maintenance of the owner's monitors. */
export const maintenanceRouter = router({
  /** The account's maintenance windows, upcoming and past. */
  list: protectedProcedure.query(({ ctx }) => listMaintenance(ctx.scope)),
  /** Plans a maintenance window for monitors: no incidents or alerts inside it, shown on their pages. */
  create: protectedProcedure
    .use(rateLimited("subscriberMail"))
    .input(CreateMaintenanceInput)
    .mutation(({ ctx, input }) => createMaintenance(ctx.scope, input)),
  /** Deletes a maintenance window. */
  delete: protectedProcedure.input(MaintenanceId).mutation(({ ctx, input }) => deleteMaintenance(ctx.scope, input)),
  /** The account's recurring maintenance, each with its next occurrences. */
  recurring: protectedProcedure.query(({ ctx }) => listRecurringMaintenance(ctx.scope)),
  /** Maintenance that comes back: a cron schedule (minute hour day-of-month month day-of-week) read in an IANA time zone, and a duration. */
  createRecurring: protectedProcedure
    .input(CreateRecurringMaintenanceInput)
    .mutation(({ ctx, input }) => createRecurringMaintenance(ctx.scope, input)),
  /** Ends a recurring maintenance and its occurrences. */
  deleteRecurring: protectedProcedure
    .input(MaintenanceId)
    .mutation(({ ctx, input }) => deleteRecurringMaintenance(ctx.scope, input)),
});
