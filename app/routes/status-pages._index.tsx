import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Alert, Button, Field } from "~/components/ui/form.tsx";
import { actionError, formFields } from "~/web/forms/action-result.server.ts";
import { requireCaller } from "~/trpc/caller.server.ts";
import { PageShell } from "~/components/ui/page-shell.tsx";
import { readForm } from "~/web/forms/read-form.server.ts";

export const meta: MetaFunction = () => [{ title: "Status pages · Better Uptime" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, api } = await requireCaller(context, request);
  return { pages: await api.statusPage.list(), emailVerified: user.emailVerified };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await requireCaller(context, request);
  const fields = formFields(await readForm(request));
  try {
    const page = await api.statusPage.create({ name: fields.name ?? "", slug: fields.slug ?? "" });
    return redirect(`/status-pages/${page.id}`);
  } catch (error) {
    return actionError(error, { values: fields });
  }
}

export default function StatusPages() {
  const { pages, emailVerified } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <PageShell
      title="Status pages"
      actions={
        <Link to="/maintenance" className="text-sm font-medium underline">
          Maintenance windows
        </Link>
      }
    >
      {!emailVerified ? (
        <Alert tone="warning">Verify your email address to publish a status page (you can prepare one now).</Alert>
      ) : null}
      {pages.length === 0 ? (
        <p className="text-slate-600 dark:text-slate-400">
          No status pages yet. Create one, choose the monitors it shows, and publish it for your customers.
        </p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
          {pages.map((page) => (
            <li key={page.id} className="flex flex-wrap items-center justify-between gap-3 p-4 text-sm">
              <div>
                <Link to={`/status-pages/${page.id}`} className="font-medium underline">
                  {page.name}
                </Link>
                <div className="text-slate-600 dark:text-slate-400">
                  /status/{page.slug} · {page.monitorCount} monitor{page.monitorCount === 1 ? "" : "s"}
                  {page.domain ? ` · ${page.domain}` : ""}
                </div>
              </div>
              <span
                className={`rounded px-2 py-0.5 text-xs font-semibold ${
                  page.isPublished
                    ? "bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100"
                    : "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300"
                }`}
              >
                {page.isPublished ? "Published" : "Draft"}
              </span>
            </li>
          ))}
        </ul>
      )}
      <section
        aria-labelledby="new-page"
        className="flex flex-col gap-4 rounded-lg border border-slate-200 p-6 dark:border-slate-800"
      >
        <h2 id="new-page" className="text-lg font-semibold">
          New status page
        </h2>
        {result && "formError" in result && result.formError ? <Alert tone="error">{result.formError}</Alert> : null}
        <Form method="post" className="grid gap-4 sm:grid-cols-2" noValidate>
          <Field
            label="Name"
            name="name"
            required
            defaultValue={result?.values?.name}
            errors={result?.fieldErrors?.name}
            placeholder="Acme status"
          />
          <Field
            label="Address"
            name="slug"
            required
            defaultValue={result?.values?.slug}
            errors={result?.fieldErrors?.slug}
            placeholder="acme"
            hint="The page lives at /status/<address>: lowercase letters, digits and hyphens."
          />
          <div className="sm:col-span-2">
            <Button>Create status page</Button>
          </div>
        </Form>
      </section>
    </PageShell>
  );
}

export { ErrorBoundary } from "~/components/route-error.tsx";
