import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { SubscriptionNotice, SubscriptionQuestion } from "~/components/status-pages/subscription-notice.tsx";
import { publicCaller } from "~/trpc/caller.server.ts";
import { refusalCode } from "~/web/forms/action-result.server.ts";
import { readForm } from "~/web/forms/read-form.server.ts";

export const handle = { publicDocument: true };
export const meta: MetaFunction = () => [{ title: "Unsubscribe" }, { name: "robots", content: "noindex" }];

const headers = { "Cache-Control": "no-store" };

/** The link in every mail opens a question; nothing changes on GET (mail scanners open links). */
export const loader = () => data(null, { headers });

/**
 * The button, and RFC 8058 one-click unsubscribe: mail clients POST
 * `List-Unsubscribe=One-Click` to the same URL (the List-Unsubscribe header's).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  // The button's form carries nothing this action reads, but a body that is no form is refused (415/400) as at every action.
  await readForm(request);
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const api = publicCaller(context, request);
  // A token that cannot be one (mangled by a mail client) unsubscribes nobody; say so as for any unknown token.
  const { pageName } = token
    ? await api.statusPage.unsubscribe({ token }).catch((error: unknown) => {
        if (refusalCode(error) === "BAD_REQUEST") return { pageName: null };
        throw error;
      })
    : { pageName: null };
  return data(
    {
      ok: true,
      title: "You are unsubscribed",
      text: pageName ? `You will get no more emails from ${pageName}.` : "This address gets no emails from this page.",
    },
    { headers },
  );
}

export default function Unsubscribe() {
  const result = useActionData<typeof action>();
  if (result) return <SubscriptionNotice {...result} />;
  return (
    <SubscriptionQuestion
      title="Unsubscribe?"
      text="Press the button to stop getting this status page's emails."
      button="Unsubscribe"
    />
  );
}
