import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TRPCError } from "@trpc/server";
import { SubscriptionNotice } from "~/components/status-pages/subscription-notice.tsx";
import { createCaller } from "~/trpc/caller.server.ts";

export const handle = { publicDocument: true };
export const meta: MetaFunction = () => [{ title: "Subscription" }, { name: "robots", content: "noindex" }];

/** The link in the double opt-in mail. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const api = await createCaller(context, request);
  const headers = { "Cache-Control": "no-store" };
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
    if (!(error instanceof TRPCError) || !["NOT_FOUND", "BAD_REQUEST"].includes(error.code)) throw error;
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
  const result = useLoaderData<typeof loader>();
  return <SubscriptionNotice {...result} />;
}
