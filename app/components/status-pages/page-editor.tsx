/**
 * The parts of the status page editor, each its own plain form (works without
 * JavaScript): publishing, monitors, incident updates, settings, custom domain.
 */
import { Alert, Button, Field, SelectField } from "~/components/ui/form.tsx";
import type { RouterOutputs } from "~/trpc/router-types.ts";
import { INCIDENT_UPDATE_LABEL, INCIDENT_UPDATE_STATUSES } from "~/lib/status-pages/status-page-input.ts";
import { Table } from "~/components/ui/table.tsx";
import { Section } from "~/components/ui/section.tsx";
import { IntentForm, RowAction } from "~/components/ui/intent-form.tsx";

type EditorPage = RouterOutputs["statusPage"]["byId"];

interface Result {
  intent?: string;
  incidentId?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  values?: Record<string, string>;
}

function errorsFor(result: Result | undefined, intent: string, field: string): string[] | undefined {
  return result?.intent === intent ? result.fieldErrors?.[field] : undefined;
}

const input = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";

export function PublishControl({ page, emailVerified }: { page: EditorPage; emailVerified: boolean }) {
  const path = `/status/${page.slug}`;
  return (
    <Section id="publishing" title={page.isPublished ? "Published" : "Draft"} variant="panel">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        {page.isPublished ? (
          <>
            Public at{" "}
            <a href={path} className="font-mono underline" target="_blank" rel="noreferrer">
              {path}
            </a>
            {page.domain?.status === "VERIFIED" ? ` and https://${page.domain.domain}` : ""} ·{" "}
            {page.subscribers.confirmed} subscriber{page.subscribers.confirmed === 1 ? "" : "s"}
          </>
        ) : (
          "Only you can see this page's settings; visitors get a 404 until you publish it."
        )}
      </p>
      {!emailVerified && !page.isPublished ? (
        <Alert tone="warning">Verify your email address (see Account) before publishing.</Alert>
      ) : null}
      <RowAction
        intent={page.isPublished ? "unpublish" : "publish"}
        className="flex gap-2"
        variant={page.isPublished ? "secondary" : "primary"}
      >
        {page.isPublished ? "Unpublish" : "Publish"}
      </RowAction>
    </Section>
  );
}

export function MonitorPicker({
  page,
  monitors,
  result,
}: {
  page: EditorPage;
  monitors: { id: string; name: string | null; url: string; status: string }[];
  result: Result | undefined;
}) {
  const onPage = new Map(page.monitors.map((monitor, position) => [monitor.monitorId, { ...monitor, position }]));
  // Listed monitors first, in page order; the others after.
  const rows = [...monitors].sort((a, b) => (onPage.get(a.id)?.position ?? 1e9) - (onPage.get(b.id)?.position ?? 1e9));
  const errors = result?.intent === "monitors" ? Object.values(result.fieldErrors ?? {}).flat() : [];
  return (
    <Section id="page-monitors" title="Monitors on this page" variant="panel">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Visitors see the public name, state, uptime and 90-day history — never the URL, headers or error messages.
      </p>
      {errors.length > 0 ? <Alert tone="error">{errors.join(" ")}</Alert> : null}
      {monitors.length === 0 ? (
        <p className="text-sm">You have no monitors yet: create one first.</p>
      ) : (
        <IntentForm intent="monitors" className="flex flex-col gap-3">
          <Table
            columns={[
              { label: "Show" },
              { label: "Monitor" },
              { label: "Public name" },
              { label: "Section" },
              { label: "Order" },
            ]}
            plain
          >
            {rows.map((monitor, index) => {
              const listed = onPage.get(monitor.id);
              const label = monitor.name ?? monitor.url;
              return (
                <tr key={monitor.id} className="border-t border-slate-200 dark:border-slate-800">
                  <td className="p-2">
                    <input
                      type="checkbox"
                      name={`show.${monitor.id}`}
                      defaultChecked={Boolean(listed)}
                      aria-label={`Show ${label}`}
                    />
                  </td>
                  <td className="max-w-56 truncate p-2" title={monitor.url}>
                    {label}
                  </td>
                  <td className="p-2">
                    <input
                      className={input}
                      name={`name.${monitor.id}`}
                      defaultValue={listed?.displayName ?? monitor.name ?? ""}
                      aria-label={`Public name of ${label}`}
                      maxLength={100}
                    />
                  </td>
                  <td className="p-2">
                    <input
                      className={input}
                      name={`section.${monitor.id}`}
                      defaultValue={listed?.section ?? ""}
                      aria-label={`Section of ${label}`}
                      placeholder="(none)"
                      maxLength={100}
                    />
                  </td>
                  <td className="p-2">
                    <input
                      className={`${input} w-16`}
                      type="number"
                      name={`order.${monitor.id}`}
                      defaultValue={index + 1}
                      aria-label={`Order of ${label}`}
                    />
                  </td>
                </tr>
              );
            })}
          </Table>
          <div>
            <Button>Save monitors</Button>
          </div>
        </IntentForm>
      )}
    </Section>
  );
}

