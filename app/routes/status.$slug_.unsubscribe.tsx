import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { SubscriptionNotice } from "~/components/status-pages/subscription-notice.tsx";
import { createCaller } from "~/trpc/caller.server.ts";

export const handle = { publicDocument: true };
export const meta: MetaFunction = () => [{ title: "Unsubscribed" }, { name: "robots", content: "noindex" }];

async function unsubscribe({ request, context }: LoaderFunctionArgs | ActionFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const api = await createCaller(context, request);
  const { pageName } = token ? await api.statusPage.unsubscribe({ token }) : { pageName: null };
  return data(
    {
      ok: true,
      title: "You are unsubscribed",
      text: pageName ? `You will get no more emails from ${pageName}.` : "This address gets no emails from this page.",
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

/** One click from the mail's link unsubscribes; no login, no form. */
export const loader = unsubscribe;

/** RFC 8058 one-click unsubscribe (mail clients POST to the same link). */
export const action = unsubscribe;

export default function Unsubscribe() {
  const result = useLoaderData<typeof loader>();
  return <SubscriptionNotice {...result} />;
}
