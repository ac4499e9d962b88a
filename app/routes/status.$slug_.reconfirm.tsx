import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { SubscriptionNotice } from "~/components/status-pages/subscription-notice.tsx";
import { ReconfirmForm } from "~/components/status-pages/reconfirm-form.tsx";
import { fieldMessage, formFields, refusalCode } from "~/web/forms/action-result.server.ts";
import { accessProofOf } from "~/web/resources/public-page.server.ts";
import { publicCaller } from "~/trpc/caller.server.ts";
import { readForm } from "~/web/forms/read-form.server.ts";

/** Served as plain HTML: no client scripts (see root.tsx). */
export const handle = { publicDocument: true };
export const meta: MetaFunction = () => [
  { title: "Confirm your subscription" },
  { name: "robots", content: "noindex" },
];

const headers = { "Cache-Control": "no-store" };

/** The link in the confirm-again mail opens the form; nothing changes on GET (mail scanners open links). */
export const loader = () => data(null, { headers });

/**
 * A subscription paused because the page turned private (or its password changed)
 * resumes for a visitor who passes the page's access check: its password, entered here
 * (checked as the page's own password form checks it, and the page is then open in this
 * browser too), or the page's cookie this browser already has.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const api = publicCaller(context, request);
  const slug = (params.slug ?? "").toLowerCase();
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const { password } = formFields(await readForm(request));
  let access = accessProofOf(request, slug);
  let cookie: string | undefined;
  try {
    // A page no longer private has no password (unlock: not found): its subscriptions resumed already.
    const unlocked = password
      ? await api.statusPage.unlock({ slug, password }).catch((error: unknown) => {
          if (refusalCode(error) === "NOT_FOUND") return null;
          throw error;
        })
      : null;
    if (unlocked) {
      access = { cookie: unlocked.cookieValue };
      const secure = context.env.NODE_ENV === "production" ? "; Secure" : "";
      cookie = `${unlocked.cookieName}=${unlocked.cookieValue}; Path=/; Max-Age=${unlocked.maxAgeSeconds}; HttpOnly; SameSite=Lax${secure}`;
    }
    const { pageName } = await api.statusPage.reconfirmSubscription({ slug, token, access });
    return data(
      {
        done: true as const,
        ok: true,
        title: "Subscription confirmed",
        text: `You will get ${pageName}'s incident and maintenance updates by email again.`,
      },
      { headers: cookie ? { ...headers, "Set-Cookie": cookie } : headers },
    );
  } catch (error) {
    const code = refusalCode(error);
    if (code === null) throw error;
    const wrongPassword = fieldMessage(error, "password");
    if (wrongPassword || code === "UNAUTHORIZED" || code === "TOO_MANY_REQUESTS") {
      const message =
        wrongPassword ?? (code === "UNAUTHORIZED" ? "Enter the page's password to confirm." : (error as Error).message);
      return data(
        { done: false as const, error: message },
        { status: code === "TOO_MANY_REQUESTS" ? 429 : 400, headers },
      );
    }
    const dead = fieldMessage(error, "token");
    if (code === "BAD_REQUEST" && dead) {
      return data(
        { done: true as const, ok: false, title: "This link no longer works", text: dead },
        { status: 410, headers },
      );
    }
    if (code === "NOT_FOUND" || code === "BAD_REQUEST") {
      return data(
        {
          done: true as const,
          ok: false,
          title: "This link does not work",
          text: "It may be incomplete, or the subscription has ended: subscribe again on the status page.",
        },
        { status: 404, headers },
      );
    }
    throw error;
  }
}

export default function ReconfirmSubscription() {
  const result = useActionData<typeof action>();
  if (result?.done) return <SubscriptionNotice ok={result.ok} title={result.title} text={result.text} />;
  return <ReconfirmForm error={result?.error} />;
}
