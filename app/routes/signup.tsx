import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { Alert, Field } from "~/components/ui/form.tsx";
import { AuthCard, AuthForm } from "~/components/ui/auth-form.tsx";
import { PASSWORD_MIN_LENGTH } from "~/lib/auth/auth-input.ts";
import { actionError, formFields } from "~/web/forms/action-result.server.ts";
import { optionalCaller, publicCaller } from "~/trpc/caller.server.ts";
import { passRetryAfter } from "~/lib/pass-retry-after.ts";
import { readForm } from "~/web/forms/read-form.server.ts";

/** A form refused by a spent rate limit says when to try again (Retry-After), as /api/trpc does. */
export const headers = passRetryAfter;

export const meta: MetaFunction = () => [{ title: "Sign up · Better Uptime" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = await optionalCaller(context, request).catch(() => ({ user: null }));
  if (user) throw redirect("/monitors");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const fields = formFields(await readForm(request));
  try {
    const api = publicCaller(context, request);
    const { delivered } = await api.auth.signUp({
      email: fields.email ?? "",
      password: fields.password ?? "",
      name: fields.name,
    });
    return { sentTo: fields.email?.trim().toLowerCase() ?? "", delivered };
  } catch (error) {
    return actionError(error);
  }
}

export default function SignUp() {
  const result = useActionData<typeof action>();
  if (result && "sentTo" in result) {
    return (
      <AuthCard title="Check your inbox">
        <Alert tone="success">
          We sent a link to <strong>{result.sentTo}</strong>. Open it to verify your address, then log in.
        </Alert>
        {!result.delivered ? (
          <Alert tone="warning">
            This server has no outgoing email configured (SMTP_URL), so the link was written to the server log instead.
          </Alert>
        ) : null}
        <p className="text-sm">
          Already verified?{" "}
          <Link to="/login" className="font-semibold underline">
            Log in
          </Link>
        </p>
      </AuthCard>
    );
  }
  const fieldErrors = result && "fieldErrors" in result ? result.fieldErrors : undefined;
  return (
    <AuthCard title="Create your account">
      <AuthForm
        formError={result && "formError" in result ? result.formError : undefined}
        submit="Create account"
        pending="Creating…"
      >
        <Field label="Name" name="name" autoComplete="name" errors={fieldErrors?.name} />
        <Field label="Email" name="email" type="email" autoComplete="email" required errors={fieldErrors?.email} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
          errors={fieldErrors?.password}
        />
      </AuthForm>
      <p className="text-sm">
        Have an account?{" "}
        <Link to="/login" className="font-semibold underline">
          Log in
        </Link>
      </p>
    </AuthCard>
  );
}
