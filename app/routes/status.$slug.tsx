import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { PublicStatusPage } from "~/components/status-pages/public-status-page.tsx";
import { OVERALL_LABEL } from "~/lib/status-pages/overall-state.ts";
import { actionError, formFields } from "~/server/forms/action-result.server.ts";
import { PUBLIC_CACHE_CONTROL, publicPageOr404 } from "~/server/resources/public-page.server.ts";
import { publicCaller } from "~/trpc/caller.server.ts";

/** Served as plain HTML: no client scripts, no account header (see root.tsx). */
export const handle = { publicDocument: true };

export const meta: MetaFunction<typeof loader> = ({ data: page }) =>
  page
    ? [
        { title: `${page.name} status` },
        { name: "description", content: `${OVERALL_LABEL[page.overall]} — live status and incident history.` },
        { tagName: "link", rel: "alternate", type: "application/atom+xml", href: `/status/${page.slug}/feed.atom` },
      ]
    : [{ title: "Status page not found" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const page = await publicPageOr404(publicCaller(context, request), params.slug, request);
  return data(page, { headers: { "Cache-Control": PUBLIC_CACHE_CONTROL } });
}

export const headers: HeadersFunction = ({ loaderHeaders, actionHeaders }) =>
  actionHeaders.has("Cache-Control") ? actionHeaders : loaderHeaders;

/** Subscribing by email (the only form on the page). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const api = publicCaller(context, request);
  const fields = formFields(await request.formData());
  try {
    const { delivered } = await api.statusPage.subscribe({ slug: params.slug ?? "", email: fields.email ?? "" });
    return data(
      {
        message: delivered
          ? "Almost done: we sent you an email — follow its link to confirm your subscription."
          : "Subscriptions are not available right now: this status page cannot send email.",
      },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (error) {
    const result = actionError(error);
    const body = result.data;
    const message = body.fieldErrors ? Object.values(body.fieldErrors).flat()[0] : body.formError;
    return data(
      { error: message ?? "Something was wrong with that address" },
      {
        status: result.init?.status ?? 400,
        headers: { "Cache-Control": "no-store" },
      },
    );
  }
}

export default function StatusPageRoute() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return <PublicStatusPage page={page} subscribe={result} />;
}
