import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { SubscriptionNotice, SubscriptionQuestion } from "~/components/status-pages/subscription-notice.tsx";
import { fieldMessage, refusalCode } from "~/web/forms/action-result.server.ts";
import { publicCaller } from "~/trpc/caller.server.ts";
import { readForm } from "~/web/forms/read-form.server.ts";

export const handle = { publicDocument: true };
export const meta: MetaFunction = () => [{ title: "Subscription" }, { name: "robots", content: "noindex" }];

const headers = { "Cache-Control": "no-store" };

/** The link in the double opt-in mail opens a question; nothing changes on GET. */
export const loader = () => data(null, { headers });

/** The button: confirms the subscription the token stands for. */
export async function action({ request, context }: ActionFunctionArgs) {
  // The button's form carries nothing this action reads, but a body that is no form is refused (415/400) as at every action.
  await readForm(request);
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const api = publicCaller(context, request);
  try {
    const { pageName } = await api.statusPage.confirmSubscription({ token });
    return data(
      {
        ok: true,
        title: "Subscription confirmed",
        text: `You will get ${pageName}'s incident and maintenance updates by email.`,
      },
      { headers },
    );
  } catch (error) {
    const code = refusalCode(error);
    if (code !== "NOT_FOUND" && code !== "BAD_REQUEST") throw error;
    // Links work for 7 days: an old one says so (and what to do), not just "does not work".
    const expired = fieldMessage(error, "token");
    if (expired && /expired/.test(expired)) {
      return data({ ok: false, title: "This link has expired", text: expired }, { status: 410, headers });
    }
    return data(
      {
        ok: false,
        title: "This link does not work",
        text: "It may be incomplete, or replaced by a newer one: subscribe again on the status page.",
      },
      { status: 404, headers },
    );
  }
}

export default function ConfirmSubscription() {
  const result = useActionData<typeof action>();
  if (result) return <SubscriptionNotice {...result} />;
  return (
    <SubscriptionQuestion
      title="Confirm your subscription"
      text="Press the button to get this status page's incident and maintenance updates by email."
      button="Confirm my subscription"
    />
  );
}
