/** Status pages: what an owner (or a visitor subscribing) may send, shared by forms and the API. */
import { z } from "zod";
import { fromOldName, oldName } from "../api/deprecated-names.ts";
import { isTimeZone, scheduleError } from "../../../core/domain/recurrence.ts";

/** Paths a slug must not take: they name app routes or would confuse visitors. */
export const RESERVED_SLUGS = new Set([
  "admin",
  "api",
  "app",
  "assets",
  "auth",
  "build",
  "dashboard",
  "docs",
  "feed",
  "help",
  "login",
  "logout",
  "monitors",
  "new",
  "settings",
  "signup",
  "static",
  "status",
  "support",
  "www",
]);

export const Slug = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, "Use at least 3 characters")
  .max(48, "At most 48 characters")
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Use lowercase letters, digits and single hyphens (e.g. acme-status)")
  .refine((slug) => !RESERVED_SLUGS.has(slug), "This address is reserved: choose another");

const name = z.string().trim().min(1, "Name the page").max(100, "At most 100 characters");
const description = z
  .string()
  .trim()
  .max(500, "At most 500 characters")
  .transform((value) => value || null)
  .nullable();

const id = z.string().trim().min(1, "Missing id").max(64, "Not a valid id");

export const StatusPageId = z.object({ id });

export const CreateStatusPageInput = z.object({ name, slug: Slug, description: description.optional() });

export const UpdateStatusPageInput = z.object({
  id,
  name: name.optional(),
  slug: Slug.optional(),
  description: description.optional(),
});

/** At most this many bytes of image; the base64 text is a third longer. */
export const MAX_LOGO_BYTES = 256 * 1024;

export const SetLogoInput = z.object({
  id,
  /** The image file, base64-encoded: PNG, JPEG or WebP (checked by its content). */
  image: z
    .string()
    .max(Math.ceil(MAX_LOGO_BYTES / 3) * 4, "The logo may be at most 256 KiB")
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, "Send the image as base64"),
});

export const SetPublishedInput = z.object({ id, isPublished: z.boolean() });

/**
 * The page's monitors, in display order; each may sit under a section heading (sections
 * appear in the order they are first used) and carry the name visitors see.
 */
export const SetPageMonitorsInput = z.object({
  id,
  monitors: z
    .array(
      z
        .object({
          monitorId: id.optional(),
          websiteId: oldName(id, "monitorId"),
          displayName: z.string().trim().min(1, "Give each monitor a public name").max(100, "At most 100 characters"),
          section: z
            .string()
            .trim()
            .max(100, "At most 100 characters")
            .transform((value) => value || null)
            .nullable()
            .optional(),
        })
        .transform(fromOldName("monitorId", "websiteId", { required: "Choose a monitor" })),
    )
    .max(200, "At most 200 monitors on one page")
    .refine(
      (monitors) => new Set(monitors.map((m) => m.monitorId)).size === monitors.length,
      "A monitor is listed twice",
    ),
});

export const INCIDENT_UPDATE_STATUSES = ["INVESTIGATING", "IDENTIFIED", "MONITORING", "RESOLVED"] as const;
export const INCIDENT_UPDATE_LABEL: Record<(typeof INCIDENT_UPDATE_STATUSES)[number], string> = {
  INVESTIGATING: "Investigating",
  IDENTIFIED: "Identified",
  MONITORING: "Monitoring",
  RESOLVED: "Resolved",
};

export const ANNOUNCEMENT_KINDS = ["INCIDENT", "NOTICE"] as const;
export const ANNOUNCEMENT_IMPACTS = ["NONE", "MINOR", "MAJOR", "CRITICAL"] as const;
export const IMPACT_LABEL: Record<(typeof ANNOUNCEMENT_IMPACTS)[number], string> = {
  NONE: "No impact",
  MINOR: "Minor (degraded)",
  MAJOR: "Major (outage)",
  CRITICAL: "Critical (major outage)",
};

const updateStatus = z.enum(INCIDENT_UPDATE_STATUSES, {
  error: "Choose investigating, identified, monitoring or resolved",
});
const announcementMonitors = z.array(id).max(200, "At most 200 services");
const announcementMessage = z.string().trim().min(1, "Write the message").max(2000, "At most 2000 characters");

/** An incident or notice the owner posts on a page, with its first update. */
export const PostAnnouncementInput = z
  .object({
    id,
    kind: z.enum(ANNOUNCEMENT_KINDS, { error: "Choose incident or notice" }),
    title: z.string().trim().min(1, "Give it a title").max(200, "At most 200 characters"),
    impact: z.enum(ANNOUNCEMENT_IMPACTS, { error: "Choose none, minor, major or critical" }).default("NONE"),
    /** Monitors on the page it concerns (default: none). */
    monitorIds: announcementMonitors.optional(),
    websiteIds: oldName(announcementMonitors, "monitorIds"),
    status: updateStatus.default("INVESTIGATING"),
    message: announcementMessage,
  })
  .transform(fromOldName("monitorIds", "websiteIds", { fallback: [] as string[] }));

