/** The owner's incidents and notices on a page: post one (services, impact, first update), then update or resolve it. */
import { IntentForm } from "~/components/ui/intent-form.tsx";
import { Button, Field, SelectField } from "~/components/ui/form.tsx";
import { Section } from "~/components/ui/section.tsx";
import type { RouterOutputs } from "~/trpc/router-types.ts";
import {
  ANNOUNCEMENT_IMPACTS,
  IMPACT_LABEL,
  INCIDENT_UPDATE_LABEL,
  INCIDENT_UPDATE_STATUSES,
} from "~/lib/status-pages/status-page-input.ts";

type Announcement = RouterOutputs["statusPage"]["announcements"][number];
type EditorPage = RouterOutputs["statusPage"]["byId"];

interface Result {
  intent?: string;
  announcementId?: string;
  fieldErrors?: Record<string, string[] | undefined>;
}

const STATUS_OPTIONS = INCIDENT_UPDATE_STATUSES.map((status) => [status, INCIDENT_UPDATE_LABEL[status]] as const);
const IMPACT_OPTIONS = ANNOUNCEMENT_IMPACTS.map((impact) => [impact, IMPACT_LABEL[impact]] as const);

export function AnnouncementsEditor({
  page,
  announcements,
  result,
}: {
  page: EditorPage;
  announcements: Announcement[];
  result: Result | undefined;
}) {
  const errors = result?.intent === "postAnnouncement" ? result.fieldErrors : undefined;
  return (
    <Section id="page-announcements" title="Post an incident or notice" variant="panel">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        For what your monitors do not see, or to say more than they can. It shows on the page, in its feed and JSON, and
        is mailed to subscribers, as is each update.
      </p>
      <IntentForm intent="postAnnouncement" className="grid gap-4 sm:grid-cols-2">
        <SelectField
          label="Kind"
          name="kind"
          options={[
            ["INCIDENT", "Incident"],
            ["NOTICE", "Notice"],
          ]}
          errors={errors?.kind}
        />
        <SelectField label="Impact" name="impact" options={IMPACT_OPTIONS} errors={errors?.impact} />
        <div className="sm:col-span-2">
          <Field label="Title" name="title" placeholder="Delayed email delivery" errors={errors?.title} />
        </div>
        {page.monitors.length > 0 ? (
          <fieldset className="flex flex-wrap gap-3 text-sm sm:col-span-2">
            <legend className="mb-1 font-medium">Services concerned</legend>
            {page.monitors.map((monitor) => (
              <label key={monitor.monitorId} className="flex items-center gap-1.5">
                <input type="checkbox" name="monitorIds" value={monitor.monitorId} /> {monitor.displayName}
              </label>
            ))}
          </fieldset>
        ) : null}
        <SelectField label="Status" name="status" options={STATUS_OPTIONS} errors={errors?.status} />
        <Field label="Message" name="message" placeholder="What visitors should know" errors={errors?.message} />
        <div className="sm:col-span-2">
          <Button>Post</Button>
        </div>
      </IntentForm>

      {announcements.map((announcement) => {
        const mine = result?.intent === "updateAnnouncement" && result.announcementId === announcement.id;
        return (
          <article
            key={announcement.id}
            data-announcement={announcement.id}
            className="flex flex-col gap-2 border-t border-slate-200 pt-3 dark:border-slate-800"
          >
            <h3 className="font-medium">
              {announcement.title}{" "}
              <span className="text-sm font-normal text-slate-600 dark:text-slate-400">
                {announcement.kind === "NOTICE" ? "notice" : "incident"} · {IMPACT_LABEL[announcement.impact]} ·{" "}
                {announcement.resolvedAt ? "resolved" : "open"}
              </span>
            </h3>
            <ul className="text-sm">
              {announcement.updates.map((update) => (
                <li key={`${String(update.createdAt)}-${update.status}`}>
                  <strong>{INCIDENT_UPDATE_LABEL[update.status as keyof typeof INCIDENT_UPDATE_LABEL]}</strong> —{" "}
                  {update.message}
                </li>
              ))}
            </ul>
            <IntentForm
              intent="updateAnnouncement"
              fields={{ announcementId: announcement.id }}
              className="flex flex-wrap items-end gap-2"
            >
              <SelectField
                label="Status"
                name="status"
                defaultValue={announcement.resolvedAt ? "RESOLVED" : "MONITORING"}
                options={STATUS_OPTIONS}
              />
              <Field
                label={`Update on "${announcement.title}"`}
                name="message"
                errors={mine ? result?.fieldErrors?.message : undefined}
              />
              <Button variant="secondary">Post update</Button>
            </IntentForm>
          </article>
        );
      })}
    </Section>
  );
}
