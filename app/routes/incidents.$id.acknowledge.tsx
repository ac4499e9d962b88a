/**
 * /incidents/:id/acknowledge?channel=…&exp=…&sig=… — the "Acknowledge" link of an alert
 * email. No sign-in: the signature is the credential, for this incident only, and only
 * while the link works (7 days, the incident open, its channel still there). Opening the
 * link shows the incident and one button (mail scanners open links, they do not press
 * buttons); the button acknowledges it in the recipient's name. A link that no longer
 * works says why (410), and shows nothing of the incident.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { SubscriptionNotice, SubscriptionQuestion } from "~/components/status-pages/subscription-notice.tsx";
import { formatDateTime } from "../../core/text/format.ts";
import { publicCaller } from "~/trpc/caller.server.ts";
import { refusalCode } from "~/web/forms/action-result.server.ts";
import { readForm } from "~/web/forms/read-form.server.ts";

export const handle = { publicDocument: true };
export const meta: MetaFunction = () => [{ title: "Acknowledge the incident" }, { name: "robots", content: "noindex" }];

const headers = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" };

function linkOf(request: Request, id: string | undefined) {
  const url = new URL(request.url);
  const exp = url.searchParams.get("exp");
  return {
    id: id ?? "",
    channel: url.searchParams.get("channel") ?? "",
    // Not digits: -1, which the input schema refuses (a dead link).
    exp: exp === null ? undefined : /^\d{1,15}$/.test(exp) ? Number(exp) : -1,
    sig: url.searchParams.get("sig") ?? "",
  };
}

const DEAD_LINK = {
  ok: false,
  title: "This link does not work",
  text: "It may be incomplete. Open the incident from your Better Uptime dashboard instead.",
};

type Notice = { ok: boolean; title: string; text: string };

/**
 * A link this instance did not sign (or cut short) is a 404 page; one that no longer
 * works (expired, the incident over, its channel removed) a 410 page saying why; never an error.
 */
async function orRefusal<T>(run: () => Promise<T>): Promise<T | { refusal: Notice; status: number }> {
  try {
    return await run();
  } catch (error) {
    const code = refusalCode(error);
    if (code === "FORBIDDEN") {
      return {
        refusal: { ok: false, title: "This link no longer works", text: (error as Error).message },
        status: 410,
      };
    }
    if (code === "NOT_FOUND" || code === "BAD_REQUEST") return { refusal: DEAD_LINK, status: 404 };
    throw error;
  }
}

type State = Awaited<ReturnType<ReturnType<typeof publicCaller>["incident"]["acknowledgeLink"]>>;

function describe(state: State): Notice {
  if (state.acknowledgedAt) {
    return {
      ok: true,
      title: `Acknowledged: ${state.monitor.name}`,
      text: `${state.acknowledgedBy ?? "Someone"} acknowledged it at ${formatDateTime(state.acknowledgedAt)}. Reminders have stopped.`,
    };
  }
  if (state.resolvedAt) {
    return {
      ok: true,
      title: `${state.monitor.name} is up again`,
      text: `The incident ended at ${formatDateTime(state.resolvedAt)}: there is nothing left to acknowledge.`,
    };
  }
  return { ok: true, title: "", text: "" };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const state = await orRefusal(() =>
    publicCaller(context, request).incident.acknowledgeLink(linkOf(request, params.id)),
  );
  if ("refusal" in state) return data({ notice: state.refusal, question: null }, { status: state.status, headers });
  const notice = describe(state);
  const question = notice.title
    ? null
    : {
        title: `Acknowledge: ${state.monitor.name} is down`,
        text: `Down since ${formatDateTime(state.startedAt)}. Acknowledging tells everyone you are on it and stops the reminders.`,
      };
  return data({ notice: notice.title ? notice : null, question }, { headers });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  // The button's form carries nothing this action reads, but a body that is no form is refused (415/400) as at every action.
  await readForm(request);
  const state = await orRefusal(() =>
    publicCaller(context, request).incident.acknowledgeByLink(linkOf(request, params.id)),
  );
  if ("refusal" in state) return data(state.refusal, { status: state.status, headers });
  return data(describe(state), { headers });
}

export default function AcknowledgeIncident() {
  const { notice, question } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (result) return <SubscriptionNotice {...result} />;
  if (notice) return <SubscriptionNotice {...notice} />;
  return <SubscriptionQuestion title={question!.title} text={question!.text} button="Acknowledge" />;
}
