import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { Alert, Field } from "~/components/ui/form.tsx";
import { AuthCard, AuthForm } from "~/components/ui/auth-form.tsx";
import { actionError, formFields } from "~/web/forms/action-result.server.ts";
import { publicCaller } from "~/trpc/caller.server.ts";
import { passRetryAfter } from "~/lib/pass-retry-after.ts";
import { readForm } from "~/web/forms/read-form.server.ts";

/** A form refused by a spent rate limit says when to try again (Retry-After), as /api/trpc does. */
export const headers = passRetryAfter;

export const meta: MetaFunction = () => [{ title: "Reset your password · Better Uptime" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const email = formFields(await readForm(request)).email ?? "";
  try {
    const { delivered } = await publicCaller(context, request).auth.requestPasswordReset({ email });
    return { sentTo: email.trim().toLowerCase(), delivered };
  } catch (error) {
    return actionError(error);
  }
}

export default function ForgotPassword() {
  const result = useActionData<typeof action>();
  if (result && "sentTo" in result) {
    return (
      <AuthCard title="Check your inbox">
        <Alert tone="success">
          If an account exists for <strong>{result.sentTo}</strong>, we sent it a link to choose a new password. The
          link expires in an hour.
        </Alert>
        {!result.delivered ? (
          <Alert tone="warning">
            This server has no outgoing email configured (SMTP_URL): any link is in the server log.
          </Alert>
        ) : null}
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Reset your password">
      <AuthForm formError={result?.formError} submit="Send me a link">
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          errors={result?.fieldErrors?.email}
        />
      </AuthForm>
    </AuthCard>
  );
}