export function IncidentUpdates({
  incidents,
  result,
}: {
  incidents: {
    id: string;
    service: string;
    startedAt: Date | string;
    resolvedAt: Date | string | null;
    updates: { id: string; status: string; message: string; createdAt: Date | string }[];
  }[];
  result: Result | undefined;
}) {
  return (
    <Section id="page-incidents" title="Incidents" variant="panel">
      {incidents.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          No incidents on this page&apos;s monitors in the last 14 days. When one happens, tell your visitors what you
          know here.
        </p>
      ) : (
        incidents.map((incident) => {
          const mine = result?.intent === "incidentUpdate" && result.incidentId === incident.id;
          return (
            <article
              key={incident.id}
              className="flex flex-col gap-2 border-t border-slate-200 pt-3 dark:border-slate-800"
            >
              <h3 className="font-medium">
                {incident.service} outage{" "}
                <span className="text-sm font-normal text-slate-600 dark:text-slate-400">
                  {incident.resolvedAt ? "resolved" : "ongoing"} · started{" "}
                  {new Date(incident.startedAt).toISOString().replace("T", " ").slice(0, 16)} UTC
                </span>
              </h3>
              {incident.updates.length > 0 ? (
                <ul className="text-sm">
                  {incident.updates.map((update) => (
                    <li key={update.id}>
                      <strong>
                        {INCIDENT_UPDATE_LABEL[update.status as keyof typeof INCIDENT_UPDATE_LABEL] ?? update.status}
                      </strong>{" "}
                      — {update.message}
                    </li>
                  ))}
                </ul>
              ) : null}
              <IntentForm
                intent="incidentUpdate"
                fields={{ incidentId: incident.id }}
                className="flex flex-wrap items-end gap-2"
              >
                <SelectField
                  label="Status"
                  name="status"
                  defaultValue="INVESTIGATING"
                  options={INCIDENT_UPDATE_STATUSES.map((status) => [status, INCIDENT_UPDATE_LABEL[status]] as const)}
                />
                <label className="flex min-w-64 flex-1 flex-col gap-1 text-sm">
                  Update for visitors
                  <input
                    name="message"
                    className={input}
                    maxLength={2000}
                    aria-invalid={mine && result?.fieldErrors?.message ? true : undefined}
                  />
                </label>
                <Button>Post update</Button>
                {mine && result?.fieldErrors?.message ? (
                  <p className="w-full text-sm text-red-700 dark:text-red-400">
                    {result.fieldErrors.message.join(" ")}
                  </p>
                ) : null}
              </IntentForm>
            </article>
          );
        })
      )}
    </Section>
  );
}

