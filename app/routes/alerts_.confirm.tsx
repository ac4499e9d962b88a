import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Alert } from "~/components/ui/form.tsx";
import { AuthCard, AuthForm } from "~/components/ui/auth-form.tsx";
import { actionError, formFields } from "~/web/forms/action-result.server.ts";
import { publicCaller } from "~/trpc/caller.server.ts";
import { readForm } from "~/web/forms/read-form.server.ts";

export const meta: MetaFunction = () => [{ title: "Confirm alerts · Better Uptime" }];

/**
 * The link in an alert channel's confirmation mail opens this page; the button gives the
 * consent. (A GET that confirmed would let mail scanners, which open links, agree for
 * the recipient.)
 */
export function loader({ request }: LoaderFunctionArgs) {
  return { token: new URL(request.url).searchParams.get("token") ?? "" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const token = formFields(await readForm(request)).token ?? "";
  try {
    const { name } = await publicCaller(context, request).notification.confirm({ token });
    return { confirmed: name };
  } catch (error) {
    return actionError(error);
  }
}

export default function ConfirmAlerts() {
  const { token } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (result && "confirmed" in result) {
    return (
      <AuthCard title="Alerts confirmed">
        <Alert tone="success">You will receive the alerts of “{result.confirmed}” at this address.</Alert>
      </AuthCard>
    );
  }
  const problem = result && "formError" in result ? (result.formError ?? result.fieldErrors?.token?.join(" ")) : null;
  return (
    <AuthCard title="Receive monitoring alerts?">
      <p className="text-sm">Someone asked to send uptime alerts to your address. Confirm only if you expect them.</p>
      <AuthForm formError={problem} hidden={{ token }} submit="Yes, send me these alerts" />
    </AuthCard>
  );
}
