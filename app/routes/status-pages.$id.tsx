import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import {
  DomainSettings,
  IncidentUpdates,
  MonitorPicker,
  PageSettings,
  PublishControl,
} from "~/components/status-pages/page-editor.tsx";
import { Alert } from "~/components/ui/form.tsx";
import type {
  ANNOUNCEMENT_IMPACTS,
  INCIDENT_UPDATE_STATUSES,
  PAGE_VISIBILITIES,
} from "~/lib/status-pages/status-page-input.ts";
import { AnnouncementsEditor } from "~/components/status-pages/announcements-editor.tsx";
import { AccessSettings } from "~/components/status-pages/access-settings.tsx";
import { actionError, formFields, orHttpError } from "~/web/forms/action-result.server.ts";
import { pageMonitorsFromForm } from "~/web/forms/status-page-form.server.ts";
import { requireCaller } from "~/trpc/caller.server.ts";
import { PageShell } from "~/components/ui/page-shell.tsx";
import { passRetryAfter } from "~/lib/pass-retry-after.ts";
import { readForm } from "~/web/forms/read-form.server.ts";

/** A form refused by a spent rate limit says when to try again (Retry-After), as /api/trpc does. */
export const headers = passRetryAfter;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.page.name ?? "Status page"} · Better Uptime` },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, api } = await requireCaller(context, request);
  const id = params.id ?? "";
  const [page, monitors, incidents, announcements] = await orHttpError(
    Promise.all([
      api.statusPage.byId({ id }),
      api.monitor.list(),
      api.statusPage.incidents({ id }),
      api.statusPage.announcements({ id }),
    ]),
  );
  return {
    page,
    monitors: monitors.map(({ id, name, url, status }) => ({ id, name, url, status })),
    incidents,
    announcements,
    emailVerified: user.emailVerified,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { api } = await requireCaller(context, request);
  const id = params.id ?? "";
  const form = await readForm(request);
  const fields = formFields(form);
  const intent = fields.intent ?? "";
  try {
    switch (intent) {
      case "settings":
        await api.statusPage.update({
          id,
          name: fields.name ?? "",
          slug: fields.slug ?? "",
          description: fields.description ?? "",
        });
        return { intent, message: "Saved." };
      case "logo": {
        const file = form.get("logo");
        const bytes = file instanceof File ? Buffer.from(await file.arrayBuffer()) : Buffer.alloc(0);
        await api.statusPage.setLogo({ id, image: bytes.toString("base64") });
        return { intent, message: "Logo saved." };
      }
      case "removeLogo":
        await api.statusPage.removeLogo({ id });
        return { intent, message: "Logo removed." };
      case "publish":
      case "unpublish":
        await api.statusPage.setPublished({ id, isPublished: intent === "publish" });
        return { intent, message: intent === "publish" ? "Published: the page is public." : "Unpublished." };
      case "monitors":
        await api.statusPage.setMonitors({ id, monitors: pageMonitorsFromForm(form) });
        return { intent, message: "Monitors saved." };
      case "incidentUpdate":
        await api.statusPage.postIncidentUpdate({
          incidentId: fields.incidentId ?? "",
          status: (fields.status ?? "") as (typeof INCIDENT_UPDATE_STATUSES)[number],
          message: fields.message ?? "",
        });
        return { intent, incidentId: fields.incidentId, message: "Update posted." };
      case "setDomain":
        await api.statusPage.setDomain({ id, domain: fields.domain ?? "" });
        return { intent, message: "Domain added: create the DNS records below, then verify." };
      case "verifyDomain": {
        const domain = await api.statusPage.verifyDomain({ id });
        return { intent, message: domain.status === "VERIFIED" ? "Domain verified." : "Verification failed." };
      }
      case "postAnnouncement":
        await api.statusPage.postAnnouncement({
          id,
          kind: (fields.kind ?? "") as "INCIDENT" | "NOTICE",
          impact: (fields.impact ?? "") as (typeof ANNOUNCEMENT_IMPACTS)[number],
          title: fields.title ?? "",
          monitorIds: form.getAll("monitorIds").filter((value): value is string => typeof value === "string"),
          status: (fields.status ?? "") as (typeof INCIDENT_UPDATE_STATUSES)[number],
          message: fields.message ?? "",
        });
        return { intent, message: "Posted: it is on the page and on its way to subscribers." };
      case "updateAnnouncement":
        await api.statusPage.updateAnnouncement({
          announcementId: fields.announcementId ?? "",
          status: (fields.status ?? "") as (typeof INCIDENT_UPDATE_STATUSES)[number],
          message: fields.message ?? "",
        });
        return { intent, announcementId: fields.announcementId, message: "Update posted." };
      case "access": {
        const access = await api.statusPage.setAccess({
          id,
          visibility: (fields.visibility ?? "") as (typeof PAGE_VISIBILITIES)[number],
          password: fields.password ?? "",
        });
        return { intent, message: `Visibility saved: ${access.visibility.toLowerCase()}.` };
      }
      case "removeDomain":
        await api.statusPage.removeDomain({ id });
        return { intent, message: "Domain removed." };
      case "delete":
        await api.statusPage.delete({ id });
        return redirect("/status-pages");
      default:
        throw new Response("Unknown action", { status: 400 });
    }
  } catch (error) {
    if (error instanceof Response) throw error;
    return actionError(error, {
      intent,
      incidentId: fields.incidentId,
      announcementId: fields.announcementId,
      values: fields,
    });
  }
}

export type EditorResult = ReturnType<typeof useActionData<typeof action>>;

export default function StatusPageEditor() {
  const { page, monitors, incidents, announcements, emailVerified } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <PageShell title={page.name} crumbs={[{ to: "/status-pages", label: "Status pages" }]}>
      {result && "message" in result && result.message ? <Alert tone="success">{result.message}</Alert> : null}
      {result && "formError" in result && result.formError ? <Alert tone="error">{result.formError}</Alert> : null}
      <PublishControl page={page} emailVerified={emailVerified} />
      <MonitorPicker page={page} monitors={monitors} result={result} />
      <IncidentUpdates incidents={incidents} result={result} />
      <AnnouncementsEditor page={page} announcements={announcements} result={result} />
      <PageSettings page={page} result={result} />
      <AccessSettings
        page={page}
        errors={result?.intent === "access" && "fieldErrors" in result ? result.fieldErrors : undefined}
      />
      <DomainSettings page={page} result={result} />
    </PageShell>
  );
}

export { ErrorBoundary } from "~/components/route-error.tsx";
