import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { PublicStatusPage } from "~/components/status-pages/public-status-page.tsx";
import { PasswordGate } from "~/components/status-pages/password-gate.tsx";
import { OVERALL_LABEL } from "~/lib/status-pages/overall-state.ts";
import { actionErrorLine, formFields } from "~/web/forms/action-result.server.ts";
import { accessProofOf, publicHeaders, publicPageOrLocked } from "~/web/resources/public-page.server.ts";
import { publicCaller } from "~/trpc/caller.server.ts";
import { readForm } from "~/web/forms/read-form.server.ts";

/** Served as plain HTML: no client scripts, no account header (see root.tsx). */
export const handle = { publicDocument: true };

const PRIVATE_HEADERS = { "Cache-Control": "private, no-store", "X-Robots-Tag": "noindex, nofollow" };

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => {
  if (!loaded) return [{ title: "Status page not found" }];
  if (loaded.locked) return [{ title: "Private status page" }, { name: "robots", content: "noindex, nofollow" }];
  const { page } = loaded;
  return [
    { title: `${page.name} status` },
    { name: "description", content: `${OVERALL_LABEL[page.overall]} — live status and incident history.` },
    ...(page.visibility === "PUBLIC" ? [] : [{ name: "robots", content: "noindex" }]),
    { tagName: "link", rel: "alternate", type: "application/atom+xml", href: `/status/${page.slug}/feed.atom` },
  ];
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const page = await publicPageOrLocked(publicCaller(context, request), params.slug, request);
  // A private page without access: its password form, and nothing of the page.
  if (page === "locked") return data({ locked: true as const }, { status: 401, headers: PRIVATE_HEADERS });
  return data({ locked: false as const, page }, { headers: publicHeaders(page) });
}

export const headers: HeadersFunction = ({ loaderHeaders, actionHeaders }) =>
  actionHeaders.has("Cache-Control") ? actionHeaders : loaderHeaders;

/** The page's forms: a private page's password, and subscribing by email. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const api = publicCaller(context, request);
  const fields = formFields(await readForm(request));
  const slug = (params.slug ?? "").toLowerCase();
  const noStore = { "Cache-Control": "no-store" };
  if (fields.intent === "unlock") {
    try {
      const access = await api.statusPage.unlock({ slug, password: fields.password ?? "" });
      const secure = context.env.NODE_ENV === "production" ? "; Secure" : "";
      return redirect(`/status/${slug}`, {
        status: 303,
        headers: {
          ...noStore,
          "Set-Cookie": `${access.cookieName}=${access.cookieValue}; Path=/; Max-Age=${access.maxAgeSeconds}; HttpOnly; SameSite=Lax${secure}`,
        },
      });
    } catch (error) {
      const { message, status, headers } = actionErrorLine(error);
      return data(
        { unlockError: message ?? "That is not the password" },
        { status, headers: { ...noStore, ...headers } },
      );
    }
  }
  try {
    const { delivered } = await api.statusPage.subscribe({
      slug,
      email: fields.email ?? "",
      access: accessProofOf(request, slug),
    });
    return data(
      {
        message: delivered
          ? "Almost done: we sent you an email — follow its link to confirm your subscription."
          : "Subscriptions are not available right now: this status page cannot send email.",
      },
      { headers: noStore },
    );
  } catch (error) {
    const { message, status, headers } = actionErrorLine(error);
    return data(
      { error: message ?? "Something was wrong with that address" },
      { status, headers: { ...noStore, ...headers } },
    );
  }
}

export default function StatusPageRoute() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (loaded.locked) return <PasswordGate error={result && "unlockError" in result ? result.unlockError : undefined} />;
  return <PublicStatusPage page={loaded.page} subscribe={result && !("unlockError" in result) ? result : undefined} />;
}