/** A later update; RESOLVED resolves it. The impact may change with it. */
export const UpdateAnnouncementInput = z.object({
  announcementId: id,
  status: updateStatus,
  message: announcementMessage,
  impact: z.enum(ANNOUNCEMENT_IMPACTS).optional(),
});

export const PostIncidentUpdateInput = z.object({
  incidentId: id,
  status: updateStatus,
  message: z.string().trim().min(1, "Write the update").max(2000, "At most 2000 characters"),
});

/** A date PostgreSQL and every browser can hold (a year 0 or 275760 answered 500). */
const instant = z.coerce
  .date({ error: "Enter a date and time" })
  .min(new Date("2000-01-01T00:00:00Z"), "Enter a date in this century")
  .max(new Date("9999-12-31T23:59:59Z"), "Enter a date before the year 10000");

const CHOOSE_MONITORS = "Choose at least one monitor";
const maintenanceMonitors = z.array(id).min(1, CHOOSE_MONITORS).max(200, "At most 200 monitors");

export const CreateMaintenanceInput = z
  .object({
    title: z.string().trim().min(1, "Give the maintenance a title").max(200, "At most 200 characters"),
    description,
    startsAt: instant,
    endsAt: instant,
    monitorIds: maintenanceMonitors.optional(),
    websiteIds: oldName(maintenanceMonitors, "monitorIds"),
  })
  .partial({ description: true })
  .refine((window) => window.endsAt.getTime() > window.startsAt.getTime(), {
    path: ["endsAt"],
    message: "The end must be after the start",
  })
  .refine((window) => window.endsAt.getTime() - window.startsAt.getTime() <= 7 * 86_400_000, {
    path: ["endsAt"],
    message: "A maintenance window lasts at most 7 days",
  })
  .transform(fromOldName("monitorIds", "websiteIds", { required: CHOOSE_MONITORS }));

export const MaintenanceId = z.object({ id });

/** Maintenance that comes back: a cron schedule read in a time zone, and how long each occurrence lasts. */
/** Its fields, for the setup document (which names monitors by key instead). */
export const RecurringMaintenanceFields = z.object({
  title: z.string().trim().min(1, "Give the maintenance a title").max(200, "At most 200 characters"),
  description: description.optional(),
  monitorIds: maintenanceMonitors.optional(),
  websiteIds: oldName(maintenanceMonitors, "monitorIds"),
  schedule: z
    .string({ error: "Say when it starts" })
    .trim()
    .max(100, "At most 100 characters")
    .superRefine((value, ctx) => {
      const error = scheduleError(value);
      if (error) ctx.addIssue({ code: "custom", message: error });
    }),
  timeZone: z
    .string({ error: "Choose a time zone" })
    .trim()
    .max(64, "At most 64 characters")
    .refine(isTimeZone, "Use a time zone name such as Europe/Berlin or America/New_York"),
  durationMinutes: z
    .number({ error: "How many minutes it lasts" })
    .int("Use whole minutes")
    .min(1, "At least a minute")
    .max(7 * 24 * 60, "At most 7 days"),
});

export const CreateRecurringMaintenanceInput = RecurringMaintenanceFields.transform(
  fromOldName("monitorIds", "websiteIds", { required: CHOOSE_MONITORS }),
);

/** A hostname the owner controls, e.g. status.example.com (no scheme, port or path). */
export const DomainName = z
  .string()
  .trim()
  .toLowerCase()
  .transform((value) => value.replace(/\.$/, ""))
  .pipe(
    z
      .string()
      .max(253, "At most 253 characters")
      .regex(
        /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
        "Enter a domain name such as status.example.com (no http://, port or path)",
      ),
  );

export const SetDomainInput = z.object({ id, domain: DomainName });

export const PAGE_VISIBILITIES = ["PUBLIC", "UNLISTED", "PRIVATE"] as const;
export type PageVisibility = (typeof PAGE_VISIBILITIES)[number];

export const SetPageAccessInput = z.object({
  id,
  visibility: z.enum(PAGE_VISIBILITIES, { error: "Choose public, unlisted or private" }),
  /** PRIVATE: the visitors' password (left out: a private page keeps its own). */
  password: z
    .string()
    .min(8, "Use at least 8 characters")
    .max(200, "Use at most 200 characters")
    .optional()
    .or(z.literal("").transform(() => undefined)),
});

/** A visitor's proof of access to a private page: its cookie, or its access token. */
export const AccessProof = z
  .object({
    cookie: z.string().max(200).optional(),
    token: z.string().max(200).optional(),
  })
  .optional();

export const UnlockPageInput = z.object({
  slug: z.string().trim().toLowerCase().min(1).max(100),
  password: z.string({ error: "Enter the password" }).min(1, "Enter the password").max(200, "At most 200 characters"),
});

export const SubscribeInput = z.object({
  access: AccessProof,
  slug: z.string().trim().min(1).max(48),
  email: z
    .string()
    .trim()
    .max(254, "At most 254 characters")
    .pipe(z.email("Enter an email address"))
    .transform((value) => value.toLowerCase()),
});

export const TokenInput = z.object({ token: z.string().trim().min(1, "Missing token").max(200, "Not a valid token") });