export function PageSettings({ page, result }: { page: EditorPage; result: Result | undefined }) {
  const values = result?.intent === "settings" ? result.values : undefined;
  return (
    <Section id="page-settings" title="Settings" variant="panel">
      <IntentForm intent="settings" className="grid gap-4 sm:grid-cols-2" noValidate>
        <Field
          label="Name"
          name="name"
          defaultValue={values?.name ?? page.name}
          errors={errorsFor(result, "settings", "name")}
        />
        <Field
          label="Address"
          name="slug"
          defaultValue={values?.slug ?? page.slug}
          errors={errorsFor(result, "settings", "slug")}
          hint="/status/<address>"
        />
        <Field
          label="Description"
          name="description"
          defaultValue={values?.description ?? page.description ?? ""}
          errors={errorsFor(result, "settings", "description")}
        />
        <div className="sm:col-span-2">
          <Button>Save settings</Button>
        </div>
      </IntentForm>
      <LogoSettings page={page} result={result} />
      <IntentForm
        intent="delete"
        onSubmit={(event) => {
          if (!confirm(`Delete the status page "${page.name}"? Its subscribers are removed too.`))
            event.preventDefault();
        }}
      >
        <Button variant="danger">Delete status page</Button>
      </IntentForm>
    </Section>
  );
}

/** The logo is uploaded and served from here: visitors' browsers never fetch it elsewhere. */
function LogoSettings({ page, result }: { page: EditorPage; result: Result | undefined }) {
  const errors = errorsFor(result, "logo", "image");
  return (
    <div className="flex flex-wrap items-end gap-4">
      {page.logoUrl ? <img src={page.logoUrl} alt="Current logo" className="h-10 w-auto" /> : null}
      <IntentForm intent="logo" encType="multipart/form-data" className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-sm font-medium">
          Logo (PNG, JPEG or WebP, up to 256 KiB)
          <input type="file" name="logo" accept="image/png,image/jpeg,image/webp" className="text-sm" />
        </label>
        <Button variant="secondary">Upload logo</Button>
      </IntentForm>
      {page.logoUrl ? (
        <RowAction intent="removeLogo" variant="secondary">
          Remove logo
        </RowAction>
      ) : null}
      {errors ? <Alert tone="error">{errors.join(" ")}</Alert> : null}
    </div>
  );
}

export function DomainSettings({ page, result }: { page: EditorPage; result: Result | undefined }) {
  const domain = page.domain;
  return (
    <Section id="custom-domain" title="Custom domain" variant="panel">
      {domain ? (
        <>
          <p className="text-sm">
            <span className="font-mono">{domain.domain}</span> ·{" "}
            <strong data-domain-status={domain.waiting ? "WAITING" : domain.status}>
              {domain.waiting
                ? "Proven, waiting for another page to let go"
                : { PENDING: "Waiting for verification", VERIFIED: "Verified", FAILED: "Verification failed" }[
                    domain.status
                  ]}
            </strong>
          </p>
          {/* A waiting claim, or a verified one whose last lookup went unanswered, is not an error. */}
          {domain.failureReason ? (
            <Alert tone={domain.status === "FAILED" ? "error" : "warning"}>{domain.failureReason}</Alert>
          ) : null}
          <p className="text-sm text-slate-600 dark:text-slate-400">Create these records at your DNS provider:</p>
          <Table columns={[{ label: "Type" }, { label: "Name" }, { label: "Value" }]} plain bodyClassName="font-mono">
            {domain.records.map((record) => (
              <tr key={record.type} data-record={record.type}>
                <td className="p-1">{record.type}</td>
                <td className="break-all p-1">{record.name}</td>
                <td className="break-all p-1">{record.value}</td>
              </tr>
            ))}
          </Table>
          <div className="flex gap-2">
            <RowAction intent="verifyDomain">{domain.status === "VERIFIED" ? "Verify again" : "Verify"}</RowAction>
            <RowAction intent="removeDomain" variant="secondary">
              Remove domain
            </RowAction>
          </div>
        </>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Serve this page on your own domain, e.g. status.example.com.
        </p>
      )}
      <IntentForm intent="setDomain" className="flex flex-wrap items-end gap-2" noValidate>
        <Field
          label={domain ? "Replace with" : "Domain"}
          name="domain"
          placeholder="status.example.com"
          errors={errorsFor(result, "setDomain", "domain")}
        />
        <Button variant="secondary">{domain ? "Replace domain" : "Add domain"}</Button>
      </IntentForm>
    </Section>
  );
}
